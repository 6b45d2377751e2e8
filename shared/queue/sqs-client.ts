/** The SQS client and index-job publisher, built on first use; undefined when no queue is configured. */
import { SQSClient } from "@aws-sdk/client-sqs";
import { config } from "../config.ts";
import { once } from "../util/once.ts";
import { sdkRequestHandler } from "../util/sdk-timeouts.ts";
import type { IndexJobs } from "./index-jobs.ts";
import { SqsIndexJobs } from "./sqs-index-jobs.ts";

export const sqsIndexJobs = /* @__PURE__ */ once((): IndexJobs | undefined => {
  const { INDEX_QUEUE_URL, SQS_ENDPOINT, AWS_REGION } = config();
  if (!INDEX_QUEUE_URL) return undefined;
  const sqs = new SQSClient({
    region: AWS_REGION,
    ...(SQS_ENDPOINT ? { endpoint: SQS_ENDPOINT } : {}),
    maxAttempts: 3,
    requestHandler: sdkRequestHandler,
  });
  return new SqsIndexJobs({ queueUrl: INDEX_QUEUE_URL, sqs });
});
