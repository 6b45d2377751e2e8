import { httpRoute } from "../../shared/composition/http.ts";
import { profiles } from "../../shared/composition/services.ts";
import { ok } from "../../shared/http/response.ts";
import { updateProfile } from "../../shared/routes/update-profile.ts";

export const handler = httpRoute(updateProfile, async ({ body, caller }) =>
  ok(await profiles().rename(caller, body.displayName)),
);
