/**
 * The idempotency store: Powertools Idempotency with its DynamoDB persistence in the same table.
 * Records live under `IDEMPOTENCY#<caller>`, so keys are scoped to the caller and spread over
 * partitions; the key hash covers the route with its decoded path parameters, and the payload hash
 * is the body: the
 * same key with another body is IDEMPOTENCY_KEY_REUSED, a repeat while the first is in flight is a
 * 409, and a repeat after it returns the stored first response without writing again. A failing
 * idempotency store is an outage (503), like any other unreachable dependency.
 *
 * What can be is built once per store, that is once per execution environment. A persistence layer
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
import type { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import type { Context } from "aws-lambda";
import { ConflictError, IdempotencyKeyReusedError, UnavailableError } from "../errors.ts";
import type { IdempotencyStore, IdempotentCall } from "../http/idempotency.ts";
import { lru } from "../util/lru.ts";
import { isTransientAwsError } from "./aws-errors.ts";
import { KEY_PREFIXES, PARTITION_KEY, SORT_KEY, TTL_ATTRIBUTE } from "./table-schema.ts";

const DAY_SECONDS = 24 * 60 * 60;
/** Callers whose persistence layer a warm Lambda keeps; a layer is cheap to rebuild after eviction. */
const CACHED_CALLERS = 256;

/** What Powertools hashes: `[scope, key]` for the record's key, `body` for the payload check. */
interface IdempotentPayload {
  scope: string;
  key: string;
  body: unknown;
}

type Work = () => Promise<unknown>;

export class DynamoIdempotencyStore implements IdempotencyStore {
  private readonly config = new IdempotencyConfig({
    eventKeyJmesPath: "[scope, key]",
    payloadValidationJmesPath: "body",
    expiresAfterSeconds: DAY_SECONDS,
    throwOnNoIdempotencyKey: true,
  });

  private readonly forCaller = lru(CACHED_CALLERS, (callerId: string) =>
    makeIdempotent(
      // The work comes in as an argument, so one wrapper serves every request of the caller. The
      // context as second argument makes Powertools register it on each call (in-flight expiry
      // follows the Lambda's remaining time), and only the first argument is hashed.
      async (_payload: IdempotentPayload, _context: Context, run: Work) => run(),
      {
        persistenceStore: new DynamoDBPersistenceLayer({
          tableName: this.opts.table,
          keyAttr: PARTITION_KEY,
          sortKeyAttr: SORT_KEY,
          staticPkValue: `${KEY_PREFIXES.idempotency}${callerId}`,
          expiryAttr: TTL_ATTRIBUTE,
          awsSdkV3Client: this.opts.client,
        }),
        config: this.config,
      },
    ),
  );

  constructor(
    private readonly opts: {
      table: string;
      client: DynamoDBClient;
      /** Told of each repeat answered from the stored record (counted as a replay metric). */
      onReplay?: () => void;
    },
  ) {}

  async run<T>(call: IdempotentCall<T>): Promise<T> {
    const idempotent = this.forCaller(call.callerId);
    // Powertools answers a repeat from the stored record without calling `run`: that is a replay.
    let ran = false;
    const run = () => {
      ran = true;
      return call.run();
    };
    try {
      const result = (await idempotent(
        { scope: call.scope, key: call.key, body: call.body },
        call.context,
        run,
      )) as T;
      if (!ran) this.opts.onReplay?.();
      return result;
    } catch (error) {
      if (error instanceof IdempotencyValidationError) throw new IdempotencyKeyReusedError();
      if (error instanceof IdempotencyAlreadyInProgressError) {
        throw new ConflictError("A request with this Idempotency-Key is still in progress; retry shortly");
      }
      // A store that could not be reached (throttled, timed out, down) is an outage: 503. Anything
      // else Powertools raises (access denied, a malformed record, a bug) stays a 500 and is logged
      // as one, so nobody is told to retry what a retry cannot fix.
      if (
        error instanceof IdempotencyUnknownError &&
        (isTransientAwsError(error) || hasUnavailableCause(error))
      ) {
        throw new UnavailableError(undefined, { cause: error });
      }
      throw error;
    }
  }
}

function hasUnavailableCause(error: Error): boolean {
  return error.cause instanceof UnavailableError;
}
