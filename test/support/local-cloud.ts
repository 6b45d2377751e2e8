/**
 * Helpers for tests that use the run's shared DynamoDB Local and local SQS (started by
 * global-setup.ts): a table and queues of their own per test file, SDK clients pointed at them,
 * and a whole local cloud (gateway, runtime, poller) on top of them.
 */
import { randomBytes } from "node:crypto";
import { DeleteTableCommand, DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { SQSClient } from "@aws-sdk/client-sqs";
import { inject } from "vitest";
import { ensureTable } from "../../infra/local/create-table.ts";
import { type LocalCloud, type LocalCloudOptions, startLocalCloud } from "../../infra/local/local-cloud.ts";
import { LOCAL_CREDENTIALS, LOCAL_REGION } from "../../infra/local/local-env.ts";
import { createQueuePair, type QueuePair, type QueuePairOptions } from "../../infra/local/sqs-local.ts";

/** Endpoints of the shared services. */
export function testEndpoints(): { dynamodbEndpoint: string; sqsEndpoint: string } {
  return { dynamodbEndpoint: inject("dynamodbEndpoint"), sqsEndpoint: inject("sqsEndpoint") };
}

/** A name no other test file uses: `<prefix>-<random>`, valid for tables and queues. */
export function uniqueName(prefix: string): string {
  return `${prefix}-${randomBytes(5).toString("hex")}`;
}

export function testDynamoClient(): DynamoDBClient {
  return new DynamoDBClient({
    endpoint: testEndpoints().dynamodbEndpoint,
    region: LOCAL_REGION,
    credentials: LOCAL_CREDENTIALS,
  });
}

export function testSqsClient(): SQSClient {
  return new SQSClient({
    endpoint: testEndpoints().sqsEndpoint,
    region: LOCAL_REGION,
    credentials: LOCAL_CREDENTIALS,
  });
}

/** Create a table from the real schema with a unique name; returns the name. */
export async function createTestTable(prefix = "test"): Promise<string> {
  const tableName = uniqueName(prefix);
  const client = testDynamoClient();
  try {
    await ensureTable(client, tableName);
  } finally {
    client.destroy();
  }
  return tableName;
}

/** Delete a table made by createTestTable (in-memory anyway; this only keeps long runs lean). */
export async function deleteTestTable(tableName: string): Promise<void> {
  const client = testDynamoClient();
  try {
    await client.send(new DeleteTableCommand({ TableName: tableName }));
  } finally {
    client.destroy();
  }
}

/** A queue and its DLQ with unique names and the deployed redrive policy unless overridden. */
export async function createTestQueues(
  options: Omit<QueuePairOptions, "queueName" | "dlqName"> = {},
): Promise<QueuePair> {
  const client = testSqsClient();
  const name = uniqueName("test-index");
  try {
    return await createQueuePair(client, { ...options, queueName: name, dlqName: `${name}-dlq` });
  } finally {
    client.destroy();
  }
}

/**
 * A whole local cloud (gateway, Lambda runtime, poller) on the shared services, with its own table
 * and queues. Sets process.env for the bundles; `stop()` restores it. One per test file.
 */
export async function startTestCloud(
  options: Omit<LocalCloudOptions, "dynamodbEndpoint" | "sqsEndpoint" | "dataDir"> = {},
): Promise<LocalCloud> {
  const name = uniqueName("test");
  return startLocalCloud({
    ...testEndpoints(),
    tableName: name,
    queueName: `${name}-index`,
    dlqName: `${name}-index-dlq`,
    // Failed index jobs come back within seconds instead of the deployed 3 minutes.
    pollerVisibilityTimeoutSeconds: 5,
    ...options,
  });
}
