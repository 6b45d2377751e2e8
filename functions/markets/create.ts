import { marketService } from "../../shared/container.ts";
import { etagOf } from "../../shared/domain/market.ts";
import { CreateMarketBody } from "../../shared/domain/schemas.ts";
import { httpHandler } from "../../shared/http/http-handler.ts";
import { created } from "../../shared/http/response.ts";

export const handler = httpHandler(
  { permission: "write", body: CreateMarketBody, idempotent: true },
  async ({ body, caller }) => {
    const market = await marketService().create(caller, body);
    return created(market, `/api/markets/${market.id}`, { ETag: etagOf(market.version) });
  },
);
