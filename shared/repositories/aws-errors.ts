/**
 * Which failures of an AWS dependency are an outage rather than a bug: throttling, 5xx answers,
 * timeouts and dropped connections. The SDK has already retried these by the time they reach us, so
 * a request answers them with 503 (try again shortly) and a worker retries them with backoff. One
 * classifier for both, recognising errors by name and code so no SDK client class is imported.
 */
import type { InitializeMiddleware, MetadataBearer, Pluggable } from "@smithy/types";
import { UnavailableError } from "../errors.ts";
import { isNetworkFailure } from "../util/network-failure.ts";
import { cancellationReasons, isTransactionCanceled } from "./dynamo-errors.ts";

/** Error names (`error.name`) the SDKs use for throttling, 5xx and timeouts. */
const TRANSIENT_NAMES = new Set([
  "ThrottlingException",
  "ProvisionedThroughputExceededException",
  "RequestLimitExceeded",
  "ServiceUnavailable",
  "ServiceUnavailableException",
  "InternalServerError",
  "InternalServerException",
  "ModelNotReadyException",
  "TimeoutError",
  "RequestTimeout",
  "RequestTimeoutException",
]);

interface ErrorShape {
  name?: unknown;
  $retryable?: unknown;
  $metadata?: { httpStatusCode?: unknown };
  cause?: unknown;
  errors?: unknown;
}

/**
 * A TransactWriteItems that DynamoDB canceled because an item was throttled: the SDK does not retry
 * a cancellation (it is a 400), yet trying again shortly is exactly what it needs.
 */
export const isThrottledTransaction = (error: unknown): boolean =>
  isTransactionCanceled(error) &&
  cancellationReasons(error).some(
    (reason) => reason.Code === "ThrottlingError" || reason.Code === "ProvisionedThroughputExceeded",
  );

/** Throttling, a 5xx answer, a timeout or a network failure of an AWS call: worth another try later. */
export function isTransientAwsError(error: unknown): boolean {
  return transient(error, 0);
}

function transient(error: unknown, depth: number): boolean {
  if (typeof error !== "object" || error === null) return false;
  const { name, $retryable, $metadata, cause, errors } = error as ErrorShape;
  if (typeof name === "string" && TRANSIENT_NAMES.has(name)) return true;
  if (isNetworkFailure(error)) return true;
  if ($retryable) return true;
  const status = $metadata?.httpStatusCode;
  if (typeof status === "number" && status >= 500) return true;
  if (isThrottledTransaction(error)) return true;
  // fetch and Node's happy-eyeballs connect wrap the socket error (`cause`, AggregateError `errors`);
  // a shallow look suffices and keeps a cyclic cause chain from looping.
  if (depth >= 3) return false;
  if (transient(cause, depth + 1)) return true;
  return Array.isArray(errors) && errors.some((inner) => transient(inner, depth + 1));
}

/**
 * An SDK client plugin that turns an outage the SDK's own retries did not ride out into the domain's
 * UnavailableError, so services and the http layer never classify AWS errors themselves. It sits in
 * the initialize step, outside the retry middleware, so it sees only the final failure. A canceled
 * transaction passes through untouched: its repository decides what a cancellation means.
 */
export const outagesAsUnavailable: Pluggable<object, MetadataBearer> = {
  applyToStack: (stack) => {
    const middleware: InitializeMiddleware<object, MetadataBearer> = (next) => async (args) => {
      try {
        return await next(args);
      } catch (error) {
        if (isTransientAwsError(error) && !isTransactionCanceled(error)) {
          throw new UnavailableError(undefined, { cause: error });
        }
        throw error;
      }
    };
    stack.add(middleware, { step: "initialize", name: "outagesAsUnavailable", priority: "high" });
  },
};
