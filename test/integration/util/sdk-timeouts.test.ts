/**
 * The SDK clients' timeouts, against a server that accepts connections and never answers: without
 * them a call waits for minutes (the SDK's socket default); with them it ends in the SDK's
 * requestTimeout error, naming the configured bound. The error is asserted, not the clock: a call
 * that hung would fail the test by its own timeout.
 */
import { DynamoDBClient, ListTablesCommand } from "@aws-sdk/client-dynamodb";
import { SendMessageCommand, SQSClient } from "@aws-sdk/client-sqs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sdkRequestHandler } from "../../../shared/util/sdk-timeouts.ts";
import { startSilentServer } from "../../support/silent-server.ts";

const credentials = { accessKeyId: "test", secretAccessKey: "test" };
let silent: Awaited<ReturnType<typeof startSilentServer>>;

beforeAll(async () => {
  silent = await startSilentServer();
});

afterAll(async () => {
  await silent.stop();
});

/** What the SDK's HTTP handler throws when the configured requestTimeout passes. */
const requestTimedOut = () =>
  expect.objectContaining({
    name: "TimeoutError",
    code: "ETIMEDOUT",
    message: expect.stringContaining(
      `exceeded the configured ${sdkRequestHandler.requestTimeout} ms requestTimeout`,
    ),
  });

describe("sdkRequestHandler", () => {
  const options = () => ({
    endpoint: silent.endpoint,
    region: "eu-west-1",
    credentials,
    maxAttempts: 1,
    requestHandler: sdkRequestHandler,
  });

  it("fails a DynamoDB call to a silent endpoint with the requestTimeout error instead of hanging", async () => {
    const client = new DynamoDBClient(options());
    const error = await client.send(new ListTablesCommand({})).catch((e: unknown) => e);
    client.destroy();
    expect(error).toEqual(requestTimedOut());
  });

  it("does the same for SQS", async () => {
    const client = new SQSClient(options());
    const error = await client
      .send(new SendMessageCommand({ QueueUrl: `${silent.endpoint}/000000000000/q`, MessageBody: "{}" }))
      .catch((e: unknown) => e);
    client.destroy();
    expect(error).toEqual(requestTimedOut());
  });
});
