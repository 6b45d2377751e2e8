import { DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import type { Context, SQSEvent } from "aws-lambda";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { LOCAL_CREDENTIALS, LOCAL_REGION } from "../../../infra/local/local-env.ts";
import type { Market } from "../../../shared/domain/market.ts";
import { UnavailableError } from "../../../shared/errors.ts";
import type { IndexJob } from "../../../shared/queue/index-jobs.ts";
import { DynamoMarketRepository } from "../../../shared/repositories/dynamo-market-repository.ts";
import { DynamoVectorRepository } from "../../../shared/repositories/dynamo-vector-repository.ts";
import type { MarketVector, VectorRepository } from "../../../shared/repositories/vector-repository.ts";
import { LocalEmbedder } from "../../../shared/search/local-embedder.ts";
import { MarketIndexer } from "../../../shared/services/market-indexer.ts";
import {
  createTestTable,
  deleteTestTable,
  testDynamoClient,
  testEndpoints,
} from "../../support/local-cloud.ts";

const client = testDynamoClient();
const db = DynamoDBDocumentClient.from(client, { marshallOptions: { removeUndefinedValues: true } });
const embedder = new LocalEmbedder({ dimensions: 256 });
let table: string;
let markets: DynamoMarketRepository;
let vectors: DynamoVectorRepository;
let clock = Date.parse("2030-01-01T00:00:00.000Z");
/** Every call is one second later, so each write gets a distinct `indexedAt`. */
function now(): Date {
  clock += 1000;
  return new Date(clock);
}

function market(id: string, overrides: Partial<Market> = {}): Market {
  const at = new Date(clock).toISOString();
  return {
    id,
    name: "Will it rain in Paris on New Year's Day?",
    description: "Météo-France, 24h total.",
    category: "weather",
    status: "active",
    outcome: null,
    closesAt: "2031-01-01T00:00:00.000Z",
    volume: 0,
    yesVolume: 0,
    noVolume: 0,
    creatorId: "u-1",
    createdAt: at,
    updatedAt: at,
    version: 1,
    ...overrides,
  };
}

const job = (marketId: string): IndexJob => ({
  jobId: `job-${marketId}`,
  marketId,
  reason: "created",
  queuedAt: "",
});

async function liveVector(marketId: string): Promise<MarketVector> {
  const record = await vectors.get(marketId);
  if (!record || record.deleted) throw new Error(`${marketId} has no live vector`);
  return record;
}

function indexer(vectorStore: Pick<VectorRepository, "get" | "put" | "markDeleted"> = vectors) {
  return new MarketIndexer({
    markets,
    vectors: vectorStore,
    embedder,
    now,
    retry: { sleep: async () => {} },
  });
}

beforeAll(async () => {
  table = await createTestTable("indexer");
  markets = new DynamoMarketRepository({ table, db });
  vectors = new DynamoVectorRepository({ table, db });
});

afterAll(async () => {
  await deleteTestTable(table);
  client.destroy();
});

describe("MarketIndexer", () => {
  it("indexes a market once: a redelivered job writes nothing new", async () => {
    await markets.create(market("m-redeliver"));
    expect(await indexer().index(job("m-redeliver"))).toBe("indexed");
    const first = await vectors.get("m-redeliver");
    expect(first).toMatchObject({ status: "active", model: embedder.model, dims: 256 });

    expect(await indexer().index(job("m-redeliver"))).toBe("unchanged");
    expect((await vectors.get("m-redeliver"))?.indexedAt).toBe(first?.indexedAt);
  });

  it("re-embeds after a change of status or text", async () => {
    await markets.create(market("m-change"));
    await indexer().index(job("m-change"));
    const before = await liveVector("m-change");

    await markets.update(
      "m-change",
      { status: "closed" },
      { basis: market("m-change") },
      new Date(clock).toISOString(),
    );
    expect(await indexer().index(job("m-change"))).toBe("indexed");
    const closed = await liveVector("m-change");
    expect(closed.status).toBe("closed");
    expect(closed.indexedAt > before.indexedAt).toBe(true);

    await markets.update("m-change", { name: "Will it snow in Paris?" }, {}, new Date(clock).toISOString());
    expect(await indexer().index(job("m-change"))).toBe("indexed");
    expect((await liveVector("m-change")).contentHash).not.toBe(closed.contentHash);
  });

  it("never stores a draft, and tombstones a deleted market once", async () => {
    await markets.create(market("m-draft", { status: "draft" }));
    expect(await indexer().index(job("m-draft"))).toBe("unchanged");
    expect(await vectors.get("m-draft")).toBeUndefined();

    await markets.create(market("m-delete"));
    await indexer().index(job("m-delete"));
    await markets.delete("m-delete", 1);
    expect(await indexer().index(job("m-delete"))).toBe("removed");
    const tombstone = await vectors.get("m-delete");
    expect(tombstone).toMatchObject({ deleted: true });
    expect(await indexer().index(job("m-delete"))).toBe("unchanged");
    expect(await vectors.get("m-delete")).toEqual(tombstone);
  });

  it("retries throttling with backoff and gives up at once on other errors", async () => {
    await markets.create(market("m-throttled"));
    let puts = 0;
    const flaky = {
      get: (id: string) => vectors.get(id),
      markDeleted: (id: string, at: Date) => vectors.markDeleted(id, at),
      put: async (...args: Parameters<VectorRepository["put"]>) => {
        // What the client's outage plugin makes of a throttled write the SDK could not ride out.
        if (++puts === 1) {
          throw new UnavailableError(undefined, {
            cause: Object.assign(new Error("slow down"), { name: "ThrottlingException" }),
          });
        }
        return vectors.put(...args);
      },
    };
    expect(await indexer(flaky).index(job("m-throttled"))).toBe("indexed");
    expect(puts).toBe(2);

    let attempts = 0;
    const broken = {
      ...flaky,
      put: async () => {
        attempts++;
        throw Object.assign(new Error("bad item"), { name: "ValidationException" });
      },
    };
    await markets.create(market("m-broken"));
    await expect(indexer(broken).index(job("m-broken"))).rejects.toThrow("bad item");
    expect(attempts).toBe(1);
  });
});

describe("index-markets worker", () => {
  it("fails only the malformed message of a batch", async () => {
    Object.assign(process.env, {
      TABLE_NAME: table,
      DYNAMODB_ENDPOINT: testEndpoints().dynamodbEndpoint,
      AWS_REGION: LOCAL_REGION,
      AWS_ACCESS_KEY_ID: LOCAL_CREDENTIALS.accessKeyId,
      AWS_SECRET_ACCESS_KEY: LOCAL_CREDENTIALS.secretAccessKey,
      JWT_SECRET: "a-test-secret-that-is-long-enough-0123456789",
      POWERTOOLS_LOG_LEVEL: "SILENT",
    });
    const { handler } = await import("../../../functions/workers/index-markets.ts");
    await markets.create(market("m-worker"));
    const valid = { ...job("m-worker"), queuedAt: new Date(clock).toISOString() };
    const record = (messageId: string, body: string) => ({ messageId, body }) as SQSEvent["Records"][number];
    const event: SQSEvent = {
      Records: [
        record("ok", JSON.stringify(valid)),
        record("not-json", "{"),
        record("extra-field", JSON.stringify({ ...valid, admin: true })),
      ],
    };
    const response = await handler(event, {} as Context);
    expect(response.batchItemFailures.map((failure) => failure.itemIdentifier).sort()).toEqual([
      "extra-field",
      "not-json",
    ]);
    expect(await vectors.get("m-worker")).toMatchObject({ status: "active" });
  });
});
