import { VECTOR_ITEM_ATTRIBUTES } from "../repositories/vector-schema.ts";
import { worker } from "./route.ts";

/** The search index worker: SQS batches of index jobs, deployed like a route but wired to the queue. */
export const indexMarketsWorker = worker({
  handler: "workers/index-markets",
  description: "Embeds queued markets for search",
  consumes: "index",
  access: {
    reads: [{ keys: ["MARKET#"], actions: ["GetItem"] }],
    // Vector items share the market's partition key, so LeadingKeys alone would let it rewrite
    // markets: its writes may carry only a vector item's attributes.
    writes: [{ keys: ["MARKET#"], actions: ["PutItem"], attributes: VECTOR_ITEM_ATTRIBUTES }],
    embeds: true,
  },
  timeoutSeconds: 30,
  memoryMb: 512,
});
