import { SearchQuery } from "../../shared/domain/schemas.ts";
import { httpHandler } from "../../shared/http/http-handler.ts";
import { ok } from "../../shared/http/response.ts";
import { searchService } from "../../shared/search/search-container.ts";

export const handler = httpHandler({ query: SearchQuery }, async ({ query, caller }) => {
  const items = await searchService().search(caller, query);
  return ok(items, { meta: { limit: query.limit, count: items.length } });
});
