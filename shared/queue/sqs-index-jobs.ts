/** Index jobs on SQS. The SDK's standard retry mode already retries throttling with backoff and jitter. */
import { SendMessageCommand, type SQSClient } from "@aws-sdk/client-sqs";
import { ulid } from "ulid";
import type { IndexJob, IndexJobs } from "./index-jobs.ts";

export class SqsIndexJobs implements IndexJobs {
  constructor(private readonly opts: { queueUrl: string; sqs: SQSClient; now?: () => Date }) {}

  async enqueue(marketId: string, reason: IndexJob["reason"]): Promise<IndexJob> {
    const job: IndexJob = {
      jobId: ulid(),
      marketId,
      reason,
      queuedAt: (this.opts.now?.() ?? new Date()).toISOString(),
    };
    await this.opts.sqs.send(
      new SendMessageCommand({ QueueUrl: this.opts.queueUrl, MessageBody: JSON.stringify(job) }),
    );
    return job;
  }
}
