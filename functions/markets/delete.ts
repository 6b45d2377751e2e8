import { httpRoute } from "../../shared/composition/http.ts";
import { marketService } from "../../shared/composition/services.ts";
import { parseIfMatch } from "../../shared/domain/if-match.ts";
import { noContent } from "../../shared/http/response.ts";
import { deleteMarket } from "../../shared/routes/delete-market.ts";

export const handler = httpRoute(deleteMarket, async ({ params, caller, headers }) => {
  await marketService().delete(caller, params.id, parseIfMatch(headers["if-match"]));
  return noContent();
});
