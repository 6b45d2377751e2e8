/**
 * scripts/backfill-vector-index.ts against DynamoDB Local (through the SearchVectors layer):
 * a dry run changes nothing, an interrupted run resumes from its checkpoint, tombstones and
 * drafts stay out of the index, and afterwards the `dynamodb` engine finds every live market.
 */
import { DynamoDBDocumentClient, GetCommand } from "@aws-sdk/lib-dynamodb";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type BackfillCheckpoint, backfillVectorIndex } from "../../../scripts/backfill-vector-index.ts";
import { DynamoVectorRepository } from "../../../shared/repositories/dynamo-vector-repository.ts";
import { keys } from "../../../shared/repositories/table-schema.ts";
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
