import type { Embedder } from "./embedder.ts";
import { type EmbeddableMarket, textForMarket } from "./market-text.ts";
import { VectorIndex } from "./vector-index.ts";

/**
 * Offline retrieval quality for an embedder on a labeled set: every market is indexed through the same
 * path as production (`textForMarket` → embed → VectorIndex), then each query is ranked against all of
 * them. Pure apart from the embedder, so a deterministic embedder gives a deterministic score.
 */

export interface EvalMarket extends EmbeddableMarket {
  id: string;
}

export interface EvalQuery {
  query: string;
  /** Any of these counts as a hit; several when the query is legitimately ambiguous. */
  relevant: string[];
}

export interface EvalSet {
  markets: EvalMarket[];
  queries: EvalQuery[];
  /** Written after the embedder was built and never tuned on: an honest estimate of generalisation. */
  holdoutQueries?: EvalQuery[];
}

export interface QueryRanking {
  query: string;
  relevant: string[];
  /** 1-based rank of the best-ranked relevant market. */
  rank: number;
  top: string[];
}

export interface EvalResult {
  hitAt1: number;
  hitAt3: number;
  /** Mean reciprocal rank of the first relevant market over the full ranking. */
  mrr: number;
  queries: number;
  markets: number;
}

const TOP_SHOWN = 3;

/** Ranks every market for every query and reports where the first relevant one landed. */
export async function rankQueries(embedder: Embedder, set: EvalSet): Promise<QueryRanking[]> {
  const marketVectors = await embedder.embed(set.markets.map(textForMarket));
  const index = new VectorIndex(embedder.dimensions);
  set.markets.forEach((market, i) => {
    index.upsert({ id: market.id, status: "open", vector: marketVectors[i] as Float32Array });
  });
  const queryVectors = await embedder.embed(set.queries.map((query) => query.query));
  return set.queries.map((query, i) => {
    const ranked = index.topK(queryVectors[i] as Float32Array, set.markets.length).map((hit) => hit.id);
    const position = ranked.findIndex((id) => query.relevant.includes(id));
    return {
      query: query.query,
      relevant: query.relevant,
      rank: position === -1 ? Number.POSITIVE_INFINITY : position + 1,
      top: ranked.slice(0, TOP_SHOWN),
    };
  });
}

/** Aggregates hit@1, hit@3 and MRR; see `rankQueries` for per-query detail. */
export async function evaluate(embedder: Embedder, set: EvalSet): Promise<EvalResult> {
  const rankings = await rankQueries(embedder, set);
  const share = (predicate: (ranking: QueryRanking) => boolean): number =>
    rankings.length === 0 ? 0 : rankings.filter(predicate).length / rankings.length;
  const mrr =
    rankings.length === 0
      ? 0
      : rankings.reduce((sum, ranking) => sum + 1 / ranking.rank, 0) / rankings.length;
  return {
    hitAt1: share((ranking) => ranking.rank <= 1),
    hitAt3: share((ranking) => ranking.rank <= 3),
    mrr,
    queries: rankings.length,
    markets: set.markets.length,
  };
}
