import { CreateMarketBody } from "../domain/schemas.ts";
import { PUBLIC_PROFILE_ATTRIBUTES } from "../repositories/profile-item.ts";
import { route } from "./route.ts";

export const createMarket = route({
  method: "POST",
  path: "/api/markets",
  handler: "markets/create",
  summary: "Create a market",
  description:
    "Creates a market, and with `initialPosition` the creator's position in the same transaction (both or neither). The market is queued for search indexing. Honours `Idempotency-Key`.",
  tags: ["markets"],
  permission: "write",
  body: CreateMarketBody,
  example: "CreateMarket",
  response: {
    status: 201,
    description: "The new market (and the creator's position when one was taken).",
    data: "MarketCreated",
    headers: ["Location", "ETag"],
  },
  rateLimit: "write",
  idempotent: true,
  access: {
    // The creator's own name, read beside the write; its email only ever written (when missing).
    reads: [{ keys: ["USER#"], actions: ["GetItem"], attributes: PUBLIC_PROFILE_ATTRIBUTES }],
    writes: [
      // The market and its initial position, in one transaction with the profile.
      { keys: ["MARKET#"], actions: ["PutItem"] },
      { keys: ["USER#"], actions: ["UpdateItem"] },
    ],
    enqueue: ["index"],
  },
});
