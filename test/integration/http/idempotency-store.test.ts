/**
 * runIdempotent against DynamoDB Local, below the HTTP stack: the wrapper is reused across requests,
 * and a store that cannot be written never lets the request run.
 */
import type { Context } from "aws-lambda";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { LOCAL_CREDENTIALS, LOCAL_REGION } from "../../../infra/local/local-env.ts";
import { UnavailableError } from "../../../shared/errors.ts";
import type { HttpResult } from "../../../shared/http/response.ts";
import { createTestTable, deleteTestTable, testEndpoints } from "../../support/local-cloud.ts";

let table: string;
let runIdempotent: typeof import("../../../shared/http/idempotency.ts").runIdempotent;
const saved = { ...process.env };

const context = {
  functionName: "idempotency-test",
  awsRequestId: "req",
  getRemainingTimeInMillis: () => 10_000,
} as unknown as Context;

const created = (id: string): HttpResult => ({ statusCode: 201, headers: {}, body: JSON.stringify({ id }) });

beforeAll(async () => {
  table = await createTestTable("idempotency-store");
  // The module reads its table and client from config() and the container on first use.
  Object.assign(process.env, {
    TABLE_NAME: table,
    DYNAMODB_ENDPOINT: testEndpoints().dynamodbEndpoint,
    AWS_REGION: LOCAL_REGION,
    AWS_ACCESS_KEY_ID: LOCAL_CREDENTIALS.accessKeyId,
    AWS_SECRET_ACCESS_KEY: LOCAL_CREDENTIALS.secretAccessKey,
    JWT_SECRET: "a-test-secret-that-is-long-enough-0123456789",
  });
  ({ runIdempotent } = await import("../../../shared/http/idempotency.ts"));
});

afterAll(async () => {
  process.env = saved;
  await deleteTestTable(table);
});

describe("runIdempotent", () => {
  it("runs a key once per caller and replays the first answer", async () => {
    let runs = 0;
    const call = (callerId: string, body: unknown) =>
      runIdempotent({
        key: "k-1",
        route: "POST /api/markets",
        callerId,
        body,
        context,
        run: async () => created(`m-${++runs}`),
      });
    const first = await call("alice", { name: "a" });
    expect(await call("alice", { name: "a" })).toEqual(first);
    expect(runs).toBe(1);
    // Another caller's key is another record.
    expect(await call("bob", { name: "a" })).toEqual(created("m-2"));
    await expect(call("alice", { name: "b" })).rejects.toMatchObject({ code: "IDEMPOTENCY_KEY_REUSED" });
  });

  it("runs nothing when the idempotency store cannot be written, and reports a missing table as a fault", async () => {
    // A table that is gone is a deployment fault, not an outage: no retry fixes it, so it stays a
    // 500 (only transient store failures are 503). Either way the request must not run without its
    // idempotency record.
    await deleteTestTable(table);
    let runs = 0;
    const error = await runIdempotent({
      key: "k-2",
      route: "POST /api/markets",
      callerId: "carol",
      body: {},
      context,
      run: async () => created(`m-${++runs}`),
    }).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(Error);
    expect(error).not.toBeInstanceOf(UnavailableError);
    expect(runs).toBe(0);
    table = await createTestTable("idempotency-store");
  });
});
