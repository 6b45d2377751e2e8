import { profiles } from "../../shared/container.ts";
import { UpdateProfileBody } from "../../shared/domain/schemas.ts";
import { httpHandler } from "../../shared/http/http-handler.ts";
import { ok } from "../../shared/http/response.ts";

export const handler = httpHandler(
  { permission: "write", body: UpdateProfileBody },
  async ({ body, caller }) => ok(await profiles().rename(caller, body.displayName)),
);
