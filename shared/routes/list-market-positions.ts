import { MarketIdParams, PageQuery } from "../domain/schemas.ts";
import { PUBLIC_PROFILE_ATTRIBUTES } from "../repositories/profile-item.ts";
import { route } from "./route.ts";

export const listMarketPositions = route({
  method: "GET",
  path: "/api/markets/{id}/positions",
  handler: "positions/list-for-market",
  summary: "Positions on a market",
  description: "A page of the positions on a market, each with its holder's display name.",
  tags: ["positions"],
  params: MarketIdParams,
  query: PageQuery,
  response: {
    status: 200,
    description: "A page of positions on the market.",
    list: "PositionWithUser",
    meta: "ListMeta",
  },
  errors: { NOT_FOUND: "No such market, or a draft the caller may not see." },
  rateLimit: "read",
  access: {
    reads: [
      // The market, then a Query of its partition for the positions.
      { keys: ["MARKET#"], actions: ["GetItem", "Query"] },
      // The holders' names.
      { keys: ["USER#"], actions: ["BatchGetItem"], attributes: PUBLIC_PROFILE_ATTRIBUTES },
    ],
  },
});
