import { describe, expect, it, vi } from "vitest";
import type { MarketStatus } from "../../../shared/domain/market.ts";
import { logger } from "../../../shared/logger.ts";
import type {
  ShardCursors,
  VectorChanges,
  VectorRecord,
  VectorRepository,
} from "../../../shared/repositories/vector-repository.ts";
import { normaliseInPlace } from "../../../shared/search/embedder.ts";
import { SearchIndex } from "../../../shared/search/search-index.ts";

const DIMENSIONS = 8;
const MODEL = "model-a";
const SHARD = "VECTORS#0";

/** One-shard stand-in for the table's index: records ordered by `indexedAt#marketId`. */
class FakeVectors implements Pick<VectorRepository, "changedSince"> {
  readonly records = new Map<string, VectorRecord>();
  calls: ShardCursors[] = [];

  write(record: VectorRecord): void {
    this.records.set(record.marketId, record);
  }

  async changedSince(cursors: ShardCursors): Promise<VectorChanges> {
    this.calls.push(cursors);
    const after = cursors[SHARD] ?? "";
    const keyOf = (record: VectorRecord) => `${record.indexedAt}#${record.marketId}`;
    const records = [...this.records.values()].filter((record) => keyOf(record) > after).sort();
    const last = records.map(keyOf).sort().at(-1);
    return { records, cursors: last === undefined ? cursors : { ...cursors, [SHARD]: last } };
  }
}

const axis = (d: number) =>
  normaliseInPlace(Float32Array.from({ length: DIMENSIONS }, (_, i) => (i === d ? 1 : 0)));

function live(
  marketId: string,
  d: number,
  indexedAt: string,
  model = MODEL,
  status: MarketStatus = "active",
) {
  return { marketId, status, model, dims: DIMENSIONS, contentHash: "h", vector: axis(d), indexedAt };
}

function setup(refreshMs = 1000) {
  const vectors = new FakeVectors();
  let clock = Date.parse("2030-01-01T00:00:20.000Z");
  const index = new SearchIndex({
    vectors,
    model: MODEL,
    dimensions: DIMENSIONS,
    refreshMs,
    now: () => clock,
  });
  return { vectors, index, advance: (ms: number) => (clock += ms) };
}

const ids = async (index: SearchIndex, d = 0) => (await index.topK(axis(d), 10)).map((hit) => hit.id).sort();

describe("SearchIndex", () => {
  it("loads everything on first use, then refreshes at most once per refreshMs", async () => {
    const { vectors, index, advance } = setup();
    vectors.write(live("a", 0, "2030-01-01T00:00:00.000Z"));
    expect(await ids(index)).toEqual(["a"]);
    expect(vectors.calls).toEqual([{}]);

    vectors.write(live("b", 1, "2030-01-01T00:00:01.000Z"));
    advance(999);
    expect(await ids(index)).toEqual(["a"]);
    advance(1);
    expect(await ids(index)).toEqual(["a", "b"]);
    expect(vectors.calls).toHaveLength(2);
  });

  it("also picks up a record that became visible behind the cursor", async () => {
    const { vectors, index, advance } = setup();
    vectors.write(live("a", 0, "2030-01-01T00:00:10.000Z"));
    vectors.write(live("c", 0, "2030-01-01T00:00:18.000Z"));
    expect(await ids(index)).toEqual(["a", "c"]);
    // Written at 17 s, before the cursor (18 s#c), but visible only after the load at 20 s.
    vectors.write(live("b", 0, "2030-01-01T00:00:17.000Z"));
    advance(1000);
    expect(await ids(index)).toEqual(["a", "b", "c"]);
    expect(vectors.calls[1]).toEqual({ [SHARD]: "2030-01-01T00:00:15.000Z" });
  });

  it("re-reads nothing once the table is quiet", async () => {
    const { vectors, index, advance } = setup();
    vectors.write(live("a", 0, "2030-01-01T00:00:10.000Z"));
    await index.ensureFresh();
    advance(1000);
    await index.ensureFresh();
    advance(1000);
    await index.ensureFresh();
    expect(vectors.calls.slice(1)).toEqual([
      { [SHARD]: "2030-01-01T00:00:10.000Z#a" },
      { [SHARD]: "2030-01-01T00:00:10.000Z#a" },
    ]);
  });

  it("removes tombstoned markets and ignores vectors of another model", async () => {
    const { vectors, index, advance } = setup();
    vectors.write(live("a", 0, "2030-01-01T00:00:00.000Z"));
    vectors.write(live("b", 0, "2030-01-01T00:00:00.000Z"));
    vectors.write(live("other", 0, "2030-01-01T00:00:00.000Z", "model-b"));
    expect(await ids(index)).toEqual(["a", "b"]);

    vectors.write({ marketId: "a", indexedAt: "2030-01-01T00:00:21.000Z", deleted: true });
    advance(1000);
    expect(await ids(index)).toEqual(["b"]);
    expect(index.size).toBe(1);
  });

  it("updates status in place and never rolls a market back to an older record", async () => {
    const { vectors, index, advance } = setup();
    vectors.write(live("a", 0, "2030-01-01T00:00:19.000Z", MODEL, "closed"));
    await index.ensureFresh();
    // A late, older record for the same market (re-read inside the settle window) must lose.
    vectors.records.set("a", live("a", 0, "2030-01-01T00:00:18.000Z", MODEL, "active"));
    advance(1000);
    const hits = await index.topK(axis(0), 10, (status) => status === "active");
    expect(hits).toEqual([]);
  });

  it("fails the first load, but serves loaded vectors when a later refresh fails", async () => {
    const { vectors, index, advance } = setup();
    const working = vectors.changedSince.bind(vectors);
    vectors.changedSince = async () => Promise.reject(new Error("dynamodb down"));
    await expect(index.ensureFresh()).rejects.toThrow("dynamodb down");

    vectors.changedSince = working;
    vectors.write(live("a", 0, "2030-01-01T00:00:00.000Z"));
    expect(await ids(index)).toEqual(["a"]);
    vectors.changedSince = async () => Promise.reject(new Error("dynamodb down"));
    const warn = vi.spyOn(logger, "warn").mockImplementation(() => {});
    advance(5000);
    expect(await ids(index)).toEqual(["a"]);
    expect(warn).toHaveBeenCalledOnce();
  });

  it("shares one refresh between concurrent searches", async () => {
    const { vectors, index } = setup();
    vectors.write(live("a", 0, "2030-01-01T00:00:00.000Z"));
    await Promise.all([ids(index), ids(index), ids(index)]);
    expect(vectors.calls).toHaveLength(1);
  });
});
