/**
 * The index queue's settings, as plain data: the CDK stack and the local cloud (infra/local/) both
 * read them, so the deployed event source mapping and the local poller behave alike.
 */

/** Markets to (re-)embed for search; written by create/update/reindex, read by workers/index-markets. */
export const INDEX_QUEUE_NAME = "markets-index";
/** Where a job lands after `maxReceiveCount` failed attempts, kept for inspection and redrive. */
export const INDEX_DLQ_NAME = "markets-index-dlq";

/** Attempts before SQS moves a message to the DLQ. */
export const MAX_RECEIVE_COUNT = 3;
/** The worker Lambda's timeout (matches the worker declarations in shared/routes/). */
export const WORKER_TIMEOUT_SECONDS = 30;
/**
 * AWS recommends a visibility timeout of at least 6× the function timeout, so that a batch still
 * being retried by the event source mapping is not handed to a second invocation meanwhile.
 */
export const VISIBILITY_TIMEOUT_SECONDS = WORKER_TIMEOUT_SECONDS * 6;
/** Messages handed to one worker invocation. */
export const BATCH_SIZE = 10;
/** Deployed: wait up to 1 s to fill a batch, trading a little latency for fewer invocations. */
export const MAX_BATCHING_WINDOW_SECONDS = 1;
/** DLQ retention: long enough to notice and redrive (14 days, the SQS maximum). */
export const DLQ_RETENTION_SECONDS = 14 * 24 * 60 * 60;

/** The local poller (infra/local/sqs-poller.ts): a shorter window so that local flows feel instant. */
export const LOCAL_POLLER = {
  batchSize: BATCH_SIZE,
  batchWindowMs: 100,
  visibilityTimeoutSeconds: VISIBILITY_TIMEOUT_SECONDS,
  /** Tests that exercise retries and the DLQ pass this instead, so a failed message returns quickly. */
  testVisibilityTimeoutSeconds: 1,
} as const;
