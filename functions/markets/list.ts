import { marketService } from "../../shared/container.ts";
import { ListMarketsQuery } from "../../shared/domain/schemas.ts";
import { httpHandler } from "../../shared/http/http-handler.ts";
import { ok } from "../../shared/http/response.ts";

export const handler = httpHandler({ query: ListMarketsQuery }, async ({ query, caller }) => {
  const page = await marketService().list(caller, query);
  return ok(page.items, {
    meta: { limit: query.limit, count: page.items.length, nextCursor: page.nextCursor },
  });
});
