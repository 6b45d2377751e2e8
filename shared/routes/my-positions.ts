import { PageQuery } from "../domain/schemas.ts";
import { route } from "./route.ts";

export const myPositions = route({
  method: "GET",
  path: "/api/me/positions",
  handler: "me/positions",
  summary: "The caller's positions",
  description: "A page of the caller's positions, each with a summary of its market.",
  tags: ["positions", "me"],
  permission: "read",
  query: PageQuery,
  response: {
    status: 200,
    description: "A page of the caller's positions.",
    list: "PositionWithMarket",
    meta: "ListMeta",
  },
  rateLimit: "read",
  access: {
    // The caller's positions from the index, then their markets' summaries in one batch.
    reads: [{ keys: ["MARKET#"], actions: ["BatchGetItem"] }],
    indexes: ["positionsByUser"],
  },
});
