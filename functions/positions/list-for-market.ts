import { positionService } from "../../shared/container.ts";
import { MarketIdParams, PageQuery } from "../../shared/domain/schemas.ts";
import { httpHandler } from "../../shared/http/http-handler.ts";
import { ok } from "../../shared/http/response.ts";

export const handler = httpHandler(
  { params: MarketIdParams, query: PageQuery },
  async ({ params, query, caller }) => {
    const page = await positionService().listForMarket(caller, params.id, query);
    return ok(page.items, {
      meta: { limit: query.limit, count: page.items.length, nextCursor: page.nextCursor },
    });
  },
);
