/**
 * DynamoDB round trips per request through the local cloud: calls, and the longest chain of calls
 * that waited for each other, counted by a proxy in front of DynamoDB Local while one request is in
 * flight. Prints a table against the targets and writes test/bench/results/round-trips.json.
 *
 *   npx tsx test/bench/round-trips.ts
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { startDynamoDbLocal } from "../../infra/local/dynamodb-local.ts";
import { startLocalCloud } from "../../infra/local/local-cloud.ts";
import { startCallRecorder } from "./dynamo-call-recorder.ts";
import { measureRoundTrips } from "./round-trip-scenarios.ts";

const dynamo = await startDynamoDbLocal({ dataDir: "memory" });
const recorder = await startCallRecorder(dynamo.endpoint, { consumedCapacity: true });
const cloud = await startLocalCloud({
  dynamodbEndpoint: recorder.endpoint,
  dataDir: "memory",
  startPoller: false,
  // Leases of one unit: every request pays its own limiter write (the worst case; what leasing
  // saves is measured by rate-limit-writes.ts).
  env: {
    RATE_LIMIT_READS_PER_MINUTE: "100000",
    RATE_LIMIT_WRITES_PER_MINUTE: "100000",
    RATE_LIMIT_MAX_LEASE: "1",
  },
});
try {
  console.log("[round-trips] counting DynamoDB calls per request…");
  const rows = await measureRoundTrips(cloud.url, recorder);
  console.table(
    rows.map((row) => ({
      request: row.request,
      calls: `${row.calls} (≤${row.targetCalls})`,
      sequential: `${row.sequential} (≤${row.targetSequential})`,
      RCU: row.readUnits,
      WCU: row.writeUnits,
      met: row.calls <= row.targetCalls && row.sequential <= row.targetSequential ? "yes" : "NO",
      operations: row.operations,
    })),
  );
  const dir = join(import.meta.dirname, "results");
  mkdirSync(dir, { recursive: true });
  writeFileSync(
    join(dir, "round-trips.json"),
    `${JSON.stringify({ date: new Date().toISOString(), rows }, null, 2)}\n`,
  );
} finally {
  await cloud.stop();
  await recorder.stop();
  await dynamo.stop();
}
