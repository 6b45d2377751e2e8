/**
 * The vectors a search Lambda ranks against, kept in memory for the life of its execution
 * environment. The first search loads every stored vector; later searches, at most once per
 * `refreshMs`, ask only for what changed since (one short query per shard) and apply it: upsert
 * new vectors, remove tombstones. A full reload per request would read megabytes each time.
 */
import { logger } from "../logger.ts";
import type { ShardCursors, VectorRecord, VectorRepository } from "../repositories/vector-repository.ts";
import { CompactVectorIndex } from "./compact-vector-index.ts";
import type { ScoredId } from "./vector-index.ts";

export interface SearchIndexOptions {
  vectors: Pick<VectorRepository, "changedSince">;
  /** The query embedder's model: vectors of any other model are in another space and are ignored. */
  model: string;
  dimensions: number;
  /** How long loaded vectors are trusted before the next search asks for changes. */
  refreshMs: number;
  /**
   * How late a write may show up. Index writes become visible asynchronously and writers' clocks
   * differ slightly, so a record can appear behind a cursor that already passed its timestamp.
   * Each refresh therefore also asks for everything since `settleMs` before the previous refresh
   * began; applying a record twice is harmless, and when the table is quiet nothing is re-read.
   */
  settleMs?: number;
  now?: () => number;
}

const DEFAULT_SETTLE_MS = 5000;

export class SearchIndex {
  private readonly index: CompactVectorIndex;
  private cursors: ShardCursors = {};
  /** indexedAt of the record applied per market, so a late re-read never rolls a market back. */
  private readonly appliedAt = new Map<string, string>();
  /** When the last successful refresh began (by this Lambda's clock). */
  private refreshedAt: number | undefined;
  private refreshing: Promise<void> | undefined;

  constructor(private readonly opts: SearchIndexOptions) {
    this.index = new CompactVectorIndex(opts.dimensions);
  }

  /** Number of searchable vectors currently loaded. */
  get size(): number {
    return this.index.size;
  }

  /** Bytes the loaded vectors take in memory (see CompactVectorIndex). */
  vectorBytes(): number {
    return this.index.vectorBytes();
  }

  /** The `k` best matches for `query`, after loading or refreshing the vectors if they are due. */
  async topK(query: Float32Array, k: number, filter?: (status: string) => boolean): Promise<ScoredId[]> {
    await this.ensureFresh();
    return this.index.topK(query, k, filter);
  }

  /** Concurrent callers share one refresh. Once loaded, a failed refresh serves what is loaded. */
  async ensureFresh(): Promise<void> {
    const now = this.now();
    if (this.refreshedAt !== undefined && now - this.refreshedAt < this.opts.refreshMs) return;
    this.refreshing ??= this.refresh(now).finally(() => {
      this.refreshing = undefined;
    });
    try {
      await this.refreshing;
    } catch (error) {
      if (this.refreshedAt === undefined) throw error;
      logger.warn("search index refresh failed; serving the vectors already loaded", { error });
    }
  }

  private async refresh(startedAt: number): Promise<void> {
    const firstLoad = this.refreshedAt === undefined;
    const changes = await this.opts.vectors.changedSince(this.lowerBounds());
    for (const record of changes.records) this.apply(record);
    // The first load brings nearly every vector: drop the growth headroom it left behind.
    if (firstLoad) this.index.trim();
    // A quiet shard's cursor comes back as the bound asked for; keep the later one so it never moves back.
    const merged: Record<string, string> = { ...this.cursors };
    for (const [shard, cursor] of Object.entries(changes.cursors)) {
      const current = merged[shard];
      if (current === undefined || cursor > current) merged[shard] = cursor;
    }
    this.cursors = merged;
    this.refreshedAt = startedAt;
  }

  private apply(record: VectorRecord): void {
    const applied = this.appliedAt.get(record.marketId);
    if (applied !== undefined && applied >= record.indexedAt) return;
    this.appliedAt.set(record.marketId, record.indexedAt);
    if (record.deleted) {
      this.index.remove(record.marketId);
      return;
    }
    if (record.model !== this.opts.model || record.dims !== this.index.dimensions) return;
    this.index.upsert({ id: record.marketId, status: record.status, vector: record.vector });
  }

  /**
   * Per shard, the earlier of its cursor and `settleMs` before the previous refresh: every record is
   * then read by the first refresh after it surely became visible. `indexedKey` starts with the ISO
   * time, so a bare time sorts just before every key written at that time.
   */
  private lowerBounds(): ShardCursors {
    if (this.refreshedAt === undefined) return {};
    const settled = new Date(this.refreshedAt - (this.opts.settleMs ?? DEFAULT_SETTLE_MS)).toISOString();
    return Object.fromEntries(
      Object.entries(this.cursors).map(([shard, cursor]) => {
        // biome-ignore lint/complexity/useMathMinMax: these are strings; Math.min would make them NaN.
        const bound = cursor < settled ? cursor : settled;
        return [shard, bound];
      }),
    );
  }

  private now(): number {
    return this.opts.now?.() ?? Date.now();
  }
}
