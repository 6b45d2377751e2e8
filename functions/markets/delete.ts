import { marketService } from "../../shared/container.ts";
import { parseIfMatch } from "../../shared/domain/if-match.ts";
import { MarketIdParams } from "../../shared/domain/schemas.ts";
import { httpHandler } from "../../shared/http/http-handler.ts";
import { noContent } from "../../shared/http/response.ts";

export const handler = httpHandler(
  { permission: "delete", params: MarketIdParams },
  async ({ params, caller, headers }) => {
    await marketService().delete(caller, params.id, parseIfMatch(headers["if-match"]));
    return noContent();
  },
);
