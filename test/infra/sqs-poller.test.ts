/**
 * The local poller against the real local SQS server: it must give the worker Lambda's SQS batch
 * semantics, since the retry and DLQ behaviour of indexing is tested through it.
 */
import {
  ReceiveMessageCommand,
  SendMessageBatchCommand,
  SendMessageCommand,
  type SQSClient,
} from "@aws-sdk/client-sqs";
import type { SQSBatchResponse, SQSEvent, SQSRecord } from "aws-lambda";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { SqsPoller } from "../../infra/local/sqs-poller.ts";
import { LOCAL_POLLER, MAX_RECEIVE_COUNT } from "../../infra/queues.ts";
import { createTestQueues, testSqsClient } from "../support/local-cloud.ts";

/** A tiny worker: fails every record whose body starts with "fail", like ReportBatchItemFailures. */
function recordingWorker() {
  const received: SQSRecord[] = [];
  const worker = async (event: SQSEvent): Promise<SQSBatchResponse> => {
    received.push(...event.Records);
    return {
      batchItemFailures: event.Records.filter((record) => record.body.startsWith("fail")).map((record) => ({
        itemIdentifier: record.messageId,
      })),
    };
  };
  return { received, worker };
}

/**
 * Bodies of the first messages to show up within `timeoutMs`. Short polls in a loop: local-aws-sqs
 * does not wake a long poll when a message becomes visible again or is moved in by a redrive.
 */
async function receiveWithin(client: SQSClient, queueUrl: string, timeoutMs: number): Promise<string[]> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const { Messages = [] } = await client.send(
      new ReceiveMessageCommand({ QueueUrl: queueUrl, MaxNumberOfMessages: 10, WaitTimeSeconds: 0 }),
    );
    if (Messages.length > 0) return Messages.map((message) => message.Body ?? "");
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return [];
}

describe("SqsPoller", () => {
  let client: SQSClient;
  const pollers: SqsPoller[] = [];

  beforeAll(() => {
    client = testSqsClient();
  });
  afterEach(async () => {
    await Promise.all(pollers.splice(0).map((poller) => poller.stop()));
  });
  afterAll(() => client.destroy());

  const poller = (options: Omit<ConstructorParameters<typeof SqsPoller>[0], "client">) => {
    const created = new SqsPoller({
      client,
      visibilityTimeoutSeconds: LOCAL_POLLER.testVisibilityTimeoutSeconds,
      onError: () => {},
      ...options,
    });
    pollers.push(created);
    return created;
  };

  it("builds a Lambda SQS event with attributes and message attributes", async () => {
    const { queueUrl } = await createTestQueues();
    const { received, worker } = recordingWorker();
    await client.send(
      new SendMessageCommand({
        QueueUrl: queueUrl,
        MessageBody: '{"marketId":"m1"}',
        MessageAttributes: { kind: { DataType: "String", StringValue: "index" } },
      }),
    );
    await poller({ queueUrl, invoke: worker }).drain();

    expect(received).toHaveLength(1);
    const [record] = received;
    expect(record).toMatchObject({
      body: '{"marketId":"m1"}',
      eventSource: "aws:sqs",
      awsRegion: "us-east-1",
      messageAttributes: { kind: { dataType: "String", stringValue: "index" } },
      attributes: { ApproximateReceiveCount: "1" },
    });
    expect(record?.eventSourceARN).toMatch(/^arn:aws:sqs:us-east-1:\d+:test-index-/);
    expect(record?.attributes.SentTimestamp).toMatch(/^\d+$/);
    expect(record?.md5OfBody).toMatch(/^[0-9a-f]{32}$/);
  });

  it("deletes only the successes of a partially failed batch", async () => {
    const { queueUrl } = await createTestQueues();
    const { received, worker } = recordingWorker();
    await client.send(
      new SendMessageBatchCommand({
        QueueUrl: queueUrl,
        Entries: ["ok-1", "fail-2", "ok-3"].map((body, index) => ({ Id: String(index), MessageBody: body })),
      }),
    );
    const handled = await poller({ queueUrl, invoke: worker, batchWindowMs: 300 }).drain();

    expect(handled).toBe(3);
    expect(received.map((record) => record.body).sort()).toEqual(["fail-2", "ok-1", "ok-3"]);
    // Once the failed message's visibility timeout (1 s) is over, it is the only one left.
    expect(await receiveWithin(client, queueUrl, 3_000)).toEqual(["fail-2"]);
  });

  it("deletes nothing when the invocation throws", async () => {
    const { queueUrl } = await createTestQueues();
    await client.send(new SendMessageCommand({ QueueUrl: queueUrl, MessageBody: "ok-but-worker-crashes" }));
    await poller({
      queueUrl,
      invoke: async () => {
        throw new Error("cold start failed");
      },
    }).drain();

    expect(await receiveWithin(client, queueUrl, 3_000)).toEqual(["ok-but-worker-crashes"]);
  });

  it(`moves a message that keeps failing to the DLQ after ${MAX_RECEIVE_COUNT} receives`, async () => {
    const { queueUrl, dlqUrl } = await createTestQueues();
    const { received, worker } = recordingWorker();
    await client.send(new SendMessageCommand({ QueueUrl: queueUrl, MessageBody: "fail-always" }));
    const running = poller({ queueUrl, invoke: worker });
    running.start();

    // The SQS server's redrive policy does the move, once the last visibility timeout is over.
    const dead = await receiveWithin(client, dlqUrl, 20_000);
    await running.stop();

    expect(dead).toEqual(["fail-always"]);
    expect(received.map((record) => record.attributes.ApproximateReceiveCount)).toEqual(
      Array.from({ length: MAX_RECEIVE_COUNT }, (_, index) => String(index + 1)),
    );
    await running.waitUntilIdle({ timeoutMs: 5_000 });
  });

  it("waits until idle: nothing visible, in flight or delayed", async () => {
    const { queueUrl } = await createTestQueues();
    const { received, worker } = recordingWorker();
    for (const first of [0, 6]) {
      await client.send(
        new SendMessageBatchCommand({
          QueueUrl: queueUrl,
          Entries: Array.from({ length: 6 }, (_, index) => ({
            Id: String(index),
            MessageBody: `ok-${first + index}`,
          })),
        }),
      );
    }
    const running = poller({ queueUrl, invoke: worker, batchSize: 5 });
    running.start();
    await running.waitUntilIdle();

    expect(received).toHaveLength(12);
    expect(running.invocations).toBeGreaterThanOrEqual(3);
  });
});
