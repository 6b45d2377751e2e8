/** PUT and PATCH: two routes with one behaviour, declared side by side so they cannot drift. */
import { MarketIdParams, ReplaceMarketBody, UpdateMarketBody } from "../domain/schemas.ts";
import { PUBLIC_PROFILE_ATTRIBUTES } from "../repositories/profile-item.ts";
import { type DataAccess, route } from "./route.ts";

const CHANGED = {
  status: 200,
  description: "The changed market.",
  data: "Market",
  headers: ["ETag"],
} as const;
const ERRORS = {
  FORBIDDEN:
    "The caller neither created the market nor is a moderator or admin, or a user tries to resolve it.",
  NOT_FOUND: "No such market, or a draft the caller may not see.",
  INVALID_TRANSITION: "A backward or skipping status change, or a change to a resolved market's outcome.",
  CONFLICT: "Another change landed at the same moment; retry.",
} as const;
const ACCESS: DataAccess = {
  reads: [
    { keys: ["MARKET#"], actions: ["GetItem"] },
    // The creator's name beside the changed market.
    { keys: ["USER#"], actions: ["BatchGetItem"], attributes: PUBLIC_PROFILE_ATTRIBUTES },
  ],
  writes: [{ keys: ["MARKET#"], actions: ["UpdateItem"], returns: ["ALL_NEW"] }],
  enqueue: ["index"],
};

export const replaceMarket = route({
  method: "PUT",
  path: "/api/markets/{id}",
  handler: "markets/replace",
  summary: "Replace a market's mutable fields",
  description:
    "Replaces name, description, category (cleared when absent), closesAt and status. `If-Match` makes the change conditional.",
  tags: ["markets"],
  permission: "write",
  params: MarketIdParams,
  body: ReplaceMarketBody,
  example: "ReplaceMarket",
  response: CHANGED,
  errors: ERRORS,
  rateLimit: "write",
  conditional: "If-Match",
  access: ACCESS,
});

export const updateMarket = route({
  method: "PATCH",
  path: "/api/markets/{id}",
  handler: "markets/update",
  summary: "Change some fields of a market",
  description:
    'Changes any non-empty subset of the mutable fields; `outcome` goes with `status: "resolved"` (moderators and admins). `If-Match` makes the change conditional.',
  tags: ["markets"],
  permission: "write",
  params: MarketIdParams,
  body: UpdateMarketBody,
  example: "ResolveMarket",
  response: CHANGED,
  errors: ERRORS,
  rateLimit: "write",
  conditional: "If-Match",
  access: ACCESS,
});
