/**
 * The local SearchVectors layer (infra/local/search-vectors-proxy.ts) in front of DynamoDB Local,
 * through the run's shared endpoint: the `dynamodb` engine's adapter finds what the worker's
 * repository writes, and bad requests get the ValidationExceptions AWS documents.
 */
import { GetItemCommand, SearchVectorsCommand } from "@aws-sdk/client-dynamodb";
import { DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DynamoVectorRepository } from "../../../shared/repositories/dynamo-vector-repository.ts";
import { keys } from "../../../shared/repositories/table-schema.ts";
import type { MarketVector } from "../../../shared/repositories/vector-repository.ts";
import { VECTOR_INDEX } from "../../../shared/repositories/vector-schema.ts";
import { DynamoVectorSearch } from "../../../shared/search/dynamo-vector-search.ts";
import { LocalEmbedder } from "../../../shared/search/local-embedder.ts";
import { createTestTable, deleteTestTable, testDynamoClient } from "../../support/local-cloud.ts";

const embedder = new LocalEmbedder();
const client = testDynamoClient();
const db = DynamoDBDocumentClient.from(client, { marshallOptions: { removeUndefinedValues: true } });
let table: string;
let vectors: DynamoVectorRepository;
let engine: DynamoVectorSearch;

const market = (marketId: string, text: string, status: MarketVector["status"] = "active"): MarketVector => ({
  marketId,
  status,
  model: embedder.model,
  dims: embedder.dimensions,
  contentHash: marketId,
  vector: embedder.embedOne(text),
  indexedAt: new Date().toISOString(),
});

const query = (text: string) => embedder.embedOne(text);
const ALL = ["active", "closed", "resolved"] as const;

beforeAll(async () => {
  table = await createTestTable("vector-search");
  vectors = new DynamoVectorRepository({ table, db, form: "list" });
  engine = new DynamoVectorSearch({ table, db });
  await vectors.put(market("oslo", "Will it snow in Oslo on Christmas Day?"));
  await vectors.put(market("paris", "Will it rain in Paris on New Year's Day?"));
  await vectors.put(market("btc", "Will Bitcoin close above $150k in 2027?", "closed"));
});

afterAll(async () => {
  await deleteTestTable(table);
  client.destroy();
});

describe("SearchVectors emulation", () => {
  it("ranks the worker's vectors by COSINE distance, best first, with scores in (0, 1]", async () => {
    const hits = await engine.nearest(query("snow in oslo at christmas"), 3, ALL);
    expect(hits.map((hit) => hit.id)).toEqual(["oslo", expect.any(String), expect.any(String)]);
    for (const hit of hits) expect(hit.score > 0 && hit.score <= 1).toBe(true);
    expect([...hits].sort((a, b) => b.score - a.score)).toEqual(hits);
  });

  it("filters on status with an equality on the inline filter", async () => {
    expect((await engine.nearest(query("bitcoin 150k"), 5, ["closed"])).map((hit) => hit.id)).toEqual([
      "btc",
    ]);
    expect((await engine.nearest(query("bitcoin 150k"), 5, ["active"])).map((hit) => hit.id)).not.toContain(
      "btc",
    );
    expect(await engine.nearest(query("bitcoin 150k"), 5, ["draft"])).toEqual([]);
  });

  it("sees writes at once: a tombstone or a draft's vector (no search scope) leaves the index", async () => {
    await vectors.markDeleted("paris", new Date());
    await vectors.put(market("oslo", "Will it snow in Oslo on Christmas Day?", "draft"));
    const ids = (await engine.nearest(query("rain in paris snow in oslo"), 10, ALL)).map((hit) => hit.id);
    expect(ids).toEqual(["btc"]);
    await vectors.put(market("oslo", "Will it snow in Oslo on Christmas Day?"));
    expect((await engine.nearest(query("snow in oslo"), 1, ALL)).map((hit) => hit.id)).toEqual(["oslo"]);
  });

  it("returns only keys, search-schema and projected attributes; the vector only when asked", async () => {
    const base = {
      TableName: table,
      IndexName: VECTOR_INDEX.name,
      SearchVector: Array.from(query("snow in oslo"), (value) => ({ N: String(value) })),
      TopK: 1,
      SearchConditionExpression: "searchScope = :scope",
      ExpressionAttributeValues: { ":scope": { S: "MARKET" } },
    };
    const plain = await client.send(new SearchVectorsCommand(base));
    expect(Object.keys(plain.SearchResults?.[0]?.Item ?? {}).sort()).toEqual([
      "marketId",
      "pk",
      "searchScope",
      "sk",
      "status",
    ]);
    const withVector = await client.send(
      new SearchVectorsCommand({ ...base, ProjectionExpression: "marketId, embedding" }),
    );
    expect(withVector.SearchResults?.[0]?.Item?.embedding?.L).toHaveLength(embedder.dimensions);
  });

  it("answers bad requests with AWS's documented ValidationExceptions", async () => {
    const request = (overrides: Record<string, unknown>) =>
      client.send(
        new SearchVectorsCommand({
          TableName: table,
          IndexName: VECTOR_INDEX.name,
          SearchVector: Array.from(query("snow"), (value) => ({ N: String(value) })),
          TopK: 5,
          SearchConditionExpression: "#scope = :scope",
          ExpressionAttributeNames: { "#scope": "searchScope" },
          ExpressionAttributeValues: { ":scope": { S: "MARKET" } },
          ...overrides,
        } as never),
      );
    const rejected = async (overrides: Record<string, unknown>) => {
      const error = await request(overrides).then(
        () => undefined,
        (caught: unknown) =>
          caught as { name: string; message: string; $metadata: { httpStatusCode?: number } },
      );
      expect(error?.$metadata.httpStatusCode).toBe(400);
      return { name: error?.name, message: error?.message };
    };
    const topK = { name: "ValidationException", message: "Provided TopK value is out of valid range" };
    expect(await rejected({ TopK: 0 })).toEqual(topK);
    expect(await rejected({ TopK: 101 })).toEqual(topK);
    expect(
      await rejected({
        SearchConditionExpression: undefined,
        ExpressionAttributeNames: undefined,
        ExpressionAttributeValues: undefined,
      }),
    ).toEqual({
      name: "ValidationException",
      message: "SearchConditionExpression must be provided when SearchSchema has a HASH key",
    });
    expect(await rejected({ SearchConditionExpression: "#scope > :scope" })).toEqual({
      name: "ValidationException",
      message: "Invalid comparator used in SearchConditionExpression",
    });
    expect(await rejected({ IndexName: "noSuchIndex" })).toEqual({
      name: "ValidationException",
      message: "The table does not have the specified index: noSuchIndex",
    });
    expect((await rejected({ TableName: "no-such-table" })).name).toBe("ResourceNotFoundException");
    expect((await rejected({ SearchVector: [{ N: "1" }] })).name).toBe("ValidationException");
    expect((await rejected({ ExpressionAttributeValues: {} })).name).toBe("ValidationException");
  });

  it("passes every other operation through untouched", async () => {
    const { Item } = await client.send(
      new GetItemCommand({
        TableName: table,
        Key: { pk: { S: keys.vector("btc").pk }, sk: { S: keys.vector("btc").sk } },
      }),
    );
    expect(Item?.marketId).toEqual({ S: "btc" });
    expect(Item?.[VECTOR_INDEX.hashAttribute]).toEqual({ S: "MARKET" });
  });
});
