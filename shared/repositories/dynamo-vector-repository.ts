/**
 * Search vectors in DynamoDB, one item per market in a partition of its own (keys.vector,
 * `VECTOR#<marketId>`), so the index worker's role writes vectors without reaching markets. The
 * vector is either a Binary attribute of float32 bytes (`binary`, for the in-process engine) or a
 * list of numbers plus the constant search scope (`list`, the form the table's vector index reads;
 * see vector-schema.ts). Reads accept both, so switching engines never strands a vector. Every
 * item also carries the keys of the
 * VECTORS_BY_INDEXED_AT index: `vectorShard` spreads writes over a few index partitions (one
 * partition for every vector would cap the write rate), and `indexedKey` orders each shard by write
 * time, so a loader asks for "after my cursor" in each shard instead of scanning the table.
 */
import { type DynamoDBDocumentClient, GetCommand, PutCommand, QueryCommand } from "@aws-sdk/lib-dynamodb";
import type { MarketStatus } from "../domain/market.ts";
import { decodeVector, encodeVector } from "../search/vector-codec.ts";
import { batchGet } from "./batch-get.ts";
import { keys, TTL_ATTRIBUTE, VECTORS_BY_INDEXED_AT } from "./table-schema.ts";
import type {
  MarketVector,
  ShardCursors,
  VectorChanges,
  VectorForm,
  VectorRecord,
  VectorRepository,
} from "./vector-repository.ts";
import { VECTOR_INDEX } from "./vector-schema.ts";

/** Four shards: writes spread over four index partitions, a full load is four parallel queries. */
export const VECTOR_SHARD_COUNT = 4;
export const VECTOR_SHARDS: readonly string[] = Array.from(
  { length: VECTOR_SHARD_COUNT },
  (_, n) => `VECTORS#${n}`,
);
/** Long enough for every search Lambda to have refreshed past it; short enough not to pile up. */
const TOMBSTONE_TTL_SECONDS = 7 * 24 * 60 * 60;

/** The shard of a market: FNV-1a of its id, so it never changes between writes. */
export function vectorShardOf(marketId: string): string {
  let hash = 0x811c9dc5;
  for (let i = 0; i < marketId.length; i++) hash = Math.imul(hash ^ marketId.charCodeAt(i), 0x01000193);
  return VECTOR_SHARDS[(hash >>> 0) % VECTOR_SHARD_COUNT] as string;
}

/** Index keys: the id suffix makes sort values unique, so a cursor never skips a same-millisecond write. */
const indexKeys = (marketId: string, indexedAt: string) => ({
  vectorShard: vectorShardOf(marketId),
  indexedKey: `${indexedAt}#${marketId}`,
});

/**
 * Float32 values as the shortest decimal that reads back as the same float32 (9 significant
 * digits always suffice): about half the characters of the float64 expansion, so half the bytes
 * DynamoDB bills for the list.
 */
export function toIndexList(vector: Float32Array): number[] {
  return Array.from(vector, (value) => (value === 0 ? 0 : Number(value.toPrecision(9))));
}

/** The attributes that make a vector item the index's: the list and the search scope. */
export function indexAttributes(vector: Float32Array): Record<string, unknown> {
  return {
    [VECTOR_INDEX.vectorAttribute]: toIndexList(vector),
    [VECTOR_INDEX.hashAttribute]: VECTOR_INDEX.hashValue,
  };
}

/**
 * The item that says a market's vector is gone: search Lambdas refreshing past it drop the vector,
 * and DynamoDB's TTL deletes it once they all have.
 */
export function vectorTombstone(marketId: string, now: Date): Record<string, unknown> {
  const indexedAt = now.toISOString();
  return {
    ...keys.vector(marketId),
    ...indexKeys(marketId, indexedAt),
    marketId,
    indexedAt,
    deleted: true,
    [TTL_ATTRIBUTE]: Math.floor(now.getTime() / 1000) + TOMBSTONE_TTL_SECONDS,
  };
}

export class DynamoVectorRepository implements VectorRepository {
  readonly form: VectorForm;

