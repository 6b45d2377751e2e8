import { marketService } from "../../shared/container.ts";
import { parseIfMatch } from "../../shared/domain/if-match.ts";
import { etagOf } from "../../shared/domain/market.ts";
import { MarketIdParams, UpdateMarketBody } from "../../shared/domain/schemas.ts";
import { httpHandler } from "../../shared/http/http-handler.ts";
import { ok } from "../../shared/http/response.ts";

export const handler = httpHandler(
  { permission: "write", params: MarketIdParams, body: UpdateMarketBody },
  async ({ params, body, caller, headers }) => {
    const market = await marketService().update(caller, params.id, body, parseIfMatch(headers["if-match"]));
    return ok(market, { headers: { ETag: etagOf(market.version) } });
  },
);
