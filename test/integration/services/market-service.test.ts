/**
 * MarketService's write paths over the real repositories and a cache: every decision a write takes
 * (404, If-Match, its conditions) reads the stored market, never a cached copy; and `If-Match: *`
 * does not pin the write to the version it read.
 */
import { ulid } from "ulid";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Caller } from "../../../shared/auth/permissions.ts";
import { MemoryCache } from "../../../shared/cache/memory-cache.ts";
import { parseIfMatch } from "../../../shared/domain/if-match.ts";
import type { Market } from "../../../shared/domain/market.ts";
import { NotFoundError } from "../../../shared/errors.ts";
import type { IndexJob } from "../../../shared/queue/index-jobs.ts";
import { CachedMarketRepository } from "../../../shared/repositories/cached-market-repository.ts";
import { DynamoMarketRepository } from "../../../shared/repositories/dynamo-market-repository.ts";
import { DynamoPositionRepository } from "../../../shared/repositories/dynamo-position-repository.ts";
import { DynamoUserRepository } from "../../../shared/repositories/dynamo-user-repository.ts";
import type { MarketRepository } from "../../../shared/repositories/market-repository.ts";
import { CreatorDirectory } from "../../../shared/services/creator-directory.ts";
import { IndexScheduler } from "../../../shared/services/index-scheduler.ts";
import { MarketService } from "../../../shared/services/market-service.ts";
import { Profiles } from "../../../shared/services/profiles.ts";
import { createTestTable, deleteTestTable, testDynamoClient } from "../../support/local-cloud.ts";
import { documentClientOf, makeMarket } from "../../support/market-fixtures.ts";

const client = testDynamoClient();
const db = documentClientOf(client);
let table: string;
let dynamo: DynamoMarketRepository;
let positions: DynamoPositionRepository;

const owner: Caller = { id: "u-owner", role: "user" };
const admin: Caller = { id: "u-admin", role: "admin" };
const now = () => new Date().toISOString();

function serviceOver(markets: MarketRepository): MarketService {
  const users = new DynamoUserRepository({ table, db });
  return new MarketService({
    markets,
    positions,
    creators: new CreatorDirectory({ users }),
    profiles: new Profiles({ users }),
    indexing: new IndexScheduler({
      jobs: async () => ({
        enqueue: async (marketId: string, reason: IndexJob["reason"]) => ({
          jobId: ulid(),
          marketId,
          reason,
          queuedAt: now(),
        }),
      }),
    }),
    newId: ulid,
  });
}

/** A market cached at version 1, then changed or removed behind the cache's back. */
async function staleInCache(): Promise<{ market: Market; service: MarketService }> {
  const cache = new MemoryCache({ ttlSeconds: 60, maxEntries: 100 });
  const markets = new CachedMarketRepository({ inner: dynamo, cache });
  const market = makeMarket({ creatorId: owner.id });
  await markets.create(market);
  await markets.get(market.id);
  return { market, service: serviceOver(markets) };
}

beforeAll(async () => {
  table = await createTestTable("market-service");
  dynamo = new DynamoMarketRepository({ table, db });
  positions = new DynamoPositionRepository({ table, db });
});

afterAll(async () => {
  await deleteTestTable(table);
  client.destroy();
});

describe("MarketService writes read fresh, not from the cache", () => {
  it("If-Match is checked against the stored version", async () => {
    const { market, service } = await staleInCache();
    await dynamo.update(market.id, { description: "elsewhere" }, {}, now());
    const updated = await service.update(
      owner,
      market.id,
      { name: "Matches version 2" },
      parseIfMatch('"2"'),
    );
    expect(updated).toMatchObject({ name: "Matches version 2", description: "elsewhere", version: 3 });
  });

  it("delete is conditioned on the stored version", async () => {
    const { market, service } = await staleInCache();
    await dynamo.update(market.id, { description: "elsewhere" }, {}, now());
    await service.delete(admin, market.id);
    expect(await dynamo.get(market.id)).toBeUndefined();
  });

  it("re-indexing a market that is gone is a 404, cached or not", async () => {
    const { market, service } = await staleInCache();
    await dynamo.delete(market.id, 1);
    await expect(service.reindex(admin, market.id)).rejects.toBeInstanceOf(NotFoundError);
    // A plain read may still be served from the cache: that is what the cache is for.
    await expect(service.get(owner, market.id)).resolves.toMatchObject({ id: market.id });
  });
});

/** Opens a position right after the next fresh read: the write then meets a newer version. */
class PositionAfterRead extends DynamoMarketRepository {
  armed = false;

  // Always a consistent read, like the adapter it extends: fresh or not.
  override async get(id: string) {
    const market = await super.get(id);
    if (this.armed) {
      this.armed = false;
      await positions.open({ marketId: id, userId: "u-trader", side: "yes", amount: 2, now: now() });
    }
    return market;
  }
}

describe("If-Match and a position landing between read and write", () => {
  it("`*` does not pin the version read: the change applies on top of the position", async () => {
    const markets = new PositionAfterRead({ table, db });
    const service = serviceOver(markets);
    const market = makeMarket({ creatorId: owner.id });
    await dynamo.create(market);
    markets.armed = true;
    const updated = await service.update(
      owner,
      market.id,
      { name: "Any version will do" },
      parseIfMatch("*"),
    );
    expect(updated).toMatchObject({ name: "Any version will do", volume: 2, version: 3 });
  });

  it("a specific tag still does: the position in between makes it a 412", async () => {
    const markets = new PositionAfterRead({ table, db });
    const service = serviceOver(markets);
    const market = makeMarket({ creatorId: owner.id });
    await dynamo.create(market);
    markets.armed = true;
    await expect(
      service.update(owner, market.id, { name: "Only version 1" }, parseIfMatch('"1"')),
    ).rejects.toMatchObject({ code: "PRECONDITION_FAILED" });
    expect(await dynamo.get(market.id)).toMatchObject({ name: market.name, version: 2 });
  });
});
