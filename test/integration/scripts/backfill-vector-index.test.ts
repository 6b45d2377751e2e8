/**
 * scripts/backfill-vector-index.ts against DynamoDB Local (through the SearchVectors layer):
 * a dry run changes nothing, an interrupted run resumes from its checkpoint, tombstones and
 * drafts stay out of the index, and afterwards the `dynamodb` engine finds every live market;
 * vectors at their old key (`MARKET#<id>` / `VECTOR`) move to `VECTOR#<id>`, the worker's newer
 * write winning, a vanished market's vector becoming a tombstone.
 */
import { DeleteCommand, DynamoDBDocumentClient, GetCommand, PutCommand } from "@aws-sdk/lib-dynamodb";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type BackfillCheckpoint, backfillVectorIndex } from "../../../scripts/backfill-vector-index.ts";
import { DynamoVectorRepository } from "../../../shared/repositories/dynamo-vector-repository.ts";
import { keys, legacyVectorKey } from "../../../shared/repositories/table-schema.ts";
import { DynamoVectorSearch } from "../../../shared/search/dynamo-vector-search.ts";
import { LocalEmbedder } from "../../../shared/search/local-embedder.ts";
import { createTestTable, deleteTestTable, testDynamoClient } from "../../support/local-cloud.ts";

const embedder = new LocalEmbedder();
const client = testDynamoClient();
const db = DynamoDBDocumentClient.from(client, { marshallOptions: { removeUndefinedValues: true } });
let table: string;
const LIVE = 12;

beforeAll(async () => {
  table = await createTestTable("backfill-vectors");
  const binary = new DynamoVectorRepository({ table, db, form: "binary" });
  const at = new Date().toISOString();
  for (let i = 0; i < LIVE + 2; i++) {
    await binary.put({
      marketId: `m${i}`,
      status: i === LIVE + 1 ? "draft" : "active",
      model: embedder.model,
      dims: embedder.dimensions,
      contentHash: `h${i}`,
      vector: embedder.embedOne(`market number ${i} about topic ${i % 4}`),
      indexedAt: at,
    });
  }
  await binary.markDeleted(`m${LIVE}`, new Date());
});

afterAll(async () => {
  await deleteTestTable(table);
  client.destroy();
});

const ALL = ["active", "closed", "resolved"] as const;
const searchable = async () =>
  (await new DynamoVectorSearch({ table, db }).nearest(embedder.embedOne("market topic"), 50, ALL)).length;

describe("backfill-vector-index", () => {
  it("dry run: reports what it would convert and writes nothing", async () => {
    const result = await backfillVectorIndex({ db, table, dryRun: true });
    expect(result).toMatchObject({ read: LIVE + 2, converted: LIVE, skipped: 2, complete: true });
    expect(await searchable()).toBe(0);
  });

  it("resumes an interrupted run from its checkpoint and converts every live vector once", async () => {
    let saved: BackfillCheckpoint = {};
    const lines: string[] = [];
    const first = await backfillVectorIndex({
      db,
      table,
      pageSize: 2,
      maxPages: 2,
      saveCheckpoint: (checkpoint) => {
        saved = checkpoint;
      },
      log: (line) => lines.push(line),
    });
    expect(first.complete).toBe(false);
    expect(lines).toHaveLength(2);
    const rest = await backfillVectorIndex({ db, table, pageSize: 2, checkpoint: saved });
    expect(rest.complete).toBe(true);
    expect(first.converted + rest.converted).toBe(LIVE);
    expect(await searchable()).toBe(LIVE);

    const { Item } = await db.send(new GetCommand({ TableName: table, Key: keys.vector("m0") }));
    expect(Item?.vector).toBeUndefined();
    expect(Item?.embedding).toHaveLength(embedder.dimensions);
    const repository = new DynamoVectorRepository({ table, db, form: "list" });
    const stored = await repository.get("m0");
    expect(stored?.deleted ? undefined : stored?.vector).toEqual(
      embedder.embedOne("market number 0 about topic 0"),
    );

    const again = await backfillVectorIndex({ db, table });
    expect(again.converted).toBe(0);
  });
});

