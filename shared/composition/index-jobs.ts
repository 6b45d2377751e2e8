/**
 * The index-job queue, loaded on first use only: read-only bundles never load the SQS client.
 * Undefined when no queue is configured.
 */
import { SQSClient } from "@aws-sdk/client-sqs";
import type { Config } from "../config.ts";
import type { IndexJobs } from "../queue/index-jobs.ts";
import { SqsIndexJobs } from "../queue/sqs-index-jobs.ts";
import { outagesAsUnavailable } from "../repositories/aws-errors.ts";
import { sdkRequestHandler } from "../util/sdk-timeouts.ts";

/** Build the publisher for a parsed configuration. */
export function sqsIndexJobs(settings: Config): IndexJobs | undefined {
  const { INDEX_QUEUE_URL, SQS_ENDPOINT, AWS_REGION } = settings;
  if (!INDEX_QUEUE_URL) return undefined;
  const sqs = new SQSClient({
    region: AWS_REGION,
    ...(SQS_ENDPOINT ? { endpoint: SQS_ENDPOINT } : {}),
    maxAttempts: 3,
    requestHandler: sdkRequestHandler,
  });
  sqs.middlewareStack.use(outagesAsUnavailable);
  return new SqsIndexJobs({ queueUrl: INDEX_QUEUE_URL, sqs });
}
