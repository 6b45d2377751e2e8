import { VECTOR_ITEM_ATTRIBUTES } from "../repositories/vector-schema.ts";
import { worker } from "./route.ts";

/** The search index worker: SQS batches of index jobs, deployed like a route but wired to the queue. */
export const indexMarketsWorker = worker({
  handler: "workers/index-markets",
  description: "Embeds queued markets for search",
  consumes: "index",
  access: {
    // The market, read consistently, and its stored vector.
    reads: [
      { keys: ["MARKET#"], actions: ["GetItem"] },
      { keys: ["VECTOR#"], actions: ["GetItem"] },
    ],
    // Vectors have a partition-key prefix of their own, so the worker cannot write a market or a
    // position at all; the attribute list keeps its writes to a vector item's shape as well.
    writes: [{ keys: ["VECTOR#"], actions: ["PutItem"], attributes: VECTOR_ITEM_ATTRIBUTES }],
    embeds: true,
  },
  timeoutSeconds: 30,
  memoryMb: 512,
});
