import { positionService } from "../../shared/container.ts";
import { MarketIdParams, OpenPositionBody } from "../../shared/domain/schemas.ts";
import { httpHandler } from "../../shared/http/http-handler.ts";
import { created } from "../../shared/http/response.ts";

export const handler = httpHandler(
  { permission: "write", params: MarketIdParams, body: OpenPositionBody, idempotent: true },
  async ({ params, body, caller }) =>
    created(await positionService().open(caller, params.id, body), `/api/markets/${params.id}/positions`),
);
