import { ListMarketsQuery } from "../domain/schemas.ts";
import { PUBLIC_PROFILE_ATTRIBUTES } from "../repositories/profile-item.ts";
import { route } from "./route.ts";

export const listMarkets = route({
  method: "GET",
  path: "/api/markets",
  handler: "markets/list",
  summary: "List markets",
  description:
    "A page of markets, filtered by status, creator or category and sorted by creation, volume or closing time. Walk `meta.nextCursor` until it is null to see every match exactly once. `status=draft` needs a token.",
  tags: ["markets"],
  query: ListMarketsQuery,
  response: { status: 200, description: "A page of markets.", list: "MarketSelection", meta: "ListMeta" },
  errors: { UNAUTHORIZED: "`status=draft` without a token, or an invalid token." },
  rateLimit: "read",
  access: {
    // The creators' names for the page.
    reads: [{ keys: ["USER#"], actions: ["BatchGetItem"], attributes: PUBLIC_PROFILE_ATTRIBUTES }],
    indexes: [
      "marketsByCreatedAt",
      "marketsByVolume",
      "marketsByClosesAt",
      "marketsByCreator",
      "marketsByCreatorVolume",
      "marketsByCreatorClosesAt",
      "marketsByCategory",
      "marketsByCategoryVolume",
      "marketsByCategoryClosesAt",
    ],
  },
});
