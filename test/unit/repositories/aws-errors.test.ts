import {
  InternalServerError,
  ProvisionedThroughputExceededException,
  ResourceNotFoundException,
  TransactionCanceledException,
} from "@aws-sdk/client-dynamodb";
import { describe, expect, it } from "vitest";
import { NotFoundError, UnavailableError } from "../../../shared/errors.ts";
import { isThrottledTransaction, isTransientAwsError } from "../../../shared/repositories/aws-errors.ts";
import { isTransient, PermanentJobError } from "../../../shared/services/market-indexer.ts";

const meta = (httpStatusCode: number) => ({ $metadata: { httpStatusCode }, message: "x" });
const named = (name: string) => Object.assign(new Error(name), { name });
const network = (code: string) => Object.assign(new Error(`connect ${code}`), { code });
const canceled = (...codes: string[]) =>
  new TransactionCanceledException({
    ...meta(400),
    CancellationReasons: codes.map((Code) => ({ Code })),
  });

describe("isTransientAwsError", () => {
  it("recognises throttling, 5xx and timeouts by name", () => {
    for (const name of [
      "ThrottlingException",
      "ProvisionedThroughputExceededException",
      "RequestLimitExceeded",
      "ServiceUnavailable",
      "ServiceUnavailableException",
      "InternalServerError",
      "TimeoutError",
      "RequestTimeout",
    ])
      expect(isTransientAwsError(named(name)), name).toBe(true);
    expect(isTransientAwsError(new ProvisionedThroughputExceededException(meta(400)))).toBe(true);
    expect(isTransientAwsError(new InternalServerError(meta(500)))).toBe(true);
  });

  it("recognises $retryable and any 5xx status", () => {
    expect(isTransientAwsError(Object.assign(new Error("x"), { $retryable: { throttling: true } }))).toBe(
      true,
    );
    expect(isTransientAwsError(Object.assign(named("SomethingNew"), meta(502)))).toBe(true);
    expect(isTransientAwsError(Object.assign(named("SomethingNew"), meta(429)))).toBe(false);
  });

  it("recognises network failures, also wrapped by fetch or happy-eyeballs", () => {
    for (const code of ["ECONNREFUSED", "ECONNRESET", "ETIMEDOUT", "EPIPE", "EAI_AGAIN"])
      expect(isTransientAwsError(network(code)), code).toBe(true);
    expect(isTransientAwsError(new TypeError("fetch failed", { cause: network("ECONNRESET") }))).toBe(true);
    expect(isTransientAwsError(new AggregateError([network("ECONNREFUSED")], "connect failed"))).toBe(true);
  });

  it("recognises a transaction canceled because an item was throttled", () => {
    expect(isThrottledTransaction(canceled("None", "ThrottlingError"))).toBe(true);
    expect(isTransientAwsError(canceled("ThrottlingError", "None"))).toBe(true);
    expect(isThrottledTransaction(canceled("ConditionalCheckFailed", "None"))).toBe(false);
  });

  it("leaves bugs, bad requests and domain errors alone", () => {
    expect(isTransientAwsError(new ResourceNotFoundException(meta(400)))).toBe(false);
    expect(isTransientAwsError(named("ValidationException"))).toBe(false);
    expect(isTransientAwsError(canceled("ConditionalCheckFailed"))).toBe(false);
    expect(isTransientAwsError(new TypeError("x is undefined"))).toBe(false);
    expect(isTransientAwsError(new NotFoundError("Market"))).toBe(false);
    expect(isTransientAwsError(new UnavailableError())).toBe(false);
    for (const value of [undefined, null, "ECONNRESET", 503]) expect(isTransientAwsError(value)).toBe(false);
  });

  it("does not loop on a cyclic cause chain", () => {
    const error = new Error("a") as Error & { cause?: unknown };
    error.cause = error;
    expect(isTransientAwsError(error)).toBe(false);
  });

  it("is what the market indexer retries, except for permanent job errors", () => {
    expect(isTransient(named("ThrottlingException"))).toBe(true);
    expect(isTransient(Object.assign(new PermanentJobError("bad"), { $retryable: {} }))).toBe(false);
  });
});
