/** Port: the search-indexing job queue. Writes enqueue a job and never wait for the index. */
export interface IndexJob {
  jobId: string;
  marketId: string;
  /** Why it was queued; the worker re-reads the market either way, so a stale job is harmless. */
  reason: "created" | "updated" | "deleted" | "reindex";
  queuedAt: string;
}

export interface IndexJobs {
  enqueue(marketId: string, reason: IndexJob["reason"]): Promise<IndexJob>;
}
