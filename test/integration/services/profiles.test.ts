/**
 * Profiles over the real user repository, counting its calls: taking a position or creating a
 * market makes sure the profile exists inside its own transaction (no call of its own, no read),
 * and only creating a market, which shows the creator's name, reads it.
 */
import { ulid } from "ulid";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Caller } from "../../../shared/auth/permissions.ts";
import { DynamoMarketRepository } from "../../../shared/repositories/dynamo-market-repository.ts";
import { DynamoPositionRepository } from "../../../shared/repositories/dynamo-position-repository.ts";
import { DynamoUserRepository } from "../../../shared/repositories/dynamo-user-repository.ts";
import type { UserRepository } from "../../../shared/repositories/user-repository.ts";
import { CreatorDirectory } from "../../../shared/services/creator-directory.ts";
import { IndexScheduler } from "../../../shared/services/index-scheduler.ts";
import { MarketService } from "../../../shared/services/market-service.ts";
import { PositionService } from "../../../shared/services/position-service.ts";
import { Profiles } from "../../../shared/services/profiles.ts";
import { createTestTable, deleteTestTable, testDynamoClient } from "../../support/local-cloud.ts";
import { documentClientOf } from "../../support/market-fixtures.ts";

const client = testDynamoClient();
const db = documentClientOf(client);
let table: string;

/** The user repository with a count of the calls each method received. */
function counting(inner: UserRepository) {
  const calls = { getSummary: 0, getSummaries: 0, ensure: 0, upsert: 0 };
  const users: UserRepository = {
    getSummary: (...args) => {
      calls.getSummary++;
      return inner.getSummary(...args);
    },
    getSummaries: (...args) => {
      calls.getSummaries++;
      return inner.getSummaries(...args);
    },
    ensure: (...args) => {
      calls.ensure++;
      return inner.ensure(...args);
    },
    upsert: (...args) => {
      calls.upsert++;
      return inner.upsert(...args);
    },
  };
  return { users, calls };
}

/** One execution environment's services, over its own counted user repository. */
function environment() {
  const { users, calls } = counting(new DynamoUserRepository({ table, db }));
  const markets = new DynamoMarketRepository({ table, db });
  const positions = new DynamoPositionRepository({ table, db });
  const directory = new CreatorDirectory({ users });
  const profiles = new Profiles({ users });
  const marketService = new MarketService({
    markets,
    positions,
    creators: directory,
    profiles,
    indexing: new IndexScheduler({ jobs: async () => undefined }),
    newId: ulid,
  });
  const positionService = new PositionService({ positions, markets, marketService, directory, profiles });
  return { calls, profiles, marketService, positionService };
}

const newMarket = {
  name: "Profiles market",
  description: "",
  closesAt: new Date(Date.now() + 86_400_000).toISOString(),
  status: "active",
} as const;

beforeAll(async () => {
  table = await createTestTable("profiles");
});

afterAll(async () => {
  await deleteTestTable(table);
  client.destroy();
});

describe("Profiles", () => {
  it("taking positions writes the profile in their transactions and never reads it", async () => {
    const creator = environment();
    const market = await creator.marketService.create({ id: "u-maker", role: "user" }, newMarket);
    const trader: Caller = { id: `u-${ulid()}`, role: "user", email: "trader@example.com" };
    const { calls, positionService } = environment();
    for (let i = 0; i < 3; i++) await positionService.open(trader, market.id, { side: "yes", amount: 1 });
    expect(calls).toEqual({ getSummary: 0, getSummaries: 0, ensure: 0, upsert: 0 });
    // …and the profile it made has the default name.
    const { profiles } = environment();
    expect(await profiles.summaryOf(trader)).toEqual({ id: trader.id, displayName: "trader" });
  });

  it("creating a market shows the creator's current name, renamed in another environment", async () => {
    const caller: Caller = { id: `u-${ulid()}`, role: "user" };
    const first = environment();
    expect((await first.marketService.create(caller, newMarket)).creator).toEqual({
      id: caller.id,
      displayName: caller.id,
    });
    await environment().profiles.rename(caller, "Renamed");
    expect((await first.marketService.create(caller, newMarket)).creator).toEqual({
      id: caller.id,
      displayName: "Renamed",
    });
    expect(first.calls).toMatchObject({ ensure: 0, getSummary: 2 });
  });
});
