/**
 * What each Lambda may touch, derived from the route table: the least-privilege policy of the stack
 * in one readable place. Pure data; infra/constructs/function-grants.ts turns it into IAM statements.
 */
import { VECTOR_ITEM_ATTRIBUTES } from "../shared/repositories/vector-schema.ts";
import type { RouteDefinition } from "./routes.ts";

/**
 * - `none`: no table access (liveness, OpenAPI document: neither is rate limited).
 * - `read`: reads, plus UpdateItem restricted to rate-limit counters (`RATE#…` partition keys):
 *   every limited route counts its callers in the table, GET routes included.
 * - `write`: reads plus Put/Update/Delete/ConditionCheck on the items whose partition key starts
 *   with one of `writesKeys` (which also covers the actions a TransactWriteItems call is
 *   authorised against).
 */
export type TableAccess = "none" | "read" | "write";

export interface FunctionAccess {
  readonly table: TableAccess;
  /**
   * With `write`: the partition-key prefixes the function may write (IAM `dynamodb:LeadingKeys`),
   * so a bug in one route cannot write another route's items (profiles, idempotency records, …).
   */
  readonly writesKeys: readonly string[];
  /** sqs:SendMessage on the index queue: only routes that change what search should see. */
  readonly enqueueIndexJobs: boolean;
  /** bedrock:InvokeModel, when the embedder is Bedrock: search embeds the query text. */
  readonly embedsText: boolean;
  /** dynamodb:SearchVectors on the vector index (and nothing else), when the engine is `dynamodb`. */
  readonly searchesVectors: boolean;
  /**
   * With `write`: the only attributes its writes may carry (IAM `dynamodb:Attributes`), and only
   * PutItem. The index worker writes vector items and nothing else.
   */
  readonly writesOnlyAttributes?: readonly string[];
}

/** Partition-key prefixes (table-schema.ts `keys`) each writing route writes, besides `RATE#`. */
const WRITES_KEYS: Readonly<Record<string, readonly string[]>> = {
  "markets/create": ["MARKET#", "USER#", "IDEMPOTENCY#"],
  "markets/replace": ["MARKET#"],
  "markets/update": ["MARKET#"],
  "markets/delete": ["MARKET#"],
  "positions/open": ["MARKET#", "USER#", "IDEMPOTENCY#"],
  "me/update-profile": ["USER#"],
};

/** Routes whose writes change a market's searchable text or existence, so they queue a re-index. */
const ENQUEUES_INDEX_JOBS: ReadonlySet<string> = new Set([
  "markets/create",
  "markets/replace",
  "markets/update",
  "markets/delete",
  "markets/reindex",
]);

/** Routes that answer without the database. */
const NO_TABLE: ReadonlySet<string> = new Set(["system/health", "system/openapi"]);

/** Non-GET routes that only read the table (and count their callers): re-indexing just queues a job. */
const READ_ONLY_WRITES: ReadonlySet<string> = new Set(["markets/reindex"]);

export function accessFor(route: RouteDefinition): FunctionAccess {
  const reads = route.method === "GET" || READ_ONLY_WRITES.has(route.handler);
  const table: TableAccess = NO_TABLE.has(route.handler) ? "none" : reads ? "read" : "write";
  const writesKeys = WRITES_KEYS[route.handler];
  if (table === "write" && !writesKeys) {
    throw new Error(`${route.handler} writes the table: list the keys it writes in WRITES_KEYS`);
  }
  return {
    table,
    writesKeys: table === "write" ? ["RATE#", ...(writesKeys ?? [])] : [],
    enqueueIndexJobs: ENQUEUES_INDEX_JOBS.has(route.handler),
    embedsText: route.handler === "markets/search",
    searchesVectors: route.handler === "markets/search",
  };
}

/**
 * The index worker reads markets and writes (or tombstones) their vectors; it embeds every market
 * text. Vector items share the market's partition key, so LeadingKeys alone would let it rewrite
 * markets: its writes are also limited to the vector item's attributes (vector-schema.ts).
 */
export const WORKER_ACCESS: FunctionAccess = {
  table: "write",
  writesKeys: ["MARKET#"],
  enqueueIndexJobs: false,
  embedsText: true,
  searchesVectors: false,
  writesOnlyAttributes: VECTOR_ITEM_ATTRIBUTES,
};
