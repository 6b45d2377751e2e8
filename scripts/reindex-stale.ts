/**
 * Catch-up after a queue outage: `npx tsx scripts/reindex-stale.ts` with the deployed (or local)
 * environment. Walks every market through the list indexes, drafts included, and queues an index
 * job for each whose vector is missing or older than the market and no longer matches it.
 * Positions move `updatedAt` without changing the indexed text, so age alone would requeue
 * markets the worker would skip; the content check leaves those alone. Vectors are read at their
 * key (`VECTOR#<id>`): on a table whose vectors are still beside their markets, run
 * scripts/backfill-vector-index.ts first, or every market looks unindexed and is queued.
 */
import { config } from "../shared/composition/environment.ts";
import { sqsIndexJobs } from "../shared/composition/index-jobs.ts";
import { embedder, vectorRepository } from "../shared/composition/search.ts";
import { isIndexCurrent } from "../shared/services/market-indexer.ts";
import { eachMarketPage } from "./each-market-page.ts";

const jobs = sqsIndexJobs(config());
if (!jobs) throw new Error("INDEX_QUEUE_URL is not set: there is no queue to send jobs to");

const model = embedder().model;
let queued = 0;
const seen = await eachMarketPage(async (markets) => {
  const vectors = await vectorRepository().getMany(markets.map((market) => market.id));
  const stale = markets.filter((market) => {
    const stored = vectors.get(market.id);
    const older = stored === undefined || stored.indexedAt < market.updatedAt;
    return older && !isIndexCurrent(stored, market, model);
  });
  await Promise.all(stale.map((market) => jobs.enqueue(market.id, "reindex")));
  queued += stale.length;
});

console.log(`checked ${seen} markets, queued ${queued} index jobs`);
