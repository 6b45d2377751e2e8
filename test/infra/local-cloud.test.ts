/**
 * The local cloud end to end with stub bundles: HTTP through the gateway into a bundle that sees
 * the local environment, and a queued message through the poller into the worker bundle.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { SendMessageCommand } from "@aws-sdk/client-sqs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { LocalCloud } from "../../infra/local/local-cloud.ts";
import { startTestCloud, testSqsClient } from "../support/local-cloud.ts";

const HEALTH = `export const handler = async (event, context) => ({
  statusCode: 200,
  headers: { "content-type": "application/json" },
  body: JSON.stringify({ table: process.env.TABLE_NAME, queue: process.env.INDEX_QUEUE_URL, fn: context.functionName }),
});\n`;
// The worker records what it was given in a global the test can read (same process).
const WORKER = `export const handler = async (event) => {
  globalThis.workerBodies = [...(globalThis.workerBodies ?? []), ...event.Records.map((record) => record.body)];
  return { batchItemFailures: [] };
};\n`;

describe("startLocalCloud", () => {
  let bundlesDir: string;
  let cloud: LocalCloud;

  beforeAll(async () => {
    bundlesDir = mkdtempSync(join(tmpdir(), "cloud-bundles-"));
    for (const [name, source] of [
      ["system-health", HEALTH],
      ["workers-index-markets", WORKER],
    ] as const) {
      mkdirSync(join(bundlesDir, name));
      writeFileSync(join(bundlesDir, name, "index.mjs"), source);
    }
    cloud = await startTestCloud({ bundlesDir });
  });
  afterAll(async () => {
    await cloud?.stop();
    rmSync(bundlesDir, { recursive: true, force: true });
  });

  it("serves routes from the bundles with the local environment", async () => {
    const response = await fetch(`${cloud.url}/api/health`);
    expect(await response.json()).toEqual({
      table: cloud.tableName,
      queue: cloud.queueUrl,
      fn: "markets-api-system-health",
    });
    expect(process.env.DYNAMODB_ENDPOINT).toBe(cloud.dynamodbEndpoint);
  });

  it("feeds queued messages to the worker bundle", async () => {
    const client = testSqsClient();
    await client.send(new SendMessageCommand({ QueueUrl: cloud.queueUrl, MessageBody: "job-1" }));
    client.destroy();
    await cloud.poller.waitUntilIdle();
    expect((globalThis as { workerBodies?: string[] }).workerBodies).toEqual(["job-1"]);
  });
});
