/**
 * The `dynamodb` engine: SearchVectors on the table's vector index (repositories/vector-schema.ts).
 * Nothing is loaded at a cold start and nothing is held in memory; the index lives in DynamoDB and
 * follows every vector write of the worker.
 *
 * AWS's rules this follows: the HASH attribute's value is given on every search (the constant
 * `searchScope`, carried only by searchable markets' vectors); conditions are equalities joined by
 * AND; TopK is 1–100; COSINE scores are distances from 0 (identical) to 2 (opposite), lowest
 * first, and become API.md's score in (0, 1] as `1 - distance / 2` (= `(1 + cosine) / 2`, the
 * in-process engine's score). Several statuses, having no IN, are one search each, merged.
 */
import {
  type DynamoDBDocumentClient,
  SearchVectorsCommand,
  type SearchVectorsCommandInput,
} from "@aws-sdk/lib-dynamodb";
import type { MarketStatus } from "../domain/market.ts";
import { VECTOR_INDEX } from "../repositories/vector-schema.ts";
import type { SearchEngine } from "./search-engine.ts";
import { MIN_SCORE, type ScoredId } from "./vector-index.ts";

/** SearchVectors' TopK range. */
export const MAX_TOP_K = 100;
/** Every status but draft: what a search without `status` may return, and all the index holds. */
const INDEXED_STATUSES: readonly MarketStatus[] = ["active", "closed", "resolved"];

/** The SearchVectors request for the nearest `k` markets, optionally of one status. */
export function searchVectorsRequest(
  table: string,
  query: Float32Array,
  k: number,
  status?: MarketStatus,
): SearchVectorsCommandInput {
  const filterOnStatus = status !== undefined;
  return {
    TableName: table,
    IndexName: VECTOR_INDEX.name,
    SearchVector: Array.from(query),
    TopK: Math.max(1, Math.min(MAX_TOP_K, k)),
    SearchConditionExpression: filterOnStatus ? "#scope = :scope AND #status = :status" : "#scope = :scope",
    ExpressionAttributeNames: {
      "#scope": VECTOR_INDEX.hashAttribute,
      ...(filterOnStatus ? { "#status": "status" } : {}),
      "#marketId": "marketId",
    },
    ExpressionAttributeValues: {
      ":scope": VECTOR_INDEX.hashValue,
      ...(filterOnStatus ? { ":status": status } : {}),
    },
    // The id is all the service needs: it reads the current markets itself.
    ProjectionExpression: "#marketId",
  };
}

/** COSINE distance (0..2, lower is closer) → score in (0, 1], higher is closer. */
export function scoreFromCosineDistance(distance: number): number {
  return Math.min(1, Math.max(MIN_SCORE, 1 - distance / 2));
}

/** SearchVectors results → scored ids, keeping the service's order: best first. */
export function hitsFromResults(results: readonly { Item?: Record<string, unknown>; Score?: number }[]) {
  const hits: ScoredId[] = [];
  for (const result of results) {
    const id = result.Item?.marketId;
    if (typeof id !== "string" || typeof result.Score !== "number") continue;
    hits.push({ id, score: scoreFromCosineDistance(result.Score) });
  }
  return hits;
}

/**
 * The first (best) hit of each market. A market has one vector item, except while
 * scripts/backfill-vector-index.ts moves items from their old key: until it has, the old item and
 * the worker's new one may both be in the index.
 */
export function bestPerMarket(hits: readonly ScoredId[]): ScoredId[] {
  const seen = new Set<string>();
  return hits.filter((hit) => {
    if (seen.has(hit.id)) return false;
    seen.add(hit.id);
    return true;
  });
}

export class DynamoVectorSearch implements SearchEngine {
  constructor(private readonly opts: { table: string; db: DynamoDBDocumentClient }) {}

  async nearest(query: Float32Array, k: number, statuses: readonly MarketStatus[]): Promise<ScoredId[]> {
    const wanted = statuses.filter((status) => INDEXED_STATUSES.includes(status));
    if (wanted.length === 0 || k <= 0) return [];
    // Every indexed status wanted: the scope alone selects them, one search.
    const perStatus = wanted.length === INDEXED_STATUSES.length ? [undefined] : wanted;
    const pages = await Promise.all(
      perStatus.map(async (status) => {
        const output = await this.opts.db.send(
          new SearchVectorsCommand(searchVectorsRequest(this.opts.table, query, k, status)),
        );
        return hitsFromResults(output.SearchResults ?? []);
      }),
    );
    const merged = pages.length === 1 ? (pages[0] as ScoredId[]) : pages.flat();
    if (pages.length > 1)
      merged.sort((a, b) => b.score - a.score || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
    return bestPerMarket(merged).slice(0, k);
  }
}
