/**
 * Port: the stored search vector of each market. The worker writes one record per market; every
 * search Lambda reads them all once and then only what changed since. Removals are written as
 * tombstones instead of deletes, because a loader that only asks "what changed?" never sees a delete.
 */
import type { MarketStatus } from "../domain/market.ts";

/**
 * How a vector is stored: `binary` float32 bytes (compact, what the in-process engine loads) or a
 * `list` of numbers (what DynamoDB's vector index reads, with the index's search scope).
 */
export type VectorForm = "binary" | "list";

/** A market's embedding and what it was computed from. */
export interface MarketVector {
  marketId: string;
  /** The market's status when it was indexed, for filtering before the markets are read. */
  status: MarketStatus;
  /** Embedder model id: vectors of different models live in different spaces and never mix. */
  model: string;
  dims: number;
  /** SHA-256 of the embedded text: an unchanged market is not embedded again. */
  contentHash: string;
  vector: Float32Array;
  /** ISO timestamp of the write; the incremental refresh orders by it. */
  indexedAt: string;
  /** How it is stored (set when read back; a write uses the repository's form). */
  form?: VectorForm;
  deleted?: undefined;
}

/** A market that is gone or not searchable (a draft); kept for a while so loaders see the removal. */
export interface VectorTombstone {
  marketId: string;
  indexedAt: string;
  deleted: true;
}

export type VectorRecord = MarketVector | VectorTombstone;

/** Per shard, the last `indexedKey` already seen; an empty object means "from the beginning". */
export type ShardCursors = Readonly<Record<string, string>>;

export interface VectorChanges {
  /** Every record written after the cursors, live and tombstoned, in no particular order. */
  records: VectorRecord[];
  /** Pass these to the next call; unchanged for shards without news. */
  cursors: ShardCursors;
}

export interface VectorRepository {
  /** The form `put` writes: a stored vector of another form is re-written by the next index job. */
  readonly form: VectorForm;
  get(marketId: string): Promise<VectorRecord | undefined>;
  /** Records by market id in one batch read; missing ids are simply absent. */
  getMany(marketIds: readonly string[]): Promise<Map<string, VectorRecord>>;
  /** Create or replace the market's vector. */
  put(vector: MarketVector): Promise<void>;
  /** Replace the market's vector with a tombstone that expires after a few days. */
  markDeleted(marketId: string, now: Date): Promise<void>;
  /** Everything written after `cursors` (all records for `{}`), with the cursors to continue from. */
  changedSince(cursors: ShardCursors): Promise<VectorChanges>;
}