  constructor(private readonly opts: { table: string; db: DynamoDBDocumentClient; form?: VectorForm }) {
    this.form = opts.form ?? "binary";
  }

  async get(marketId: string): Promise<VectorRecord | undefined> {
    const { Item } = await this.opts.db.send(
      new GetCommand({ TableName: this.opts.table, Key: keys.vector(marketId), ConsistentRead: true }),
    );
    return Item ? fromVectorItem(Item) : undefined;
  }

  async getMany(marketIds: readonly string[]): Promise<Map<string, VectorRecord>> {
    const items = await batchGet(this.opts.db, this.opts.table, marketIds.map(keys.vector));
    return new Map(items.map((item) => [String(item.marketId), fromVectorItem(item)]));
  }

  async put(vector: MarketVector): Promise<void> {
    const item = {
      ...keys.vector(vector.marketId),
      ...indexKeys(vector.marketId, vector.indexedAt),
      marketId: vector.marketId,
      status: vector.status,
      model: vector.model,
      dims: vector.dims,
      contentHash: vector.contentHash,
      // Only a searchable market's vector may carry the search scope (vector-schema.ts).
      ...(this.form === "binary" || vector.status === "draft"
        ? { vector: encodeVector(vector.vector) }
        : indexAttributes(vector.vector)),
      indexedAt: vector.indexedAt,
    };
    await this.opts.db.send(new PutCommand({ TableName: this.opts.table, Item: item }));
  }

  async markDeleted(marketId: string, now: Date): Promise<void> {
    await this.opts.db.send(
      new PutCommand({ TableName: this.opts.table, Item: vectorTombstone(marketId, now) }),
    );
  }

  async changedSince(cursors: ShardCursors): Promise<VectorChanges> {
    const shards = await Promise.all(VECTOR_SHARDS.map((shard) => this.readShard(shard, cursors[shard])));
    const next: Record<string, string> = { ...cursors };
    shards.forEach((shard, n) => {
      if (shard.lastKey !== undefined) next[VECTOR_SHARDS[n] as string] = shard.lastKey;
    });
    return { records: shards.flatMap((shard) => shard.records), cursors: next };
  }

  /** Every item of one shard after `after`, ascending, following pages until the shard is exhausted. */
  private async readShard(shard: string, after: string | undefined) {
    const { partitionKey, sortKey, name } = VECTORS_BY_INDEXED_AT;
    const records: VectorRecord[] = [];
    let lastKey: string | undefined;
    let startKey: Record<string, unknown> | undefined;
    do {
      const result = await this.opts.db.send(
        new QueryCommand({
          TableName: this.opts.table,
          IndexName: name,
          KeyConditionExpression:
            after === undefined ? "#shard = :shard" : "#shard = :shard AND #key > :after",
          ExpressionAttributeNames: {
            "#shard": partitionKey,
            ...(after === undefined ? {} : { "#key": sortKey }),
          },
          ExpressionAttributeValues: { ":shard": shard, ...(after === undefined ? {} : { ":after": after }) },
          ExclusiveStartKey: startKey,
        }),
      );
      for (const item of result.Items ?? []) {
        records.push(fromVectorItem(item));
        lastKey = String(item[sortKey]);
      }
      startKey = result.LastEvaluatedKey;
    } while (startKey);
    return { records, lastKey };
  }
}

function fromVectorItem(item: Record<string, unknown>): VectorRecord {
  const marketId = String(item.marketId);
  const indexedAt = String(item.indexedAt);
  if (item.deleted === true) return { marketId, indexedAt, deleted: true };
  return {
    marketId,
    indexedAt,
    status: item.status as MarketStatus,
    model: String(item.model),
    dims: Number(item.dims),
    contentHash: String(item.contentHash),
    ...decodeEither(item),
  };
}

function decodeEither(item: Record<string, unknown>): { vector: Float32Array; form: VectorForm } {
  const list = item[VECTOR_INDEX.vectorAttribute];
  if (Array.isArray(list)) return { vector: Float32Array.from(list as number[]), form: "list" };
  return { vector: decodeVector(item.vector as Uint8Array), form: "binary" };
}
