import { marketService } from "../../shared/container.ts";
import { ifNoneMatchHits } from "../../shared/domain/if-match.ts";
import { etagOf } from "../../shared/domain/market.ts";
import { MarketIdParams } from "../../shared/domain/schemas.ts";
import { httpHandler } from "../../shared/http/http-handler.ts";
import { notModified, ok } from "../../shared/http/response.ts";

export const handler = httpHandler({ params: MarketIdParams }, async ({ params, caller, headers }) => {
  const market = await marketService().get(caller, params.id);
  const etag = { ETag: etagOf(market.version) };
  if (ifNoneMatchHits(headers["if-none-match"], market.version)) return notModified(etag);
  return ok(market, { headers: etag });
});
