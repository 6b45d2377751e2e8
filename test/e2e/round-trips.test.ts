/**
 * Keeps the DynamoDB round trips per request from growing back: the requests of the round-trip
 * benchmark through a local cloud whose DynamoDB calls pass a counting proxy, each held to its
 * target (calls, and the longest chain of calls that waited for each other). Counts, not time.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type LocalCloud, startLocalCloud } from "../../infra/local/local-cloud.ts";
import { type CallRecorder, startCallRecorder } from "../bench/dynamo-call-recorder.ts";
import { measureRoundTrips } from "../bench/round-trip-scenarios.ts";
import { testEndpoints, uniqueName } from "../support/local-cloud.ts";

/**
 * Where a target is not met yet, the figure reached is the ceiling instead. Search runs here on the
 * in-process engine, whose periodic refresh (one Query per vector shard) may fall inside a request:
 * the issue holds it to 3 sequential, its calls to the vector-index engine's.
 */
const CEILINGS: Record<string, { calls: number; sequential: number }> = {
  search: { calls: 7, sequential: 3 },
};

let recorder: CallRecorder;
let cloud: LocalCloud;

beforeAll(async () => {
  const { dynamodbEndpoint, sqsEndpoint } = testEndpoints();
  recorder = await startCallRecorder(dynamodbEndpoint);
  const name = uniqueName("round-trips");
  const bundlesDir = process.env.E2E_BUNDLES_DIR;
  cloud = await startLocalCloud({
    dynamodbEndpoint: recorder.endpoint,
    sqsEndpoint,
    tableName: name,
    queueName: `${name}-index`,
    dlqName: `${name}-index-dlq`,
    // No background work: the poller's calls would land in a request's count.
    startPoller: false,
    ...(bundlesDir ? { bundlesDir } : {}),
    // Leases of one unit: every request pays its own limiter write, the worst case of each route.
    env: {
      RATE_LIMIT_READS_PER_MINUTE: "100000",
      RATE_LIMIT_WRITES_PER_MINUTE: "100000",
      RATE_LIMIT_MAX_LEASE: "1",
    },
  });
}, 120_000);

afterAll(async () => {
  await cloud?.stop();
  await recorder?.stop();
});

describe("DynamoDB round trips per request", () => {
  it("stay within their targets", async () => {
    const rows = await measureRoundTrips(cloud.url, recorder);
    for (const row of rows) {
      const ceiling = CEILINGS[row.request] ?? { calls: row.targetCalls, sequential: row.targetSequential };
      const label = `${row.request}: ${row.operations}`;
      expect(row.status, label).toBeLessThan(300);
      expect(row.calls, label).toBeLessThanOrEqual(ceiling.calls);
      expect(row.sequential, label).toBeLessThanOrEqual(ceiling.sequential);
    }
  }, 180_000);
});
