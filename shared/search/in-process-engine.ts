/** The `in-process` engine: the search Lambda's own SearchIndex behind the search port. */
import type { MarketStatus } from "../domain/market.ts";
import type { SearchEngine } from "./search-engine.ts";
import type { SearchIndex } from "./search-index.ts";
import type { ScoredId } from "./vector-index.ts";

export class InProcessSearchEngine implements SearchEngine {
  constructor(private readonly index: Pick<SearchIndex, "topK">) {}

  nearest(query: Float32Array, k: number, statuses: readonly MarketStatus[]): Promise<ScoredId[]> {
    const allowed = new Set<string>(statuses);
    return this.index.topK(query, k, (status) => allowed.has(status));
  }
}
