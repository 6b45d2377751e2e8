/**
 * `Idempotency-Key` for POST routes, with Powertools Idempotency and its DynamoDB persistence in
 * the same table. Records live under `IDEMPOTENCY#<caller>`, so keys are scoped to the caller and
 * spread over partitions; the key hash covers the method and path, and the payload hash is the body: the
 * same key with another body is IDEMPOTENCY_KEY_REUSED, a repeat while the first is in flight is a
 * 409, and a repeat after it returns the stored first response without writing again. A failing
 * idempotency store is an outage (503), like any other unreachable dependency.
 *
 * What can be is built once per execution environment. The config is shared. A persistence layer
 * fixes its partition key value at construction (`staticPkValue`), so per-caller partitions mean
 * one layer (and its wrapper) per caller, kept in a small LRU: a caller's repeats reuse it, and a
 * long-lived Lambda stays bounded. One layer for everyone with the caller in the hashed key would
 * also scope keys, but would put every record in a single partition, capping idempotent writes of
 * the whole API at one partition's throughput.
 */
import {
  IdempotencyAlreadyInProgressError,
  IdempotencyConfig,
  IdempotencyUnknownError,
  IdempotencyValidationError,
  makeIdempotent,
} from "@aws-lambda-powertools/idempotency";
import { DynamoDBPersistenceLayer } from "@aws-lambda-powertools/idempotency/dynamodb";
import type { Context } from "aws-lambda";
import { config } from "../config.ts";
import { dynamoClient, metricsRecorder } from "../container.ts";
import { ConflictError, IdempotencyKeyReusedError, UnavailableError, ValidationError } from "../errors.ts";
import { METRIC } from "../metrics/metrics-recorder.ts";
import { isTransientAwsError } from "../repositories/aws-errors.ts";
import { PARTITION_KEY, SORT_KEY, TTL_ATTRIBUTE } from "../repositories/table-schema.ts";
import { lru } from "../util/lru.ts";
import { once } from "../util/once.ts";
import type { HttpResult } from "./response.ts";

const DAY_SECONDS = 24 * 60 * 60;
/** Callers whose persistence layer a warm Lambda keeps; a layer is cheap to rebuild after eviction. */
const CACHED_CALLERS = 256;

export interface IdempotentCall {
  key: string;
  route: string;
  callerId: string;
  body: unknown;
  context: Context;
  run: () => Promise<HttpResult>;
}

/** What Powertools hashes: `[route, key]` for the record's key, `body` for the payload check. */
interface IdempotentPayload {
  route: string;
  key: string;
  body: unknown;
}

/** Validate the header: 1–128 visible characters. */
export function idempotencyKeyOf(header: string): string {
  if (!/^[\x21-\x7e]{1,128}$/.test(header)) {
    throw new ValidationError([
      { path: "Idempotency-Key", message: "must be 1-128 visible ASCII characters" },
    ]);
  }
  return header;
}

const idempotencyConfig = /* @__PURE__ */ once(
  () =>
    new IdempotencyConfig({
      eventKeyJmesPath: "[route, key]",
      payloadValidationJmesPath: "body",
      expiresAfterSeconds: DAY_SECONDS,
      throwOnNoIdempotencyKey: true,
    }),
);

const idempotentFor = /* @__PURE__ */ lru(CACHED_CALLERS, (callerId: string) =>
  makeIdempotent(
    // The handler's work comes in as an argument, so one wrapper serves every request of the caller.
    // The context as second argument makes Powertools register it on each call (in-flight expiry
    // follows the Lambda's remaining time), and only the first argument is hashed.
    async (_payload: IdempotentPayload, _context: Context, run: () => Promise<HttpResult>) => run(),
    {
      persistenceStore: new DynamoDBPersistenceLayer({
        tableName: config().TABLE_NAME,
        keyAttr: PARTITION_KEY,
        sortKeyAttr: SORT_KEY,
        staticPkValue: `IDEMPOTENCY#${callerId}`,
        expiryAttr: TTL_ATTRIBUTE,
        awsSdkV3Client: dynamoClient(),
      }),
      config: idempotencyConfig(),
    },
  ),
);

export async function runIdempotent(call: IdempotentCall): Promise<HttpResult> {
  const idempotent = idempotentFor(call.callerId);
  // Powertools answers a repeat from the stored record without calling `run`: that is a replay.
  let ran = false;
  const run = () => {
    ran = true;
    return call.run();
  };
  try {
    const result = await idempotent({ route: call.route, key: call.key, body: call.body }, call.context, run);
    if (!ran) metricsRecorder().record([{ name: METRIC.idempotentReplays, unit: "Count", value: 1 }]);
    return result;
  } catch (error) {
    if (error instanceof IdempotencyValidationError) throw new IdempotencyKeyReusedError();
    if (error instanceof IdempotencyAlreadyInProgressError) {
      throw new ConflictError("A request with this Idempotency-Key is still in progress; retry shortly");
    }
    // A store that could not be reached (throttled, timed out, down) is an outage: 503. Anything
    // else Powertools raises (access denied, a malformed record, a bug) stays a 500 and is logged as
    // one, so nobody is told to retry what a retry cannot fix.
    if (error instanceof IdempotencyUnknownError && isTransientAwsError(error)) {
      throw new UnavailableError(undefined, { cause: error });
    }
    throw error;
  }
}
