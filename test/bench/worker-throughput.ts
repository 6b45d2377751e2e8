/**
 * Index worker throughput: `npx tsx test/bench/worker-throughput.ts`. Feeds SQS events of the
 * deployed batch size straight into the worker handler against DynamoDB Local (started here, or
 * DYNAMODB_ENDPOINT), and reports messages per second for first indexing (read, embed, write),
 * for redelivery (read, compare, write nothing), and for a baseline measured in the same run: one
 * bare PutItem of a vector-sized item per message, the least any indexer must do. Prints a table
 * and writes test/bench/results/worker-throughput.json. DynamoDB Local is slower than DynamoDB, so
 * compare the rows with each other, not with production.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { DynamoDBDocumentClient, PutCommand } from "@aws-sdk/lib-dynamodb";
import type { Context, SQSEvent, SQSRecord } from "aws-lambda";
import { ensureTable } from "../../infra/local/create-table.ts";
import { startDynamoDbLocal } from "../../infra/local/dynamodb-local.ts";
import { LOCAL_CREDENTIALS, LOCAL_REGION } from "../../infra/local/local-env.ts";
import { BATCH_SIZE } from "../../infra/queues.ts";
import type { Market } from "../../shared/domain/market.ts";
import { DynamoMarketRepository } from "../../shared/repositories/dynamo-market-repository.ts";

const MARKETS = 1_000;
/** Lambda runs several batches at once; 1 is one worker, 4 shows how the I/O overlaps. */
const CONCURRENCY = [1, 4];
const TABLE = "bench-worker-throughput";

const dynamo = await startDynamoDbLocal({ dataDir: "memory" });
Object.assign(process.env, {
  TABLE_NAME: TABLE,
  DYNAMODB_ENDPOINT: dynamo.endpoint,
  AWS_REGION: LOCAL_REGION,
  AWS_ACCESS_KEY_ID: LOCAL_CREDENTIALS.accessKeyId,
  AWS_SECRET_ACCESS_KEY: LOCAL_CREDENTIALS.secretAccessKey,
  JWT_SECRET: "bench-secret-that-is-long-enough-0123456789",
  EMBEDDER: "local",
  POWERTOOLS_LOG_LEVEL: "SILENT",
});
const client = new DynamoDBClient({
  endpoint: dynamo.endpoint,
  region: LOCAL_REGION,
  credentials: LOCAL_CREDENTIALS,
});
const db = DynamoDBDocumentClient.from(client);
await ensureTable(client, TABLE);
// Imported after the environment is set: the worker reads its configuration at first use.
const { handler } = await import("../../functions/workers/index-markets.ts");

const TOPICS = [
  "rain in Paris",
  "bitcoin above $150k",
  "the World Cup final",
  "a Fed rate cut",
  "the Oscars",
];
function market(i: number): Market {
  const at = new Date(Date.UTC(2030, 0, 1, 0, 0, i)).toISOString();
  const topic = TOPICS[i % TOPICS.length] as string;
  return {
    id: `bench-${i}`,
    name: `Will ${topic} happen by 2027? (#${i})`,
    category: "bench",
    status: "active",
    description: `Resolves yes if ${topic} happens before the close, per the official source.`,
    outcome: null,
    closesAt: "2031-01-01T00:00:00.000Z",
    volume: 0,
    yesVolume: 0,
    noVolume: 0,
    creatorId: "u-bench",
    createdAt: at,
    updatedAt: at,
    version: 1,
  };
}

function eventsFor(ids: readonly string[]): SQSEvent[] {
  const records = ids.map(
    (marketId, i) =>
      ({
        messageId: `msg-${marketId}-${i}`,
        body: JSON.stringify({
          jobId: `job-${i}`,
          marketId,
          reason: "created",
          queuedAt: new Date().toISOString(),
        }),
      }) as SQSRecord,
  );
  const events: SQSEvent[] = [];
  for (let i = 0; i < records.length; i += BATCH_SIZE)
    events.push({ Records: records.slice(i, i + BATCH_SIZE) });
  return events;
}

/** Runs `batches` with `concurrency` in flight; returns messages per second. */
async function throughput(batches: SQSEvent[], concurrency: number, run: (event: SQSEvent) => Promise<void>) {
  const messages = batches.reduce((sum, event) => sum + event.Records.length, 0);
  let next = 0;
  const started = performance.now();
  const lane = async () => {
    while (next < batches.length) await run(batches[next++] as SQSEvent);
  };
  await Promise.all(Array.from({ length: concurrency }, lane));
  return messages / ((performance.now() - started) / 1000);
}

const invokeWorker = async (event: SQSEvent) => {
  const { batchItemFailures } = await handler(event, { functionName: "bench" } as Context);
  if (batchItemFailures.length > 0) throw new Error(`${batchItemFailures.length} messages failed`);
};
const vectorBytes = new Uint8Array(4 * 1024);
const barePut = async (event: SQSEvent) => {
  await Promise.all(
    event.Records.map((record) =>
      db.send(
        new PutCommand({
          TableName: TABLE,
          Item: { pk: `BARE#${record.messageId}`, sk: "V", v: vectorBytes },
        }),
      ),
    ),
  );
};

const markets = new DynamoMarketRepository({ table: TABLE, db });
const rows: { phase: string; concurrency: number; messages: number; messagesPerSecond: number }[] = [];
try {
  for (const concurrency of CONCURRENCY) {
    const ids = Array.from({ length: MARKETS }, (_, i) => market(i + concurrency * MARKETS));
    for (let i = 0; i < ids.length; i += 50)
      await Promise.all(ids.slice(i, i + 50).map((m) => markets.create(m)));
    const batches = eventsFor(ids.map((m) => m.id));
    await invokeWorker(batches[0] as SQSEvent); // warm-up: JIT and connection pool, like a warm Lambda
    const measured = batches.slice(1);
    const messages = measured.length * BATCH_SIZE;
    rows.push({
      phase: "first index",
      concurrency,
      messages,
      messagesPerSecond: await throughput(measured, concurrency, invokeWorker),
    });
    rows.push({
      phase: "redelivery (no-op)",
      concurrency,
      messages,
      messagesPerSecond: await throughput(measured, concurrency, invokeWorker),
    });
    rows.push({
      phase: "baseline: bare PutItem",
      concurrency,
      messages,
      messagesPerSecond: await throughput(measured, concurrency, barePut),
    });
  }
} finally {
  client.destroy();
  await dynamo.stop();
}

console.log(`batch size ${BATCH_SIZE}, ${MARKETS} markets per concurrency level, node ${process.version}\n`);
console.table(rows.map((row) => ({ ...row, messagesPerSecond: Math.round(row.messagesPerSecond) })));

const resultsDir = join(dirname(fileURLToPath(import.meta.url)), "results");
mkdirSync(resultsDir, { recursive: true });
const output = { measuredAt: new Date().toISOString(), node: process.version, batchSize: BATCH_SIZE, rows };
writeFileSync(join(resultsDir, "worker-throughput.json"), `${JSON.stringify(output, null, 2)}\n`);
