import { httpRoute } from "../../shared/composition/http.ts";
import { marketService } from "../../shared/composition/services.ts";
import { etagOf } from "../../shared/domain/market.ts";
import { created } from "../../shared/http/response.ts";
import { createMarket } from "../../shared/routes/create-market.ts";

export const handler = httpRoute(createMarket, async ({ body, caller }) => {
  const market = await marketService().create(caller, body);
  return created(market, `/api/markets/${market.id}`, { ETag: etagOf(market.version) });
});
