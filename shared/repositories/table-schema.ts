/**
 * The one table definition. The CDK stack (infra/constructs/markets-table.ts) and the local
 * bootstrap (infra/local/create-table.ts) both build the table from this, and the repositories use
 * the same names, so the three can never drift apart. Plain data: no SDK imports.
 */

export const PARTITION_KEY = "pk";
export const SORT_KEY = "sk";
/** Epoch seconds; DynamoDB's TTL deletes rate-limit windows, idempotency records and tombstones. */
export const TTL_ATTRIBUTE = "expiresAt";

export interface IndexDefinition {
  readonly name: string;
  readonly partitionKey: string;
  readonly sortKey: string;
  /** DynamoDB key type of the sort key: S (string, the default) or N (number). */
  readonly sortKeyType?: "S" | "N";
}

/**
 * Market listing indexes. Every market carries `listPk = STATUS#<status>` and one sort attribute per
 * sortable field, each suffixed with `#<id>` so that sort values are unique and a cursor can resume
 * with a key condition (keyset pagination) instead of an offset.
 */
export const MARKETS_BY_CREATED: IndexDefinition = {
  name: "marketsByCreatedAt",
  partitionKey: "listPk",
  sortKey: "createdKey",
};
export const MARKETS_BY_VOLUME: IndexDefinition = {
  name: "marketsByVolume",
  partitionKey: "listPk",
  sortKey: "volumeKey",
  sortKeyType: "N",
};
export const MARKETS_BY_CLOSES: IndexDefinition = {
  name: "marketsByClosesAt",
  partitionKey: "listPk",
  sortKey: "closesKey",
};
/**
 * A creator's markets and a category's markets, one partition per (creator, status) and per
 * (category, status): `creatorKey = CREATOR#<creatorId>#<status>`, `categoryKey =
 * CATEGORY#<category>#<status>`, each with the same three sort orders as the status lists, so a list
 * by creator or category reads one key-ordered page per status, like the status lists. Sparse: only
 * markets carry `creatorKey`, only markets with a category carry `categoryKey`. The keys follow the
 * status (and the category): an update that changes either rewrites them. `creatorSort` and
 * `categorySort` hold `<createdAt>#<id>`, the same value as `createdKey`.
 */
export const MARKETS_BY_CREATOR: IndexDefinition = {
  name: "marketsByCreator",
  partitionKey: "creatorKey",
  sortKey: "creatorSort",
};
export const MARKETS_BY_CREATOR_VOLUME: IndexDefinition = {
  name: "marketsByCreatorVolume",
  partitionKey: "creatorKey",
  sortKey: "volumeKey",
  sortKeyType: "N",
};
export const MARKETS_BY_CREATOR_CLOSES: IndexDefinition = {
  name: "marketsByCreatorClosesAt",
  partitionKey: "creatorKey",
  sortKey: "closesKey",
};
export const MARKETS_BY_CATEGORY: IndexDefinition = {
  name: "marketsByCategory",
  partitionKey: "categoryKey",
  sortKey: "categorySort",
};
export const MARKETS_BY_CATEGORY_VOLUME: IndexDefinition = {
  name: "marketsByCategoryVolume",
  partitionKey: "categoryKey",
  sortKey: "volumeKey",
  sortKeyType: "N",
};
export const MARKETS_BY_CATEGORY_CLOSES: IndexDefinition = {
  name: "marketsByCategoryClosesAt",
  partitionKey: "categoryKey",
  sortKey: "closesKey",
};
/** A user's positions across markets: `userKey = USER#<id>`, `userSort = POSITION#<marketId>`. */
export const POSITIONS_BY_USER: IndexDefinition = {
  name: "positionsByUser",
  partitionKey: "userKey",
  sortKey: "userSort",
};
/** Search vectors in a few shards, ordered by when they were indexed, for incremental refresh. */
export const VECTORS_BY_INDEXED_AT: IndexDefinition = {
  name: "vectorsByIndexedAt",
  partitionKey: "vectorShard",
  sortKey: "indexedKey",
};

export const INDEXES: readonly IndexDefinition[] = [
  MARKETS_BY_CREATED,
  MARKETS_BY_VOLUME,
  MARKETS_BY_CLOSES,
  MARKETS_BY_CREATOR,
  MARKETS_BY_CREATOR_VOLUME,
  MARKETS_BY_CREATOR_CLOSES,
  MARKETS_BY_CATEGORY,
  MARKETS_BY_CATEGORY_VOLUME,
  MARKETS_BY_CATEGORY_CLOSES,
  POSITIONS_BY_USER,
  VECTORS_BY_INDEXED_AT,
];

/** Every key attribute with its type, listed once for CreateTable's AttributeDefinitions. */
export const KEY_ATTRIBUTES: ReadonlyMap<string, "S" | "N"> = new Map([
  [PARTITION_KEY, "S"],
  [SORT_KEY, "S"],
  ...INDEXES.flatMap((index): [string, "S" | "N"][] => [
    [index.partitionKey, "S"],
    [index.sortKey, index.sortKeyType ?? "S"],
  ]),
]);

/** Partition-key prefixes: what a route declaration names to scope its IAM policy (dynamodb:LeadingKeys). */
export const KEY_PREFIXES = {
  market: "MARKET#",
  user: "USER#",
  idempotency: "IDEMPOTENCY#",
  rateLimit: "RATE#",
  /**
   * Search vectors, one partition per market. Not under `MARKET#`: a role that writes vectors
   * (the index worker) is then granted `VECTOR#*` and can never write a market or a position.
   */
  vector: "VECTOR#",
} as const;
export type KeyPrefix = (typeof KEY_PREFIXES)[keyof typeof KEY_PREFIXES];

/** A secondary index's name; the stack refuses a declaration naming one that INDEXES lacks. */
export type IndexName = string;

/** Item key builders: the only place that knows how keys are spelled. */
export const keys = {
  market: (id: string) => ({ pk: `MARKET#${id}`, sk: MARKET_SK }),
  position: (marketId: string, userId: string) => ({ pk: `MARKET#${marketId}`, sk: `POSITION#${userId}` }),
  user: (id: string) => ({ pk: `USER#${id}`, sk: "PROFILE" }),
  vector: (marketId: string) => ({ pk: `VECTOR#${marketId}`, sk: VECTOR_SK }),
  rateWindow: (bucket: string, caller: string, windowStart: number) => ({
    pk: `RATE#${bucket}#${caller}`,
    sk: `WINDOW#${windowStart}`,
  }),
} as const;

export const POSITION_SK_PREFIX = "POSITION#";

/** The sort key of a market's own item, beside its positions in the same partition. */
export const MARKET_SK = "MARKET";

/** The sort key of a vector item (in its own `VECTOR#<marketId>` partition, and before that beside the market). */
export const VECTOR_SK = "VECTOR";

/**
 * Where vectors were kept before they had a partition of their own (`MARKET#<id>` / `VECTOR`):
 * only scripts/backfill-vector-index.ts, which moves them, still reads it.
 */
export const legacyVectorKey = (marketId: string) => ({ pk: `MARKET#${marketId}`, sk: VECTOR_SK });

/** `userKey` of a user's positions (positionsByUser): the user's partition-key spelling. */
export const userPositionsKey = (userId: string): string => `${KEY_PREFIXES.user}${userId}`;

/** Money as whole cents, the unit of the volume sort keys (amounts have at most two decimals). */
export const toCents = (amount: number): number => Math.round(amount * 100);
