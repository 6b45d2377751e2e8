import { httpRoute } from "../../shared/composition/http.ts";
import { positionService } from "../../shared/composition/services.ts";
import { ok } from "../../shared/http/response.ts";
import { myPositions } from "../../shared/routes/my-positions.ts";

export const handler = httpRoute(myPositions, async ({ query, caller }) => {
  const page = await positionService().listMine(caller, query);
  return ok(page.items, {
    meta: { limit: query.limit, count: page.items.length, nextCursor: page.nextCursor },
  });
});
