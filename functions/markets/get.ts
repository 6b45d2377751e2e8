import { httpRoute } from "../../shared/composition/http.ts";
import { marketService } from "../../shared/composition/services.ts";
import { ifNoneMatchHits } from "../../shared/domain/if-match.ts";
import { etagOf } from "../../shared/domain/market.ts";
import { notModified, ok } from "../../shared/http/response.ts";
import { getMarket } from "../../shared/routes/get-market.ts";

export const handler = httpRoute(getMarket, async ({ params, caller, headers }) => {
  const market = await marketService().get(caller, params.id);
  const etag = { ETag: etagOf(market.version) };
  if (ifNoneMatchHits(headers["if-none-match"], market.version)) return notModified(etag);
  return ok(market, { headers: etag });
});
