/**
 * Keeps a market's search vector in step with the market: the use case behind the index worker.
 * A job only names a market; the market is read again, consistently, so a stale or repeated job
 * indexes the current state. SQS delivers at least once, so indexing is idempotent: when the
 * stored vector already reflects the market's text, status and the embedder's model, nothing is
 * written, not even a new `indexedAt` (which would make every search Lambda reload it).
 */

import type { Market } from "../domain/market.ts";
import { UnavailableError } from "../errors.ts";
import type { IndexJob } from "../queue/index-jobs.ts";
import type { MarketRepository } from "../repositories/market-repository.ts";
import type { VectorForm, VectorRecord, VectorRepository } from "../repositories/vector-repository.ts";
import type { Embedder } from "../search/embedder.ts";
import { textForMarket } from "../search/market-text.ts";
import { contentHash } from "../search/vector-codec.ts";
import { type RetryOptions, retry } from "../util/retry.ts";

export type IndexOutcome = "indexed" | "unchanged" | "removed";

/** A job that can never succeed, however often it is retried (e.g. an unparseable message). */
export class PermanentJobError extends Error {}

export interface MarketIndexerOptions {
  /** Must read consistently: a job queued right after a write must see that write. */
  markets: Pick<MarketRepository, "get">;
  vectors: Pick<VectorRepository, "get" | "put" | "markDeleted"> & { form?: VectorRepository["form"] };
  embedder: Embedder;
  now?: () => Date;
  /** Backoff for transient failures; tests shorten it. */
  retry?: Omit<RetryOptions, "retryable">;
}

/**
 * An outage (the adapters raise UnavailableError for throttling, 5xx and network failures): worth
 * another attempt after a pause. A PermanentJobError never is, whatever it wraps.
 */
export function isTransient(error: unknown): boolean {
  return !(error instanceof PermanentJobError) && error instanceof UnavailableError;
}

/**
 * Whether `stored` already is the vector `market` would get from an embedder of `model`, in the
 * `form` the search engine reads (a vector in the other form is re-written, e.g. after a switch of
 * SEARCH_ENGINE, so the vector index never misses a market a re-index job has touched).
 */
export function isIndexCurrent(
  stored: VectorRecord | undefined,
  market: Pick<Market, "name" | "description" | "category" | "status">,
  model: string,
  form?: VectorForm,
): boolean {
  if (market.status === "draft") return stored === undefined || stored.deleted === true;
  return (
    stored !== undefined &&
    !stored.deleted &&
    stored.model === model &&
    (form === undefined || stored.form === undefined || stored.form === form) &&
    stored.status === market.status &&
    stored.contentHash === contentHash(textForMarket(market))
  );
}

export class MarketIndexer {
  constructor(private readonly opts: MarketIndexerOptions) {}

  /**
   * Index, re-index or remove the job's market. Transient failures are retried here with backoff
   * (the SDK already retried each call; this covers a short outage without spending an SQS
   * redelivery); whatever still fails is thrown, so the message is retried and then dead-lettered.
   */
  async index(job: IndexJob): Promise<IndexOutcome> {
    if (!job.marketId) throw new PermanentJobError("index job without a marketId");
    return retry(() => this.indexOnce(job.marketId), {
      maxAttempts: 4,
      baseDelayMs: 100,
      maxDelayMs: 2000,
      ...this.opts.retry,
      retryable: isTransient,
    });
  }

  private async indexOnce(marketId: string): Promise<IndexOutcome> {
    const [market, stored] = await Promise.all([
      this.opts.markets.get(marketId),
      this.opts.vectors.get(marketId),
    ]);
    // Drafts are never searchable, so a draft is removed like a deleted market.
    if (!market || market.status === "draft") {
      // Nothing stored, or already a tombstone: a repeat would only move indexedAt.
      if (stored === undefined || stored.deleted) return "unchanged";
      await this.opts.vectors.markDeleted(marketId, this.now());
      return "removed";
    }
    const { embedder } = this.opts;
    if (isIndexCurrent(stored, market, embedder.model, this.opts.vectors.form)) return "unchanged";
    const text = textForMarket(market);
    const [vector] = await embedder.embed([text]);
    if (!vector) throw new Error(`${embedder.model} returned no vector`);
    await this.opts.vectors.put({
      marketId,
      status: market.status,
      model: embedder.model,
      dims: vector.length,
      contentHash: contentHash(text),
      vector,
      indexedAt: this.now().toISOString(),
    });
    return "indexed";
  }

  private now(): Date {
    return this.opts.now?.() ?? new Date();
  }
}
