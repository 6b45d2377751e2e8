/**
 * Queues search indexing after a write. `schedule` never fails the write it follows: a queue outage
 * is logged (with the market id, so it can be replayed) and the market is caught up later by
 * re-indexing (`POST /api/markets/{id}/index`, or the reindex script for everything stale).
 * `enqueue` is for the explicit re-index route, where the queue failing is the answer (503).
 */
import { UnavailableError } from "../errors.ts";
import { logger } from "../logger.ts";
import type { IndexJob, IndexJobs } from "../queue/index-jobs.ts";

export class IndexScheduler {
  constructor(private readonly opts: { jobs: () => Promise<IndexJobs | undefined> }) {}

  async schedule(marketId: string, reason: IndexJob["reason"]): Promise<void> {
    try {
      const jobs = await this.opts.jobs();
      if (!jobs) return;
      await jobs.enqueue(marketId, reason);
    } catch (error) {
      logger.error("could not queue search indexing; the market needs a re-index", {
        marketId,
        reason,
        error,
      });
    }
  }

  async enqueue(marketId: string, reason: IndexJob["reason"]): Promise<IndexJob> {
    const jobs = await this.opts.jobs();
    if (!jobs) throw new UnavailableError("Search indexing is not configured");
    try {
      return await jobs.enqueue(marketId, reason);
    } catch (error) {
      logger.error("could not queue search indexing", { marketId, reason, error });
      throw new UnavailableError("The indexing queue is unavailable; try again shortly");
    }
  }
}
