/**
 * Local SQS: the local-aws-sqs server (pure Node, speaks the SDK v3 JSON protocol) in this
 * process on a free port, with the index queue and its DLQ created as deployed. local-aws-sqs
 * applies the redrive policy itself: once a message has been received `maxReceiveCount` times and
 * its visibility timeout runs out again, the server moves it to the DLQ, as SQS does.
 * `SQS_ENDPOINT` points at another SQS-compatible server instead (the queues are still created).
 */
import type { AddressInfo } from "node:net";
import {
  CreateQueueCommand,
  GetQueueAttributesCommand,
  GetQueueUrlCommand,
  type QueueAttributeName,
  SetQueueAttributesCommand,
  SQSClient,
} from "@aws-sdk/client-sqs";
import { createSqsServer } from "local-aws-sqs";
import {
  DLQ_RETENTION_SECONDS,
  INDEX_DLQ_NAME,
  INDEX_QUEUE_NAME,
  MAX_RECEIVE_COUNT,
  VISIBILITY_TIMEOUT_SECONDS,
} from "../queues.ts";
import { LOCAL_CREDENTIALS, LOCAL_REGION } from "./local-env.ts";

export interface SqsLocal {
  readonly endpoint: string;
  readonly queueUrl: string;
  readonly dlqUrl: string;
  /** Close the in-process server (no-op for an external SQS_ENDPOINT). */
  stop(): Promise<void>;
}

export interface QueuePair {
  readonly queueUrl: string;
  readonly dlqUrl: string;
}

export interface QueuePairOptions {
  queueName?: string;
  dlqName?: string;
  maxReceiveCount?: number;
  visibilityTimeoutSeconds?: number;
}

/** Start local SQS (or reuse `SQS_ENDPOINT`) and create the index queue with its DLQ. */
export async function startSqsLocal(
  options: QueuePairOptions & { endpoint?: string } = {},
): Promise<SqsLocal> {
  const external = options.endpoint ?? process.env.SQS_ENDPOINT;
  let endpoint: string;
  let stop = async () => {};
  if (external) {
    endpoint = external;
  } else {
    const server = await createSqsServer({
      port: 0,
      hostname: "127.0.0.1",
      region: LOCAL_REGION,
      // Tests delete and recreate queues freely; AWS's 60 s wait before reusing a name would only hurt.
      emulateQueueCreationLifecycle: false,
    });
    endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    stop = () =>
      new Promise<void>((resolve) => {
        // Long polls hold connections open for up to 20 s; cut them instead of waiting.
        server.closeAllConnections();
        server.close(() => resolve());
      });
  }
  const client = localSqsClient(endpoint);
  try {
    const queues = await createQueuePair(client, options);
    return { endpoint, ...queues, stop };
  } finally {
    client.destroy();
  }
}

/** An SDK client for a local endpoint with the local cloud's dummy credentials. */
export function localSqsClient(endpoint: string): SQSClient {
  return new SQSClient({ endpoint, region: LOCAL_REGION, credentials: LOCAL_CREDENTIALS });
}

/**
 * Create a queue and its DLQ wired by a redrive policy (idempotent: existing queues get the
 * attributes set again). Tests call it with their own names for queues of their own.
 */
export async function createQueuePair(client: SQSClient, options: QueuePairOptions = {}): Promise<QueuePair> {
  const dlqUrl = await upsertQueue(client, options.dlqName ?? INDEX_DLQ_NAME, {
    MessageRetentionPeriod: String(DLQ_RETENTION_SECONDS),
  });
  const { Attributes } = await client.send(
    new GetQueueAttributesCommand({ QueueUrl: dlqUrl, AttributeNames: ["QueueArn"] }),
  );
  const queueUrl = await upsertQueue(client, options.queueName ?? INDEX_QUEUE_NAME, {
    VisibilityTimeout: String(options.visibilityTimeoutSeconds ?? VISIBILITY_TIMEOUT_SECONDS),
    RedrivePolicy: JSON.stringify({
      deadLetterTargetArn: Attributes?.QueueArn,
      maxReceiveCount: options.maxReceiveCount ?? MAX_RECEIVE_COUNT,
    }),
  });
  return { queueUrl, dlqUrl };
}

async function upsertQueue(
  client: SQSClient,
  name: string,
  attributes: Partial<Record<QueueAttributeName, string>>,
): Promise<string> {
  try {
    const { QueueUrl } = await client.send(
      new CreateQueueCommand({ QueueName: name, Attributes: attributes }),
    );
    if (!QueueUrl) throw new Error(`CreateQueue returned no URL for ${name}`);
    return QueueUrl;
  } catch (error) {
    // A persistent SQS (SQS_ENDPOINT) may already hold the queue with other attributes.
    if (!(error instanceof Error) || !/QueueAlreadyExists|QueueNameExists/.test(error.name)) throw error;
    const { QueueUrl } = await client.send(new GetQueueUrlCommand({ QueueName: name }));
    if (!QueueUrl) throw new Error(`GetQueueUrl returned no URL for ${name}`);
    await client.send(new SetQueueAttributesCommand({ QueueUrl, Attributes: attributes }));
    return QueueUrl;
  }
}
