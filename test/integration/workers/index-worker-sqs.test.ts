/**
 * The real index worker bundle fed by the real local SQS server through the poller, as Lambda's
 * event source mapping would: poison messages end in the DLQ after maxReceiveCount receives, a bad
 * record fails alone, and a redelivered job writes nothing new.
 */
import { ReceiveMessageCommand, SendMessageBatchCommand, type SQSClient } from "@aws-sdk/client-sqs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { LocalCloud } from "../../../infra/local/local-cloud.ts";
import { MAX_RECEIVE_COUNT } from "../../../infra/queues.ts";
import { DynamoMarketRepository } from "../../../shared/repositories/dynamo-market-repository.ts";
import { DynamoVectorRepository } from "../../../shared/repositories/dynamo-vector-repository.ts";
import { startE2eCloud } from "../../support/e2e-cloud.ts";
import { testDynamoClient, testSqsClient } from "../../support/local-cloud.ts";
import { documentClientOf, makeMarket } from "../../support/market-fixtures.ts";

let cloud: LocalCloud;
let sqs: SQSClient;
let markets: DynamoMarketRepository;
let vectors: DynamoVectorRepository;

const job = (marketId: string, jobId = `job-${marketId}`) =>
  JSON.stringify({ jobId, marketId, reason: "created", queuedAt: new Date().toISOString() });

async function send(bodies: string[]): Promise<void> {
  await sqs.send(
    new SendMessageBatchCommand({
      QueueUrl: cloud.queueUrl,
      Entries: bodies.map((body, index) => ({ Id: `m${index}`, MessageBody: body })),
    }),
  );
}

/** Bodies that reach the DLQ within `timeoutMs`. */
async function deadLetters(count: number, timeoutMs: number): Promise<string[]> {
  const bodies: string[] = [];
  const until = Date.now() + timeoutMs;
  while (bodies.length < count && Date.now() < until) {
    const { Messages = [] } = await sqs.send(
      new ReceiveMessageCommand({ QueueUrl: cloud.dlqUrl, MaxNumberOfMessages: 10, WaitTimeSeconds: 1 }),
    );
    bodies.push(...Messages.map((message) => String(message.Body)));
  }
  return bodies;
}

beforeAll(async () => {
  // The poison message is logged at ERROR on each receive: expected here, so kept out of the run.
  cloud = await startE2eCloud({
    pollerVisibilityTimeoutSeconds: 1,
    env: { POWERTOOLS_LOG_LEVEL: "CRITICAL" },
  });
  sqs = testSqsClient();
  const db = documentClientOf(testDynamoClient());
  markets = new DynamoMarketRepository({ table: cloud.tableName, db });
  vectors = new DynamoVectorRepository({ table: cloud.tableName, db });
});

afterAll(async () => {
  sqs?.destroy();
  await cloud?.stop();
});

describe("index worker on the local SQS server", () => {
  it(`indexes the good record of a batch and dead-letters the poison one after ${MAX_RECEIVE_COUNT} receives`, async () => {
    const market = makeMarket({ name: "Will the Danube freeze in Vienna this January?" });
    await markets.create(market);
    const poison = '{"jobId":"poison","marketId":"has spaces and ! marks"}';
    const before = cloud.poller.invocations;
    await send([job(market.id), poison]);

    const dead = await deadLetters(1, 20_000);
    expect(dead).toEqual([poison]);
    expect(await vectors.get(market.id)).toMatchObject({ marketId: market.id, status: "active" });
    // The first batch carried both; the poison came back alone until the DLQ took it.
    expect(cloud.poller.invocations - before).toBeGreaterThanOrEqual(MAX_RECEIVE_COUNT);
  });

  it("writes nothing new when a job is delivered again", async () => {
    const market = makeMarket({ name: "Will the Rhine run low in Cologne this summer?" });
    await markets.create(market);
    await send([job(market.id, "first")]);
    await cloud.poller.waitUntilIdle({ timeoutMs: 10_000 });
    const first = await vectors.get(market.id);
    expect(first).toBeDefined();

    await send([job(market.id, "again"), job(market.id, "and-again")]);
    await cloud.poller.waitUntilIdle({ timeoutMs: 10_000 });
    const after = await vectors.get(market.id);
    expect(after?.indexedAt).toBe(first?.indexedAt);
  });
});
