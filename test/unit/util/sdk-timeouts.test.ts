/**
 * The SDK clients' timeouts, against a server that accepts connections and never answers: without
 * them a call waits for minutes (the SDK's socket default); with them it fails within seconds.
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

async function timeToFail(send: () => Promise<unknown>) {
  const started = Date.now();
  const error = await send().catch((e: unknown) => e);
  return { error, elapsed: Date.now() - started };
}

describe("sdkRequestHandler", () => {
  const options = () => ({
    endpoint: silent.endpoint,
    region: "eu-west-1",
    credentials,
    maxAttempts: 1,
    requestHandler: sdkRequestHandler,
  });

  it("fails a DynamoDB call to a silent endpoint after requestTimeout instead of hanging", async () => {
    const client = new DynamoDBClient(options());
    const { error, elapsed } = await timeToFail(() => client.send(new ListTablesCommand({})));
    client.destroy();
    expect(error).toMatchObject({ name: "TimeoutError" });
    expect(elapsed).toBeGreaterThanOrEqual(sdkRequestHandler.requestTimeout - 100);
    expect(elapsed).toBeLessThan(sdkRequestHandler.requestTimeout + 1_500);
  });

  it("does the same for SQS", async () => {
    const client = new SQSClient(options());
    const { error, elapsed } = await timeToFail(() =>
      client.send(
        new SendMessageCommand({ QueueUrl: `${silent.endpoint}/000000000000/q`, MessageBody: "{}" }),
      ),
    );
    client.destroy();
    expect(error).toMatchObject({ name: "TimeoutError" });
    expect(elapsed).toBeLessThan(sdkRequestHandler.requestTimeout + 1_500);
  });
});
