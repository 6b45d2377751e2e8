/**
 * vitest globalSetup: starts ONE in-memory DynamoDB Local and ONE local SQS server for the whole
 * run and hands their endpoints to the test files (`inject("dynamodbEndpoint")`). Starting a JVM
 * per test file would cost seconds each; unique table and queue names keep the files apart.
 */
import type { TestProject } from "vitest/node";
import { startDynamoDbLocal } from "../../infra/local/dynamodb-local.ts";
import { startSqsLocal } from "../../infra/local/sqs-local.ts";

declare module "vitest" {
  export interface ProvidedContext {
    dynamodbEndpoint: string;
    sqsEndpoint: string;
  }
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const [dynamo, sqs] = await Promise.all([
    startDynamoDbLocal({ dataDir: "memory" }),
    // The server's own index queue pair is unused by tests; they create queues of their own.
    startSqsLocal({ queueName: "global-setup-probe", dlqName: "global-setup-probe-dlq" }),
  ]);
  project.provide("dynamodbEndpoint", dynamo.endpoint);
  project.provide("sqsEndpoint", sqs.endpoint);
  return async () => {
    await Promise.all([sqs.stop(), dynamo.stop()]);
  };
}
