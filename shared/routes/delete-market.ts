import { MarketIdParams } from "../domain/schemas.ts";
import { route } from "./route.ts";

export const deleteMarket = route({
  method: "DELETE",
  path: "/api/markets/{id}",
  handler: "markets/delete",
  summary: "Delete a market",
  description:
    "Deletes a market that has no positions (moderators and admins). `If-Match` makes it conditional.",
  tags: ["markets"],
  permission: "delete",
  params: MarketIdParams,
  response: { status: 204, description: "Deleted." },
  errors: {
    NOT_FOUND: "No such market.",
    MARKET_HAS_POSITIONS: "The market has positions.",
    CONFLICT: "A position arrived between the check for positions and the delete.",
  },
  rateLimit: "write",
  conditional: "If-Match",
  access: {
    // The market, and a Query of its partition for any position.
    reads: [{ keys: ["MARKET#"], actions: ["GetItem", "Query"] }],
    writes: [{ keys: ["MARKET#"], actions: ["DeleteItem"] }],
    enqueue: ["index"],
  },
});
