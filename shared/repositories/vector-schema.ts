/**
 * The table's vector index (DynamoDB `VectorIndexes`) and the attributes of a vector item. Plain
 * data, like table-schema.ts: the CDK table, the local SearchVectors emulation, the IAM policy of
 * the index worker and the repositories all read it, so they cannot drift apart.
 *
 * Which items are searchable is decided by the search schema's HASH attribute: DynamoDB leaves an
 * item without it out of the index, silently. So `searchScope` is a constant, written on the
 * vector item of every searchable (non-draft) market and on nothing else: no searchable market can
 * be missing from the index for want of a key value, and a draft, a deleted market or a tombstone
 * (written without it) is never in it. `status` is an inline filter for the `status` parameter.
 */

/** Vector length of each embedder (Titan v2 at 1,024; the local embedder's default): the index's Dimensions. */
export const EMBEDDING_DIMENSIONS = { local: 1024, bedrock: 1024 } as const;

export const VECTOR_INDEX = {
  name: "marketEmbeddings",
  /** A list of numbers (L of N), as the index requires; the vector item's only copy of the vector. */
  vectorAttribute: "embedding",
  distanceFunction: "COSINE",
  hashAttribute: "searchScope",
  hashValue: "MARKET",
  inlineFilterAttributes: ["status"],
  /** What a search result needs besides the keys and `status` (an index key, projected anyway). */
  projectedAttributes: ["marketId"],
} as const;

/** The index as DynamoDB's API describes it (VectorIndex); the CDK table and the emulation use it. */
export interface VectorIndexDefinition {
  readonly IndexName: string;
  readonly VectorAttribute: { readonly AttributeName: string };
  readonly Dimensions: number;
  readonly DistanceFunction: "COSINE" | "EUCLIDEAN" | "DOT_PRODUCT";
  readonly SearchSchema: readonly {
    readonly AttributeName: string;
    readonly SearchSchemaElementType: "HASH" | "INLINE_FILTER";
  }[];
  readonly Projection: {
    readonly ProjectionType: "ALL" | "KEYS_ONLY" | "INCLUDE";
    readonly NonKeyAttributes?: readonly string[];
  };
}

export function marketVectorIndex(dimensions: number): VectorIndexDefinition {
  return {
    IndexName: VECTOR_INDEX.name,
    VectorAttribute: { AttributeName: VECTOR_INDEX.vectorAttribute },
    Dimensions: dimensions,
    DistanceFunction: VECTOR_INDEX.distanceFunction,
    SearchSchema: [
      { AttributeName: VECTOR_INDEX.hashAttribute, SearchSchemaElementType: "HASH" },
      ...VECTOR_INDEX.inlineFilterAttributes.map((name) => ({
        AttributeName: name,
        SearchSchemaElementType: "INLINE_FILTER" as const,
      })),
    ],
    Projection: { ProjectionType: "INCLUDE", NonKeyAttributes: VECTOR_INDEX.projectedAttributes },
  };
}

/**
 * Every attribute a vector item may carry (table-schema's keys.vector item), and therefore the
 * only ones the index worker's role may write. `vector` is the in-process engine's float32 bytes,
 * `embedding` the vector index's list; an item carries the one its engine reads.
 */
export const VECTOR_ITEM_ATTRIBUTES = [
  "pk",
  "sk",
  "vectorShard",
  "indexedKey",
  "marketId",
  "status",
  "model",
  "dims",
  "contentHash",
  "vector",
  VECTOR_INDEX.vectorAttribute,
  VECTOR_INDEX.hashAttribute,
  "indexedAt",
  "deleted",
  "expiresAt",
] as const;
