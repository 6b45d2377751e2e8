/**
 * The index worker: SQS batches of index jobs. Each message succeeds or fails on its own (partial
 * batch response), so one bad message is retried and dead-lettered without redelivering the rest.
 */
import { BatchProcessor, EventType, processPartialResponse } from "@aws-lambda-powertools/batch";
import type { Context, SQSBatchResponse, SQSEvent, SQSRecord } from "aws-lambda";
import * as z from "zod/mini";
import { metricsRecorder, tracing } from "../../shared/composition/observability.ts";
import { marketIndexer } from "../../shared/composition/search.ts";
import { Id } from "../../shared/domain/schemas.ts";
import { logger } from "../../shared/logger.ts";
import { METRIC } from "../../shared/metrics/metrics-recorder.ts";
import type { IndexJob } from "../../shared/queue/index-jobs.ts";
import { PermanentJobError } from "../../shared/services/market-indexer.ts";

const IndexJobMessage = z.strictObject({
  jobId: z.string().check(z.minLength(1), z.maxLength(128)),
  marketId: Id,
  reason: z.enum(["created", "updated", "deleted", "reindex"]),
  queuedAt: z.iso.datetime(),
});

/**
 * The job in a message body. Anything else is a PermanentJobError: no retry can fix it, but it still
 * fails its record rather than being acknowledged, so it reaches the DLQ (and its alarm) for a person
 * to look at instead of vanishing into a log line.
 */
function parseJob(body: string): IndexJob {
  let json: unknown;
  try {
    json = JSON.parse(body);
  } catch {
    throw new PermanentJobError("index job is not JSON");
  }
  const parsed = IndexJobMessage.safeParse(json);
  if (!parsed.success) throw new PermanentJobError(`malformed index job: ${z.prettifyError(parsed.error)}`);
  return parsed.data;
}

async function indexRecord(record: SQSRecord): Promise<void> {
  try {
    const job = parseJob(record.body);
    const outcome = await marketIndexer().index(job);
    // Write to searchable: from the write that queued the job to the stored vector (search Lambdas
    // pick it up within their refresh interval, SEARCH_REFRESH_MS, on top). A no-op repeat is not lag.
    if (outcome !== "unchanged") {
      const lagMs = Math.max(0, Date.now() - Date.parse(job.queuedAt));
      metricsRecorder().record([{ name: METRIC.indexLag, unit: "Milliseconds", value: lagMs }]);
    }
    logger.info("index job done", {
      messageId: record.messageId,
      jobId: job.jobId,
      marketId: job.marketId,
      outcome,
    });
  } catch (error) {
    logger.error("index job failed", { messageId: record.messageId, error });
    throw error;
  }
}

const processor = new BatchProcessor(EventType.SQS);

export const handler = async (event: SQSEvent, context: Context): Promise<SQSBatchResponse> => {
  logger.addContext(context);
  await tracing();
  // A batch whose every record failed is reported like any other partial failure, record by
  // record, instead of failing the invocation: the outcome for SQS is the same, the logs clearer.
  return processPartialResponse(event, indexRecord, processor, { context, throwOnFullBatchFailure: false });
};
