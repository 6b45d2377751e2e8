import { httpRoute } from "../../shared/composition/http.ts";
import { marketService } from "../../shared/composition/services.ts";
import { parseIfMatch } from "../../shared/domain/if-match.ts";
import { etagOf } from "../../shared/domain/market.ts";
import { ok } from "../../shared/http/response.ts";
import { replaceMarket } from "../../shared/routes/change-market.ts";

export const handler = httpRoute(replaceMarket, async ({ params, body, caller, headers }) => {
  const market = await marketService().replace(caller, params.id, body, parseIfMatch(headers["if-match"]));
  return ok(market, { headers: { ETag: etagOf(market.version) } });
});