describe("backfill-vector-index: vectors at their old key, beside the market", () => {
  let old: string;
  let repository: DynamoVectorRepository;
  const MOVED = 6;
  const at = "2030-01-01T00:00:00.000Z";
  const record = (marketId: string, indexedAt = at, contentHash = `h-${marketId}`) => ({
    marketId,
    status: "active" as const,
    model: embedder.model,
    dims: embedder.dimensions,
    contentHash,
    vector: embedder.embedOne(`market ${marketId} about a moved topic`),
    indexedAt,
  });
  const get = async (key: Record<string, string>) =>
    (await db.send(new GetCommand({ TableName: old, Key: key, ConsistentRead: true }))).Item;

  /** A vector item as the code before VECTOR# wrote it: the repository's item, at `MARKET#<id>` / `VECTOR`. */
  const legacyItem = async (marketId: string, tombstone = false) => {
    if (tombstone) await repository.markDeleted(marketId, new Date(at));
    else await repository.put(record(marketId));
    const item = await get(keys.vector(marketId));
    await db.send(new DeleteCommand({ TableName: old, Key: keys.vector(marketId) }));
    await db.send(new PutCommand({ TableName: old, Item: { ...item, ...legacyVectorKey(marketId) } }));
  };
  const market = (marketId: string) =>
    db.send(
      new PutCommand({ TableName: old, Item: { ...keys.market(marketId), id: marketId, status: "active" } }),
    );

  beforeAll(async () => {
    old = await createTestTable("backfill-move");
    repository = new DynamoVectorRepository({ table: old, db, form: "binary" });
    for (let i = 0; i < MOVED; i++) {
      await market(`old${i}`);
      await legacyItem(`old${i}`);
    }
    // Re-indexed by the new worker before the move: the new key is current, the old one stale.
    await market("rewritten");
    await legacyItem("rewritten");
    await repository.put(record("rewritten", "2030-01-02T00:00:00.000Z", "newer"));
    // Deleted after the new code was deployed, so the worker no longer saw its old vector.
    await legacyItem("gone");
    // A tombstone at the old key moves as it is.
    await legacyItem("buried", true);
  });

  afterAll(() => deleteTestTable(old));

  it("dry run: counts what it would move and writes nothing", async () => {
    const result = await backfillVectorIndex({ db, table: old, dryRun: true, convert: false });
    expect(result).toMatchObject({ moved: MOVED + 3, converted: 0, complete: true });
    expect(await get(legacyVectorKey("old0"))).toBeDefined();
    expect(await get(keys.vector("old0"))).toBeUndefined();
  });

  it("moves every old item to VECTOR#, resumably, and leaves nothing at the old key", async () => {
    let saved: BackfillCheckpoint = {};
    const first = await backfillVectorIndex({
      db,
      table: old,
      convert: false,
      pageSize: 2,
      maxPages: 1,
      saveCheckpoint: (checkpoint) => {
        saved = checkpoint;
      },
    });
    expect(first.complete).toBe(false);
    const now = new Date("2030-02-01T00:00:00.000Z");
    const rest = await backfillVectorIndex({
      db,
      table: old,
      convert: false,
      pageSize: 2,
      checkpoint: saved,
      now: () => now,
    });
    expect(rest.complete).toBe(true);
    expect(first.moved + rest.moved).toBe(MOVED + 3);

    const ids = [...Array.from({ length: MOVED }, (_, i) => `old${i}`), "rewritten", "gone", "buried"];
    for (const id of ids) expect(await get(legacyVectorKey(id)), id).toBeUndefined();
    // Moved as it was: same form, same indexedAt, so search Lambdas that hold it reload nothing.
    const moved = await get(keys.vector("old0"));
    expect(moved).toMatchObject({ pk: "VECTOR#old0", sk: "VECTOR", indexedAt: at, contentHash: "h-old0" });
    expect(moved?.vector).toBeInstanceOf(Uint8Array);
    expect(await repository.get("old1")).toEqual({ ...record("old1"), form: "binary" });
    // The worker's newer write is kept; the market's own item is untouched.
    expect(await get(keys.vector("rewritten"))).toMatchObject({ contentHash: "newer" });
    expect(await get(keys.market("old0"))).toEqual({ ...keys.market("old0"), id: "old0", status: "active" });
    // No market, no vector: a tombstone that search Lambdas refresh past.
    expect(await get(keys.vector("gone"))).toMatchObject({ deleted: true, indexedAt: now.toISOString() });
    expect(await get(keys.vector("buried"))).toMatchObject({ deleted: true, indexedAt: at });

    const again = await backfillVectorIndex({ db, table: old, convert: false });
    expect(again).toMatchObject({ moved: 0, converted: 0, complete: true });
  });

  it("moves and converts in one write when asked to convert too", async () => {
    await market("late");
    await legacyItem("late");
    const result = await backfillVectorIndex({ db, table: old });
    expect(result).toMatchObject({ moved: 1, complete: true });
    expect(await get(legacyVectorKey("late"))).toBeUndefined();
    const item = await get(keys.vector("late"));
    expect(item?.vector).toBeUndefined();
    expect(item?.embedding).toHaveLength(embedder.dimensions);
    expect(item?.searchScope).toBe("MARKET");
    expect(
      await new DynamoVectorSearch({ table: old, db }).nearest(embedder.embedOne("late"), 50, ALL),
    ).toContainEqual(expect.objectContaining({ id: "late" }));
  });
});
