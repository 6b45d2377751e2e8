/**
 * DynamoIdempotencyStore against DynamoDB Local, below the HTTP stack: a key runs once per caller and
 * scope, the first answer is replayed, and a store that cannot be written never lets the work run.
 */
import type { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import type { Context } from "aws-lambda";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { UnavailableError } from "../../../shared/errors.ts";
import type { HttpResult } from "../../../shared/http/response.ts";
import { DynamoIdempotencyStore } from "../../../shared/repositories/dynamo-idempotency-store.ts";
import { createTestTable, deleteTestTable, testDynamoClient } from "../../support/local-cloud.ts";

let table: string;
let client: DynamoDBClient;

const context = {
  functionName: "idempotency-test",
  awsRequestId: "req",
  getRemainingTimeInMillis: () => 10_000,
} as unknown as Context;

const created = (id: string): HttpResult => ({ statusCode: 201, headers: {}, body: JSON.stringify({ id }) });

beforeAll(async () => {
  table = await createTestTable("idempotency-store");
  client = testDynamoClient();
});

afterAll(async () => {
  client.destroy();
  await deleteTestTable(table).catch(() => undefined);
});

describe("DynamoIdempotencyStore", () => {
  it("runs a key once per caller and scope, and replays the first answer", async () => {
    const store = new DynamoIdempotencyStore({ table, client });
    let runs = 0;
    const call = (callerId: string, body: unknown, scope = "POST /api/markets {}") =>
      store.run({ key: "k-1", scope, callerId, body, context, run: async () => created(`m-${++runs}`) });
    const first = await call("alice", { name: "a" });
    expect(await call("alice", { name: "a" })).toEqual(first);
    expect(runs).toBe(1);
    // Another caller's key is another record, and so is another route or market.
    expect(await call("bob", { name: "a" })).toEqual(created("m-2"));
    expect(await call("alice", { name: "a" }, 'POST /api/markets/{id}/positions {"id":"m-9"}')).toEqual(
      created("m-3"),
    );
    await expect(call("alice", { name: "b" })).rejects.toMatchObject({ code: "IDEMPOTENCY_KEY_REUSED" });
  });

  it("runs nothing when the store cannot be written, and reports a missing table as a fault", async () => {
    // A table that is gone is a deployment fault, not an outage: no retry fixes it, so it stays a
    // 500 (only transient store failures are 503). Either way the work must not run without its
    // idempotency record.
    const store = new DynamoIdempotencyStore({ table: `${table}-missing`, client });
    let runs = 0;
    const error = await store
      .run({
        key: "k-2",
        scope: "POST /api/markets {}",
        callerId: "carol",
        body: {},
        context,
        run: async () => created(`m-${++runs}`),
      })
      .then(
        () => undefined,
        (e: unknown) => e,
      );
    expect(error).toBeInstanceOf(Error);
    expect(error).not.toBeInstanceOf(UnavailableError);
    expect(runs).toBe(0);
  });
});
