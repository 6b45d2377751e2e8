/**
 * Lambda's SQS event source mapping, locally: polls the queue, gathers a batch (batch size,
 * batching window), invokes the worker with a real SQS event, and deletes what succeeded. With
 * ReportBatchItemFailures, messages named in `batchItemFailures` stay; if the invocation throws,
 * every message stays. Kept messages reappear after the visibility timeout, and the queue's
 * redrive policy (applied by the SQS server itself) moves them to the DLQ after maxReceiveCount.
 * One batch at a time: Lambda would run several in parallel, which local flows do not need.
 *
 * It short-polls (WaitTimeSeconds 0) and sleeps between empty receives instead of long-polling:
 * local-aws-sqs holds a long poll open until the batch is full or the wait is over, while the
 * visibility clocks of the messages it already took are running. With the 1 s visibility timeouts
 * of retry tests, those messages would be redelivered before the first response even arrived.
 */
import {
  DeleteMessageBatchCommand,
  GetQueueAttributesCommand,
  type Message,
  ReceiveMessageCommand,
  type SQSClient,
} from "@aws-sdk/client-sqs";
import type { SQSEvent } from "aws-lambda";
import { LOCAL_POLLER } from "../queues.ts";
import { LOCAL_REGION } from "./local-env.ts";
import { failedMessageIds, toRecord } from "./sqs-event.ts";

export interface SqsPollerOptions {
  client: SQSClient;
  queueUrl: string;
  /** Invokes the worker (usually LambdaRuntime.invoke for workers-index-markets). */
  invoke: (event: SQSEvent) => Promise<unknown>;
  batchSize?: number;
  batchWindowMs?: number;
  visibilityTimeoutSeconds?: number;
  /** Pause after an empty receive before asking again. */
  idlePollIntervalMs?: number;
  onError?: (error: unknown) => void;
}

export class SqsPoller {
  /** Worker invocations so far (tests assert on retries with it). */
  invocations = 0;
  private running = false;
  /** True while a received batch is being invoked and settled (its messages are invisible meanwhile). */
  private busy = false;
  private loop: Promise<void> | undefined;
  private inFlight: Promise<number> | undefined;
  private queueArn: string | undefined;

  constructor(private readonly options: SqsPollerOptions) {}

  /** Start polling in the background. */
  start(): void {
    if (this.running) return;
    this.running = true;
    this.loop = this.run();
  }

  /** Stop polling; resolves once the batch in flight (if any) is finished and settled. */
  async stop(): Promise<void> {
    this.running = false;
    await this.loop;
    this.loop = undefined;
  }

  /** Receive one batch, invoke the worker, delete what succeeded; returns the batch's size. */
  pollOnce(): Promise<number> {
    // Serialised, so drain() in a test and the background loop never process batches concurrently.
    const previous = this.inFlight ?? Promise.resolve(0);
    const next = previous.catch(() => 0).then(() => this.processBatch());
    this.inFlight = next;
    return next;
  }

  /** Process batches until a receive comes back empty; returns how many messages were handled. */
  async drain(): Promise<number> {
    let total = 0;
    for (let handled = await this.pollOnce(); handled > 0; handled = await this.pollOnce()) total += handled;
    return total;
  }

  /**
   * Resolve once nothing is visible, in flight or delayed on the queue and no batch is running.
   * A message that failed waits out its visibility timeout first, so give tests a short one.
   */
  async waitUntilIdle(options: { timeoutMs?: number } = {}): Promise<void> {
    const deadline = Date.now() + (options.timeoutMs ?? 10_000);
    while (Date.now() < deadline) {
      const { Attributes = {} } = await this.options.client.send(
        new GetQueueAttributesCommand({
          QueueUrl: this.options.queueUrl,
          AttributeNames: [
            "ApproximateNumberOfMessages",
            "ApproximateNumberOfMessagesNotVisible",
            "ApproximateNumberOfMessagesDelayed",
          ],
        }),
      );
      const pending = Object.values(Attributes).reduce((sum, count) => sum + Number(count), 0);
      if (pending === 0 && !this.busy) return;
      await sleep(50);
    }
    throw new Error(`Queue ${this.options.queueUrl} still had work after ${options.timeoutMs ?? 10_000} ms`);
  }

