import { DynamoDBDocumentClient, GetCommand } from "@aws-sdk/lib-dynamodb";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  DynamoVectorRepository,
  VECTOR_SHARDS,
} from "../../../shared/repositories/dynamo-vector-repository.ts";
import { keys } from "../../../shared/repositories/table-schema.ts";
import type { MarketVector, ShardCursors } from "../../../shared/repositories/vector-repository.ts";
import { createTestTable, deleteTestTable, testDynamoClient } from "../../support/local-cloud.ts";

const DIMENSIONS = 1024;
const client = testDynamoClient();
const db = DynamoDBDocumentClient.from(client, { marshallOptions: { removeUndefinedValues: true } });
let table: string;
let repository: DynamoVectorRepository;

function vectorFor(marketId: string, at: Date, seed = 1): MarketVector {
  return {
    marketId,
    status: "active",
    model: "test-model",
    dims: DIMENSIONS,
    contentHash: `hash-${marketId}-${seed}`,
    vector: Float32Array.from({ length: DIMENSIONS }, (_, d) => Math.sin(seed * (d + 1))),
    indexedAt: at.toISOString(),
  };
}

/** Reads changes until none are left, like a search Lambda refreshing repeatedly. */
async function drain(cursors: ShardCursors) {
  const changes = await repository.changedSince(cursors);
  return { ids: changes.records.map((record) => record.marketId).sort(), changes };
}

beforeAll(async () => {
  table = await createTestTable("vectors");
  repository = new DynamoVectorRepository({ table, db });
});

afterAll(async () => {
  await deleteTestTable(table);
  client.destroy();
});

describe("DynamoVectorRepository", () => {
  it("stores the vector as float32 bytes and reads it back exactly", async () => {
    const stored = vectorFor("roundtrip", new Date("2030-01-01T00:00:00.000Z"));
    await repository.put(stored);
    // Read back with the form it was stored in (bytes, since this repository has no vector index).
    expect(await repository.get("roundtrip")).toEqual({ ...stored, form: "binary" });
    const { Item } = await db.send(new GetCommand({ TableName: table, Key: keys.vector("roundtrip") }));
    // In a partition of its own, never the market's (the worker's role is granted VECTOR# only).
    expect(Item?.pk).toBe("VECTOR#roundtrip");
    expect(Item?.vector).toBeInstanceOf(Uint8Array);
    expect(Item?.vector?.byteLength).toBe(DIMENSIONS * 4);
    expect(VECTOR_SHARDS).toContain(Item?.vectorShard);
    expect(Item?.indexedKey).toBe("2030-01-01T00:00:00.000Z#roundtrip");
    expect(await repository.get("never-indexed")).toBeUndefined();
  });

  it("reads many records in one call and leaves out unknown ids", async () => {
    await repository.put(vectorFor("many-1", new Date("2030-01-01T00:00:01.000Z")));
    const found = await repository.getMany(["many-1", "roundtrip", "unknown"]);
    expect([...found.keys()].sort()).toEqual(["many-1", "roundtrip"]);
  });

  it("returns only what changed after the cursors, tombstones included", async () => {
    const full = await repository.changedSince({});
    expect(full.records.length).toBeGreaterThanOrEqual(2);
    expect(await drain(full.cursors)).toMatchObject({ ids: [] });

    const later = new Date("2030-01-02T00:00:00.000Z");
    await repository.put(vectorFor("fresh", later));
    await repository.markDeleted("many-1", later);
    const { ids, changes } = await drain(full.cursors);
    expect(ids).toEqual(["fresh", "many-1"]);
    expect(changes.records.find((record) => record.marketId === "many-1")).toEqual({
      marketId: "many-1",
      indexedAt: later.toISOString(),
      deleted: true,
    });
    expect(await drain(changes.cursors)).toMatchObject({ ids: [] });
  });

  it("gives a tombstone a TTL of seven days and replaces the vector", async () => {
    const now = new Date("2030-01-03T00:00:00.000Z");
    await repository.markDeleted("roundtrip", now);
    const { Item } = await db.send(new GetCommand({ TableName: table, Key: keys.vector("roundtrip") }));
    expect(Item?.expiresAt).toBe(now.getTime() / 1000 + 7 * 24 * 3600);
    expect(Item?.vector).toBeUndefined();
    expect(await repository.get("roundtrip")).toMatchObject({ deleted: true });
  });

  it("follows pages until every shard is exhausted", async () => {
    // 4 KB per vector: a 1 MB query page holds about 250, so 1,200 spread over 4 shards needs more than one.
    const start = Date.parse("2031-01-01T00:00:00.000Z");
    const ids = Array.from({ length: 1200 }, (_, i) => `bulk-${String(i).padStart(4, "0")}`);
    const before = await repository.changedSince({});
    for (let i = 0; i < ids.length; i += 100) {
      await Promise.all(
        ids.slice(i, i + 100).map((id, j) => repository.put(vectorFor(id, new Date(start + i + j), i + j))),
      );
    }
    const { ids: changed } = await drain(before.cursors);
    expect(changed).toEqual(ids);
  });
});
