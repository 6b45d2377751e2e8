import { MarketIdParams } from "../domain/schemas.ts";
import { route } from "./route.ts";

export const reindexMarket = route({
  method: "POST",
  path: "/api/markets/{id}/index",
  handler: "markets/reindex",
  summary: "Queue re-indexing of a market",
  description: "Queues the market for search indexing again (admins). Answers 202 with the job id.",
  tags: ["markets", "search"],
  permission: "admin",
  params: MarketIdParams,
  response: { status: 202, description: "Re-indexing is queued.", body: "JobAccepted" },
  errors: { NOT_FOUND: "No such market." },
  rateLimit: "write",
  // Its one write is the enqueue after the market read: the read runs beside the limiter.
  rateLimitAwaitedBy: "function",
  access: { reads: [{ keys: ["MARKET#"], actions: ["GetItem"] }], enqueue: ["index"] },
});
