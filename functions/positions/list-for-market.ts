import { httpRoute } from "../../shared/composition/http.ts";
import { positionService } from "../../shared/composition/services.ts";
import { ok } from "../../shared/http/response.ts";
import { listMarketPositions } from "../../shared/routes/list-market-positions.ts";

export const handler = httpRoute(listMarketPositions, async ({ params, query, caller }) => {
  const page = await positionService().listForMarket(caller, params.id, query);
  return ok(page.items, {
    meta: { limit: query.limit, count: page.items.length, nextCursor: page.nextCursor },
  });
});
