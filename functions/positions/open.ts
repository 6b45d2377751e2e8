import { httpRoute } from "../../shared/composition/http.ts";
import { positionService } from "../../shared/composition/services.ts";
import { created } from "../../shared/http/response.ts";
import { openPosition } from "../../shared/routes/open-position.ts";

export const handler = httpRoute(openPosition, async ({ params, body, caller }) =>
  created(await positionService().open(caller, params.id, body), `/api/markets/${params.id}/positions`),
);
