/**
 * The case tables of test/support/market-rule-cases.ts against DynamoDB Local: the position
 * transaction's condition expression agrees with assertOpenForPositions, and a status change through
 * the service over the real repositories agrees with assertTransition, case for case.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Caller } from "../../../shared/auth/permissions.ts";
import type { MarketStatus } from "../../../shared/domain/market.ts";
import { InvalidTransitionError, MarketNotActiveError } from "../../../shared/errors.ts";
import { DynamoMarketRepository } from "../../../shared/repositories/dynamo-market-repository.ts";
import { DynamoPositionRepository } from "../../../shared/repositories/dynamo-position-repository.ts";
import { DynamoUserRepository } from "../../../shared/repositories/dynamo-user-repository.ts";
import { CreatorDirectory } from "../../../shared/services/creator-directory.ts";
import { IndexScheduler } from "../../../shared/services/index-scheduler.ts";
import { MarketService } from "../../../shared/services/market-service.ts";
import { Profiles } from "../../../shared/services/profiles.ts";
import { createTestTable, deleteTestTable, testDynamoClient } from "../../support/local-cloud.ts";
import { documentClientOf, makeMarket, newId } from "../../support/market-fixtures.ts";
import { OPEN_FOR_POSITIONS_CASES, TRANSITION_CASES } from "../../support/market-rule-cases.ts";

const client = testDynamoClient();
const db = documentClientOf(client);
let table: string;
let markets: DynamoMarketRepository;
let positions: DynamoPositionRepository;
let service: MarketService;
const moderator: Caller = { id: "u-moderator", role: "moderator" };

beforeAll(async () => {
  table = await createTestTable("market-rules");
  markets = new DynamoMarketRepository({ table, db });
  positions = new DynamoPositionRepository({ table, db });
  const users = new DynamoUserRepository({ table, db });
  service = new MarketService({
    markets,
    positions,
    creators: new CreatorDirectory({ users }),
    profiles: new Profiles({ users }),
    // No queue: scheduling is best effort and does nothing without one.
    indexing: new IndexScheduler({ jobs: async () => undefined }),
    newId: () => newId("M"),
  });
});

afterAll(async () => {
  await deleteTestTable(table);
  client.destroy();
});

describe("open for positions, enforced by the transaction's condition", () => {
  it.each(OPEN_FOR_POSITIONS_CASES)("$name: open is $open", async ({ status, closesInMs, open }) => {
    const now = new Date();
    const market = makeMarket({ status, closesAt: new Date(now.getTime() + closesInMs).toISOString() });
    await markets.create(market);
    const attempt = positions.open({
      marketId: market.id,
      userId: "u-1",
      side: "yes",
      amount: 1,
      now: now.toISOString(),
    });
    if (open) await expect(attempt).resolves.toMatchObject({ marketId: market.id, yesAmount: 1 });
    else await expect(attempt).rejects.toBeInstanceOf(MarketNotActiveError);
  });
});

describe("status transitions, through the service over DynamoDB", () => {
  it.each(TRANSITION_CASES)("$from → $to allowed: $allowed", async ({ from, to, allowed }) => {
    const market = makeMarket({
      status: from,
      outcome: from === "resolved" ? "yes" : null,
      creatorId: moderator.id,
    });
    await markets.create(market);
    const changes =
      to === "resolved" ? { status: to as MarketStatus, outcome: "yes" as const } : { status: to };
    const attempt = service.update(moderator, market.id, changes);
    if (allowed) await expect(attempt).resolves.toMatchObject({ id: market.id, status: to });
    else await expect(attempt).rejects.toBeInstanceOf(InvalidTransitionError);
    expect((await markets.get(market.id))?.status).toBe(allowed ? to : from);
  });
});
