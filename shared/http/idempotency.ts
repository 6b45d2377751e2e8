/**
 * `Idempotency-Key` for POST routes, with Powertools Idempotency and its DynamoDB persistence in
 * the same table. Records live under `IDEMPOTENCY#<caller>`, so keys are scoped to the caller and
 * spread over partitions; the key hash covers the method and path, and the payload hash is the body: the
 * same key with another body is IDEMPOTENCY_KEY_REUSED, a repeat while the first is in flight is a
 * 409, and a repeat after it returns the stored first response without writing again.
 */
import {
  IdempotencyAlreadyInProgressError,
  IdempotencyConfig,
  IdempotencyValidationError,
  makeIdempotent,
} from "@aws-lambda-powertools/idempotency";
import { DynamoDBPersistenceLayer } from "@aws-lambda-powertools/idempotency/dynamodb";
import type { Context } from "aws-lambda";
import { config } from "../config.ts";
import { dynamoClient } from "../container.ts";
import { ConflictError, IdempotencyKeyReusedError, ValidationError } from "../errors.ts";
import { PARTITION_KEY, SORT_KEY, TTL_ATTRIBUTE } from "../repositories/table-schema.ts";
import type { HttpResult } from "./response.ts";

const DAY_SECONDS = 24 * 60 * 60;

export interface IdempotentCall {
  key: string;
  route: string;
  callerId: string;
  body: unknown;
  context: Context;
  run: () => Promise<HttpResult>;
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

export async function runIdempotent(call: IdempotentCall): Promise<HttpResult> {
  const persistenceStore = new DynamoDBPersistenceLayer({
    tableName: config().TABLE_NAME,
    keyAttr: PARTITION_KEY,
    sortKeyAttr: SORT_KEY,
    staticPkValue: `IDEMPOTENCY#${call.callerId}`,
    expiryAttr: TTL_ATTRIBUTE,
    awsSdkV3Client: dynamoClient(),
  });
  const idempotencyConfig = new IdempotencyConfig({
    eventKeyJmesPath: "[route, key]",
    payloadValidationJmesPath: "body",
    expiresAfterSeconds: DAY_SECONDS,
    throwOnNoIdempotencyKey: true,
  });
  idempotencyConfig.registerLambdaContext(call.context);
  const once = makeIdempotent(async (_payload: { route: string; key: string; body: unknown }) => call.run(), {
    persistenceStore,
    config: idempotencyConfig,
  });
  try {
    return (await once({ route: call.route, key: call.key, body: call.body })) as HttpResult;
  } catch (error) {
    if (error instanceof IdempotencyValidationError) throw new IdempotencyKeyReusedError();
    if (error instanceof IdempotencyAlreadyInProgressError) {
      throw new ConflictError("A request with this Idempotency-Key is still in progress; retry shortly");
    }
    throw error;
  }
}
