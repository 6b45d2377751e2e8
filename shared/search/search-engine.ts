/**
 * The search port: nearest markets to a query vector. Two engines implement it, chosen by
 * SEARCH_ENGINE: `in-process` ranks vectors held in the search Lambda's memory (small
 * deployments, the local default), `dynamodb` asks the table's vector index (SearchVectors), so
 * nothing is loaded at a cold start and the table can outgrow one Lambda's memory.
 */
import type { MarketStatus } from "../domain/market.ts";
import type { ScoredId } from "./vector-index.ts";

export const SEARCH_ENGINES = ["in-process", "dynamodb"] as const;
export type SearchEngineName = (typeof SEARCH_ENGINES)[number];

export interface SearchEngine {
  /**
   * At most `k` markets whose indexed status is one of `statuses`, best first, each with a score
   * in (0, 1] (`(1 + cosine) / 2`). The index may lag the table; the caller re-checks the markets.
   */
  nearest(query: Float32Array, k: number, statuses: readonly MarketStatus[]): Promise<ScoredId[]>;
}
