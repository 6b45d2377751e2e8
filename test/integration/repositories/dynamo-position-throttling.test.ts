/**
 * A TransactWriteItems canceled because an item was throttled is retried like a conflict (the SDK
 * does not retry a cancellation), and answered as UnavailableError when it keeps happening. The
 * throttling is injected in front of DynamoDB Local, which never throttles.
 */
import { TransactionCanceledException } from "@aws-sdk/client-dynamodb";
import { type DynamoDBDocumentClient, TransactWriteCommand } from "@aws-sdk/lib-dynamodb";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { UnavailableError } from "../../../shared/errors.ts";
import { DynamoMarketRepository } from "../../../shared/repositories/dynamo-market-repository.ts";
import { DynamoPositionRepository } from "../../../shared/repositories/dynamo-position-repository.ts";
import { createTestTable, deleteTestTable, testDynamoClient } from "../../support/local-cloud.ts";
import { documentClientOf, makeMarket } from "../../support/market-fixtures.ts";
import { sentOf, spyOnSend } from "../../support/spy-send.ts";

const client = testDynamoClient();
const db = documentClientOf(client);
let table: string;
let markets: DynamoMarketRepository;

const throttled = () =>
  new TransactionCanceledException({
    $metadata: { httpStatusCode: 400 },
    message:
      "Transaction cancelled, please refer cancellation reasons for specific reasons [None, ThrottlingError]",
    CancellationReasons: [{ Code: "None" }, { Code: "ThrottlingError" }],
  });

/** The real client, except that the first `failures` transactions are canceled as throttled. */
function throttling(failures: number): { db: DynamoDBDocumentClient; attempts: () => number } {
  let transactions = 0;
  const { client: flaky, sent } = spyOnSend(db, (command, next) => {
    if (command instanceof TransactWriteCommand && ++transactions <= failures)
      return Promise.reject(throttled());
    return next(command);
  });
  return { db: flaky, attempts: () => sentOf(sent, TransactWriteCommand).length };
}

beforeAll(async () => {
  table = await createTestTable("positions-throttle");
  markets = new DynamoMarketRepository({ table, db });
});

afterAll(async () => {
  await deleteTestTable(table);
  client.destroy();
});

describe("DynamoPositionRepository under throttling", () => {
  it("retries a throttled transaction and then succeeds", async () => {
    const market = makeMarket();
    await markets.create(market);
    const flaky = throttling(2);
    const positions = new DynamoPositionRepository({ table, db: flaky.db });
    const receipt = await positions.open({
      marketId: market.id,
      userId: "u-1",
      side: "yes",
      amount: 5,
      now: new Date().toISOString(),
    });
    expect(receipt).toMatchObject({ yesAmount: 5, market: { volume: 5 } });
    expect(flaky.attempts()).toBe(3);
  });

  it("answers UnavailableError (503) when the throttling does not stop", async () => {
    const market = makeMarket();
    await markets.create(market);
    const positions = new DynamoPositionRepository({ table, db: throttling(Number.POSITIVE_INFINITY).db });
    const error = await positions
      .open({ marketId: market.id, userId: "u-2", side: "no", amount: 5, now: new Date().toISOString() })
      .then(
        () => undefined,
        (e: unknown) => e,
      );
    expect(error).toBeInstanceOf(UnavailableError);
    expect((error as UnavailableError).code).toBe("UNAVAILABLE");
  });
});
