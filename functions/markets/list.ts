import { httpRoute } from "../../shared/composition/http.ts";
import { marketService } from "../../shared/composition/services.ts";
import { ok } from "../../shared/http/response.ts";
import { listMarkets } from "../../shared/routes/list-markets.ts";

export const handler = httpRoute(listMarkets, async ({ query, caller }) => {
  const page = await marketService().list(caller, query);
  return ok(page.items, {
    meta: { limit: query.limit, count: page.items.length, nextCursor: page.nextCursor },
  });
});
