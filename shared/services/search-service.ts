/**
 * Semantic search over markets: embed the query, ask the search engine for the nearest, then read the
 * candidates from the database in one batch and keep only those whose current state still
 * matches. The index may lag the table by a refresh or a queued job, so it proposes and the
 * database decides: a market deleted, drafted or moved to another status since it was indexed
 * never shows up.
 */
import type { Caller } from "../auth/permissions.ts";
import type { Market, MarketStatus, MarketWithCreator } from "../domain/market.ts";
import type { SearchQuery } from "../domain/schemas.ts";
import { METRIC, type MetricsRecorder } from "../metrics/metrics-recorder.ts";
import type { MarketRepository } from "../repositories/market-repository.ts";
import type { Embedder } from "../search/embedder.ts";
import type { SearchEngine } from "../search/search-engine.ts";
import type { CreatorDirectory } from "./creator-directory.ts";

/** What search returns when no status is given: everything but drafts. */
const SEARCHABLE_STATUSES: readonly MarketStatus[] = ["active", "closed", "resolved"];

export type ScoredMarket = MarketWithCreator & { score: number };

export interface SearchServiceOptions {
  embedder: Pick<Embedder, "embed">;
  engine: SearchEngine;
  markets: Pick<MarketRepository, "getMany">;
  creators: Pick<CreatorDirectory, "embed">;
  /** Latency and result count of every search; none recorded when omitted. */
  metrics?: MetricsRecorder;
}

/** Candidates read per requested result: headroom for those the database filter drops. */
const candidatesFor = (limit: number): number => limit * 3 + 10;

export class SearchService {
  constructor(private readonly opts: SearchServiceOptions) {}

  /**
   * Markets best matching `q`, best first, each with its `score`. The caller does not change the
   * result (drafts are never searchable, not even for their creator); it is taken like every
   * other read so that a per-caller rule can be added here without touching the route.
   */
  async search(caller: Caller | undefined, query: SearchQuery): Promise<ScoredMarket[]> {
    const startedAt = performance.now();
    const results = await this.rank(caller, query);
    this.opts.metrics?.record([
      { name: METRIC.searchLatency, unit: "Milliseconds", value: performance.now() - startedAt },
      { name: METRIC.searchResults, unit: "Count", value: results.length },
    ]);
    return results;
  }

  private async rank(_caller: Caller | undefined, query: SearchQuery): Promise<ScoredMarket[]> {
    if (query.status === "draft") return [];
    const wanted = query.status ? [query.status] : SEARCHABLE_STATUSES;
    const statuses = new Set<string>(wanted);
    const [vector] = await this.opts.embedder.embed([query.q]);
    if (!vector) return [];
    const hits = await this.opts.engine.nearest(vector, candidatesFor(query.limit), wanted);
    if (hits.length === 0) return [];

    const current = await this.opts.markets.getMany(hits.map((hit) => hit.id));
    const scored: (Market & { score: number })[] = [];
    for (const hit of hits) {
      const market = current.get(hit.id);
      if (market?.status && statuses.has(market.status))
        scored.push({ ...(market as Market), score: hit.score });
    }
    scored.sort((a, b) => b.score - a.score || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
    return this.opts.creators.embed(scored.slice(0, query.limit));
  }
}
