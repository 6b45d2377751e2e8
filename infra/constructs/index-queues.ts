/**
 * The search index queue and its dead-letter queue, configured from infra/queues.ts (the same
 * numbers drive the local poller, so local retries and DLQ behaviour match the deployed ones).
 */
import { Duration, Validations } from "aws-cdk-lib";
import * as sqs from "aws-cdk-lib/aws-sqs";
import { Construct } from "constructs";
import {
  DLQ_RETENTION_SECONDS,
  INDEX_DLQ_NAME,
  INDEX_QUEUE_NAME,
  MAX_RECEIVE_COUNT,
  VISIBILITY_TIMEOUT_SECONDS,
  WORKER_TIMEOUT_SECONDS,
} from "../queues.ts";

export interface IndexQueuesProps {
  /** Suffix for the physical queue names, so several stages can share an account and region. */
  readonly stage: string;
  /** Timeout of the consuming Lambda; the visibility timeout must be at least 6× that. */
  readonly workerTimeoutSeconds: number;
}

export class IndexQueues extends Construct {
  readonly queue: sqs.Queue;
  readonly deadLetterQueue: sqs.Queue;

  constructor(scope: Construct, id: string, props: IndexQueuesProps) {
    super(scope, id);
    // A worker slower than queues.ts assumes would get its batch redelivered while still running.
    if (
      props.workerTimeoutSeconds !== WORKER_TIMEOUT_SECONDS ||
      VISIBILITY_TIMEOUT_SECONDS < 6 * props.workerTimeoutSeconds
    ) {
      throw new Error(
        `Worker timeout ${props.workerTimeoutSeconds}s does not match infra/queues.ts ` +
          `(WORKER_TIMEOUT_SECONDS=${WORKER_TIMEOUT_SECONDS}, visibility ${VISIBILITY_TIMEOUT_SECONDS}s must be ≥ 6×)`,
      );
    }
    this.deadLetterQueue = new sqs.Queue(this, "DeadLetterQueue", {
      queueName: `${INDEX_DLQ_NAME}-${props.stage}`,
      retentionPeriod: Duration.seconds(DLQ_RETENTION_SECONDS),
      encryption: sqs.QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
    });
    Validations.of(this.deadLetterQueue).acknowledge({
      id: "AwsSolutions-SQS3",
      reason: "This is the dead-letter queue of the index queue; a DLQ of a DLQ adds nothing.",
    });

    this.queue = new sqs.Queue(this, "Queue", {
      queueName: `${INDEX_QUEUE_NAME}-${props.stage}`,
      visibilityTimeout: Duration.seconds(VISIBILITY_TIMEOUT_SECONDS),
      encryption: sqs.QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      deadLetterQueue: { queue: this.deadLetterQueue, maxReceiveCount: MAX_RECEIVE_COUNT },
    });
  }
}
