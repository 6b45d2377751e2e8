import { httpRoute } from "../../shared/composition/http.ts";
import { searchService } from "../../shared/composition/search.ts";
import { ok } from "../../shared/http/response.ts";
import { searchMarkets } from "../../shared/routes/search-markets.ts";

export const handler = httpRoute(searchMarkets, async ({ query, caller }) => {
  const items = await searchService().search(caller, query);
  return ok(items, { meta: { limit: query.limit, count: items.length } });
});
