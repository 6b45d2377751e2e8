/**
 * vitest globalSetup: starts ONE in-memory DynamoDB Local and ONE local SQS server for the whole
 * run and hands their endpoints to the test files (`inject("dynamodbEndpoint")`). Starting a JVM
 * per test file would cost seconds each; unique table and queue names keep the files apart.
 */
import type { TestProject } from "vitest/node";
import { startDynamoDbLocal } from "../../infra/local/dynamodb-local.ts";
import { startSearchVectorsProxy } from "../../infra/local/search-vectors-proxy.ts";
import { startSqsLocal } from "../../infra/local/sqs-local.ts";
import { EMBEDDING_DIMENSIONS, marketVectorIndex } from "../../shared/repositories/vector-schema.ts";

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
  // Everything goes through the layer that answers SearchVectors, as under `npm start`.
  const proxy = await startSearchVectorsProxy({
    target: dynamo.endpoint,
    indexes: [marketVectorIndex(EMBEDDING_DIMENSIONS.local)],
  });
  project.provide("dynamodbEndpoint", proxy.endpoint);
  project.provide("sqsEndpoint", sqs.endpoint);
  return async () => {
    await proxy.stop();
    await Promise.all([sqs.stop(), dynamo.stop()]);
  };
}
