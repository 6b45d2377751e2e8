/**
 * AWS SDK clients, each built on first use. Every client gets the outage plugin, so what the SDK's
 * retries did not ride out reaches the services as the domain's UnavailableError.
 */
import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import { outagesAsUnavailable } from "../repositories/aws-errors.ts";
import { once } from "../util/once.ts";
import { sdkRequestHandler } from "../util/sdk-timeouts.ts";
import { config } from "./environment.ts";

const STUB_SLOT = Symbol.for("markets-api.dynamodb-plugin");
type StackPlugin = Parameters<DynamoDBClient["middlewareStack"]["use"]>[0];

export const dynamoClient = /* @__PURE__ */ once(() => {
  const { AWS_REGION, DYNAMODB_ENDPOINT } = config();
  const client = new DynamoDBClient({
    region: AWS_REGION,
    ...(DYNAMODB_ENDPOINT ? { endpoint: DYNAMODB_ENDPOINT } : {}),
    // The SDK's standard mode retries throttling and 5xx with exponential backoff and jitter.
    maxAttempts: 3,
    requestHandler: sdkRequestHandler,
  });
  client.middlewareStack.use(outagesAsUnavailable);
  // The warm-overhead benchmark answers DynamoDB in-process through this slot
  // (test/bench/dynamo-stub.ts); nothing sets it outside the benchmark.
  const stub = (globalThis as Record<symbol, unknown>)[STUB_SLOT] as StackPlugin | undefined;
  if (stub) client.middlewareStack.use(stub);
  return client;
});

export const documentClient = /* @__PURE__ */ once(() =>
  DynamoDBDocumentClient.from(dynamoClient(), {
    marshallOptions: { removeUndefinedValues: true, convertClassInstanceToMap: false },
  }),
);

export const table = (): string => config().TABLE_NAME;
