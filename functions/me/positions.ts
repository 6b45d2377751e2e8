import { positionService } from "../../shared/container.ts";
import { PageQuery } from "../../shared/domain/schemas.ts";
import { httpHandler } from "../../shared/http/http-handler.ts";
import { ok } from "../../shared/http/response.ts";

export const handler = httpHandler({ permission: "read", query: PageQuery }, async ({ query, caller }) => {
  const page = await positionService().listMine(caller, query);
  return ok(page.items, {
    meta: { limit: query.limit, count: page.items.length, nextCursor: page.nextCursor },
  });
});
