import {
  InternalServerError,
  ProvisionedThroughputExceededException,
  ResourceNotFoundException,
  TransactionCanceledException,
} from "@aws-sdk/client-dynamodb";
import type { InitializeMiddleware, MetadataBearer } from "@smithy/types";
import { describe, expect, it } from "vitest";
import { NotFoundError, UnavailableError } from "../../../shared/errors.ts";
import {
  isThrottledTransaction,
  isTransientAwsError,
  outagesAsUnavailable,
} from "../../../shared/repositories/aws-errors.ts";
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

  it("an outage the adapters report is what the market indexer retries, except for permanent job errors", () => {
    expect(isTransient(new UnavailableError())).toBe(true);
    expect(isTransient(named("ThrottlingException"))).toBe(false);
    expect(isTransient(Object.assign(new PermanentJobError("bad"), { $retryable: {} }))).toBe(false);
  });
});

describe("outagesAsUnavailable", () => {
  /** Run the plugin's middleware around a `next` that fails with `error`. */
  async function through(error: unknown): Promise<unknown> {
    const added: InitializeMiddleware<object, MetadataBearer>[] = [];
    outagesAsUnavailable.applyToStack({
      add: (middleware: InitializeMiddleware<object, MetadataBearer>) => added.push(middleware),
    } as unknown as Parameters<typeof outagesAsUnavailable.applyToStack>[0]);
    const [middleware] = added;
    const failing = (async () => {
      throw error;
    }) as unknown as Parameters<InitializeMiddleware<object, MetadataBearer>>[0];
    return (middleware as InitializeMiddleware<object, MetadataBearer>)(
      failing,
      {} as never,
    )({ input: {} }).then(
      () => undefined,
      (thrown: unknown) => thrown,
    );
  }

  it("turns an outage into UnavailableError with the SDK error as its cause", async () => {
    const outage = new InternalServerError(meta(500));
    const thrown = await through(outage);
    expect(thrown).toBeInstanceOf(UnavailableError);
    expect((thrown as UnavailableError).cause).toBe(outage);
  });

  it("leaves bad requests and canceled transactions to the repositories", async () => {
    const missing = new ResourceNotFoundException(meta(400));
    expect(await through(missing)).toBe(missing);
    const throttled = canceled("ThrottlingError");
    expect(await through(throttled)).toBe(throttled);
  });
});