  private async run(): Promise<void> {
    while (this.running) {
      try {
        const handled = await this.pollOnce();
        if (handled === 0) await sleep(this.options.idlePollIntervalMs ?? 100);
      } catch (error) {
        this.reportError(error);
        // The SQS server is unreachable or refused the call: back off instead of spinning.
        await sleep(1000);
      }
    }
  }

  private async processBatch(): Promise<number> {
    const messages = await this.receiveBatch();
    if (messages.length === 0) return 0;
    this.busy = true;
    try {
      const event = await this.toEvent(messages);
      let failedIds: Set<string> | undefined;
      try {
        this.invocations += 1;
        failedIds = failedMessageIds(await this.options.invoke(event), messages);
      } catch (error) {
        // The whole batch failed: nothing is deleted, everything comes back after the timeout.
        this.reportError(error);
        return messages.length;
      }
      if (failedIds === undefined) return messages.length;
      await this.deleteMessages(messages.filter((message) => !failedIds.has(message.MessageId ?? "")));
      return messages.length;
    } finally {
      this.busy = false;
    }
  }

  /** Receive what is there, then top the batch up until it is full or the batching window closes. */
  private async receiveBatch(): Promise<Message[]> {
    const batchSize = this.options.batchSize ?? LOCAL_POLLER.batchSize;
    const windowEnds = Date.now() + (this.options.batchWindowMs ?? LOCAL_POLLER.batchWindowMs);
    const batch = await this.receive(batchSize);
    while (batch.length > 0 && batch.length < batchSize && Date.now() < windowEnds) {
      const more = await this.receive(batchSize - batch.length);
      if (more.length === 0) await sleep(20);
      batch.push(...more);
    }
    return batch;
  }

  private async receive(maxMessages: number): Promise<Message[]> {
    const { Messages = [] } = await this.options.client.send(
      new ReceiveMessageCommand({
        QueueUrl: this.options.queueUrl,
        MaxNumberOfMessages: Math.min(maxMessages, 10),
        WaitTimeSeconds: 0,
        VisibilityTimeout: this.options.visibilityTimeoutSeconds ?? LOCAL_POLLER.visibilityTimeoutSeconds,
        MessageSystemAttributeNames: ["All"],
        // local-aws-sqs only reads the older parameter name; real SQS accepts both.
        AttributeNames: ["All"],
        MessageAttributeNames: ["All"],
      }),
    );
    return Messages;
  }

  private async deleteMessages(messages: readonly Message[]): Promise<void> {
    for (let start = 0; start < messages.length; start += 10) {
      const entries = messages.slice(start, start + 10).map((message, index) => ({
        Id: String(index),
        ReceiptHandle: message.ReceiptHandle,
      }));
      const { Failed = [] } = await this.options.client.send(
        new DeleteMessageBatchCommand({ QueueUrl: this.options.queueUrl, Entries: entries }),
      );
      // A failed delete only means the message is processed again: at-least-once, as deployed.
      if (Failed.length > 0)
        this.reportError(new Error(`DeleteMessageBatch failed for ${Failed.length} message(s)`));
    }
  }

  private async toEvent(messages: readonly Message[]): Promise<SQSEvent> {
    this.queueArn ??= await this.fetchQueueArn();
    const eventSourceARN = this.queueArn;
    return { Records: messages.map((message) => toRecord(message, eventSourceARN)) };
  }

  private async fetchQueueArn(): Promise<string> {
    const { Attributes } = await this.options.client.send(
      new GetQueueAttributesCommand({ QueueUrl: this.options.queueUrl, AttributeNames: ["QueueArn"] }),
    );
    return Attributes?.QueueArn ?? `arn:aws:sqs:${LOCAL_REGION}:000000000000:unknown`;
  }

  private reportError(error: unknown): void {
    if (this.options.onError) this.options.onError(error);
    else console.error("[sqs-poller]", error);
  }
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
