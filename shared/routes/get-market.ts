import { MarketIdParams } from "../domain/schemas.ts";
import { PUBLIC_PROFILE_ATTRIBUTES } from "../repositories/profile-item.ts";
import { route } from "./route.ts";

export const getMarket = route({
  method: "GET",
  path: "/api/markets/{id}",
  handler: "markets/get",
  summary: "Get one market",
  description:
    "One market with its creator and an `ETag`. `If-None-Match` with the current ETag answers 304. Drafts are visible to their creator, moderators and admins only.",
  tags: ["markets"],
  params: MarketIdParams,
  response: { status: 200, description: "The market with its creator.", data: "Market", headers: ["ETag"] },
  errors: { NOT_FOUND: "No such market, or a draft the caller may not see." },
  rateLimit: "read",
  conditional: "If-None-Match",
  access: {
    reads: [
      { keys: ["MARKET#"], actions: ["GetItem"] },
      { keys: ["USER#"], actions: ["BatchGetItem"], attributes: PUBLIC_PROFILE_ATTRIBUTES },
    ],
  },
});
