/**
 * The versioned caches (in-process and Redis) and the cache-aside decorator over the real
 * DynamoDB repository. Redis tests need a Redis at REDIS_URL (default redis://127.0.0.1:6379); when
 * there is none they are skipped with a loud warning, and everything else still runs.
 */
import { connect } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Cache, Versioned } from "../../../shared/cache/cache.ts";
import { MemoryCache } from "../../../shared/cache/memory-cache.ts";
import { RedisCache } from "../../../shared/cache/redis-cache.ts";
import type { Market, MarketChanges } from "../../../shared/domain/market.ts";
import { logger } from "../../../shared/logger.ts";
import {
  CachedMarketRepository,
  marketCacheKey,
} from "../../../shared/repositories/cached-market-repository.ts";
import { CachedPositionRepository } from "../../../shared/repositories/cached-position-repository.ts";
import { DynamoMarketRepository } from "../../../shared/repositories/dynamo-market-repository.ts";
import { DynamoPositionRepository } from "../../../shared/repositories/dynamo-position-repository.ts";
import type {
  ChangeGuard,
  MarketListQuery,
  MarketRepository,
} from "../../../shared/repositories/market-repository.ts";
import { createTestTable, deleteTestTable, testDynamoClient } from "../../support/local-cloud.ts";
import { documentClientOf, makeMarket, newId } from "../../support/market-fixtures.ts";
import { seededRandom } from "../../support/seeded-random.ts";

const REDIS_URL = process.env.REDIS_URL ?? "redis://127.0.0.1:6379";
// This file breaks caches on purpose (a flaky cache, an unreachable Redis) and asserts that reads
// fall back to the database; the WARN line each failure logs in production would only be noise here.
logger.setLogLevel("ERROR");
const PREFIX = `cache-test-${newId()}`;

async function reachable(url: string): Promise<boolean> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve) => {
    const socket = connect({ host: hostname, port: Number(port || 6379), timeout: 1000 });
    socket.once("connect", () => {
      socket.destroy();
      resolve(true);
    });
    socket.once("error", () => resolve(false));
    socket.once("timeout", () => {
      socket.destroy();
      resolve(false);
    });
  });
}

const redisUp = await reachable(REDIS_URL);
// CI must exercise the Redis adapter: .ci/run sets REQUIRE_REDIS=1 after starting Redis.
if (!redisUp && process.env.REQUIRE_REDIS === "1") {
  throw new Error(`REQUIRE_REDIS=1 but Redis is not reachable at ${REDIS_URL}`);
}
if (!redisUp) {
  console.warn(
    `\n!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!\n` +
      `!! Redis is NOT reachable at ${REDIS_URL}: the RedisCache tests are SKIPPED.\n` +
      `!! Start one (apt-get install redis-server; redis-server --daemonize yes) or set REDIS_URL.\n` +
      `!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!\n`,
  );
}

const client = testDynamoClient();
const db = documentClientOf(client);
let table: string;
let dynamo: DynamoMarketRepository;
const redisCaches: RedisCache[] = [];

function redisCache(ttlSeconds = 60, url = REDIS_URL): RedisCache {
  const cache = new RedisCache({ url, ttlSeconds, prefix: PREFIX });
  redisCaches.push(cache);
  return cache;
}

beforeAll(async () => {
  table = await createTestTable("cache");
  dynamo = new DynamoMarketRepository({ table, db });
});

afterAll(async () => {
  await Promise.all(redisCaches.map((cache) => cache.close()));
  await deleteTestTable(table);
  client.destroy();
});

interface Entry extends Versioned {
  name: string;
}

/** The behaviour every Cache adapter must have. */
function cacheContract(make: (ttlSeconds?: number) => Cache) {
  it("gets what was set, and nothing for unknown keys", async () => {
    const cache = make();
    const key = newId("k");
    expect(await cache.get(key)).toBeUndefined();
    await cache.set<Entry>(key, { version: 1, name: "one" });
    expect(await cache.get<Entry>(key)).toEqual({ version: 1, name: "one" });
    await cache.set<Entry>(key, { version: 2, name: "two" });
    expect(await cache.get<Entry>(key)).toEqual({ version: 2, name: "two" });
  });

  it("never lets a lower version overwrite a higher one", async () => {
    const cache = make();
    const key = newId("k");
    await cache.set<Entry>(key, { version: 5, name: "five" });
    await cache.set<Entry>(key, { version: 4, name: "four" });
    await cache.set<Entry>(key, { version: 1, name: "one" });
    expect(await cache.get<Entry>(key)).toEqual({ version: 5, name: "five" });
    await cache.set<Entry>(key, { version: 6, name: "six" });
    expect(await cache.get<Entry>(key)).toEqual({ version: 6, name: "six" });
  });

  it("keeps the highest version when writers race", async () => {
    const cache = make();
    const key = newId("k");
    const versions = seededRandom().shuffle(Array.from({ length: 30 }, (_, i) => i + 1));
    await Promise.all(versions.map((version) => cache.set<Entry>(key, { version, name: `v${version}` })));
    expect(await cache.get<Entry>(key)).toEqual({ version: 30, name: "v30" });
  });

  it("invalidate with minVersion drops the value and refuses anything below it", async () => {
    const cache = make();
    const key = newId("k");
    await cache.set<Entry>(key, { version: 2, name: "two" });
    await cache.invalidate(key, 3);
    expect(await cache.get(key)).toBeUndefined();
    await cache.set<Entry>(key, { version: 2, name: "stale two" });
    expect(await cache.get(key)).toBeUndefined();
    await cache.set<Entry>(key, { version: 3, name: "three" });
    expect(await cache.get<Entry>(key)).toEqual({ version: 3, name: "three" });
  });

  it("invalidate without minVersion refuses every later set", async () => {
    const cache = make();
    const key = newId("k");
    await cache.set<Entry>(key, { version: 7, name: "seven" });
    await cache.invalidate(key);
    await cache.set<Entry>(key, { version: 1_000_000, name: "resurrected" });
    expect(await cache.get(key)).toBeUndefined();
  });
}

describe("MemoryCache", () => {
  cacheContract((ttlSeconds = 60) => new MemoryCache({ ttlSeconds, maxEntries: 1000 }));

  it("expires entries after the TTL, markers included", async () => {
    let now = 1_000_000;
    const cache = new MemoryCache({ ttlSeconds: 10, maxEntries: 10, now: () => now });
    await cache.set<Entry>("a", { version: 3, name: "a" });
    now += 9_999;
    expect(await cache.get<Entry>("a")).toEqual({ version: 3, name: "a" });
    now += 1;
    expect(await cache.get("a")).toBeUndefined();
    // An expired higher version no longer blocks a lower one.
    await cache.set<Entry>("b", { version: 9, name: "b9" });
    now += 10_000;
    await cache.set<Entry>("b", { version: 2, name: "b2" });
    expect(await cache.get<Entry>("b")).toEqual({ version: 2, name: "b2" });
  });

  it("evicts the least recently used entry beyond maxEntries", async () => {
    const cache = new MemoryCache({ ttlSeconds: 60, maxEntries: 2 });
    await cache.set<Entry>("a", { version: 1, name: "a" });
    await cache.set<Entry>("b", { version: 1, name: "b" });
    await cache.get("a");
    await cache.set<Entry>("c", { version: 1, name: "c" });
    expect(cache.size).toBe(2);
    expect(await cache.get("b")).toBeUndefined();
    expect(await cache.get<Entry>("a")).toEqual({ version: 1, name: "a" });
    expect(await cache.get<Entry>("c")).toEqual({ version: 1, name: "c" });
  });
});

describe.skipIf(!redisUp)(`RedisCache (${REDIS_URL})`, () => {
  cacheContract((ttlSeconds = 60) => redisCache(ttlSeconds));

  it("expires entries after the TTL", async () => {
    const cache = redisCache(1);
    const key = newId("k");
    await cache.set<Entry>(key, { version: 1, name: "short-lived" });
    expect(await cache.get<Entry>(key)).toEqual({ version: 1, name: "short-lived" });
    await new Promise((resolve) => setTimeout(resolve, 1300));
    expect(await cache.get(key)).toBeUndefined();
  });

  it("shares entries and the version guard between separate clients (Lambda instances)", async () => {
    const a = redisCache();
    const b = redisCache();
    const key = newId("k");
    await a.set<Entry>(key, { version: 4, name: "from a" });
    await b.set<Entry>(key, { version: 3, name: "stale from b" });
    expect(await b.get<Entry>(key)).toEqual({ version: 4, name: "from a" });
  });
});

/** A repository whose reads pause after reading the database, to stage a slow reader. */
class SlowReader implements MarketRepository {
  private pause?: Promise<void>;
  private readStarted?: () => void;

  constructor(private readonly inner: MarketRepository) {}

  /** The next get() reads, then waits for `release`; resolves `read` when it has read. */
  holdNextRead(): { read: Promise<void>; release: () => void } {
    let release = () => {};
    this.pause = new Promise((resolve) => {
      release = resolve;
    });
    const read = new Promise<void>((resolve) => {
      this.readStarted = resolve;
    });
    return { read, release };
  }

  async get(id: string) {
    const market = await this.inner.get(id);
    const pause = this.pause;
    this.pause = undefined;
    this.readStarted?.();
    await pause;
    return market;
  }
  list(query: MarketListQuery) {
    return this.inner.list(query);
  }
  getMany(ids: readonly string[], attributes?: readonly (keyof Market)[]) {
    return this.inner.getMany(ids, attributes);
  }
  create(market: Market) {
    return this.inner.create(market);
  }
  update(id: string, changes: MarketChanges, guard: ChangeGuard, now: string) {
    return this.inner.update(id, changes, guard, now);
  }
  delete(id: string, version: number) {
    return this.inner.delete(id, version);
  }
}

function decoratorContract(make: () => Cache) {
  it("serves a read right after a write with the new version", async () => {
    const cache = make();
    const repository = new CachedMarketRepository({ inner: dynamo, cache });
    const market = makeMarket();
    await repository.create(market);
    expect(await repository.get(market.id)).toEqual(market);
    expect(await cache.get(marketCacheKey(market.id))).toEqual(market);
    const updated = await repository.update(
      market.id,
      { name: "Renamed market" },
      {},
      new Date().toISOString(),
    );
    expect(updated.version).toBe(2);
    expect(await repository.get(market.id)).toMatchObject({ name: "Renamed market", version: 2 });
    // Another instance with the same cache sees it too.
    const other = new CachedMarketRepository({ inner: dynamo, cache });
    expect(await other.get(market.id)).toMatchObject({ name: "Renamed market", version: 2 });
  });

  it("a stale reader racing a writer cannot put the old version back", async () => {
    const cache = make();
    const slow = new SlowReader(dynamo);
    const repository = new CachedMarketRepository({ inner: slow, cache });
    const market = makeMarket();
    await dynamo.create(market);

    const { read, release } = slow.holdNextRead();
    const staleRead = repository.get(market.id);
    await read; // the reader holds version 1
    const updated = await repository.update(market.id, { description: "new" }, {}, new Date().toISOString());
    release();
    expect(await staleRead).toMatchObject({ version: 1 });
    expect(await cache.get(marketCacheKey(market.id))).toMatchObject({ version: updated.version });
    expect(await repository.get(market.id)).toMatchObject({ description: "new", version: 2 });
  });

  it("a stale reader racing a position (invalidate with minVersion) cannot put the old version back", async () => {
    const cache = make();
    const slow = new SlowReader(dynamo);
    const repository = new CachedMarketRepository({ inner: slow, cache });
    const positions = new CachedPositionRepository({
      inner: new DynamoPositionRepository({ table, db }),
      cache,
    });
    const market = makeMarket();
    await dynamo.create(market);

    const { read, release } = slow.holdNextRead();
    const staleRead = repository.get(market.id);
    await read;
    // The position bumps the version; its decorator then drops the cached market below the new one.
    await positions.open({
      marketId: market.id,
      userId: "u-1",
      side: "yes",
      amount: 3,
      now: new Date().toISOString(),
    });
    release();
    expect(await staleRead).toMatchObject({ version: 1 });
    expect(await cache.get(marketCacheKey(market.id))).toBeUndefined();
    expect(await repository.get(market.id)).toMatchObject({ volume: 3, version: 2 });
    expect(await cache.get(marketCacheKey(market.id))).toMatchObject({ volume: 3, version: 2 });
  });

  it("a fresh read goes to the database even when the cache holds the market", async () => {
    const cache = make();
    const repository = new CachedMarketRepository({ inner: dynamo, cache });
    const market = makeMarket();
    await repository.create(market);
    await repository.get(market.id); // cached at version 1
    // A change the cache never saw (another writer whose cache update failed, say).
    await dynamo.update(market.id, { name: "Changed elsewhere" }, {}, new Date().toISOString());
    expect(await repository.get(market.id)).toMatchObject({ version: 1 });
    expect(await repository.get(market.id, { fresh: true })).toMatchObject({
      name: "Changed elsewhere",
      version: 2,
    });
  });

  it("a stale reader racing a delete cannot bring the market back", async () => {
    const cache = make();
    const slow = new SlowReader(dynamo);
    const repository = new CachedMarketRepository({ inner: slow, cache });
    const market = makeMarket();
    await dynamo.create(market);
    await repository.get(market.id);

    await cache.invalidate(marketCacheKey(market.id), 1); // force the next read to miss
    const { read, release } = slow.holdNextRead();
    const staleRead = repository.get(market.id);
    await read;
    await repository.delete(market.id, 1);
    release();
    await staleRead;
    expect(await repository.get(market.id)).toBeUndefined();
  });
}

describe("CachedMarketRepository with MemoryCache", () => {
  decoratorContract(() => new MemoryCache({ ttlSeconds: 60, maxEntries: 100 }));
});

describe.skipIf(!redisUp)("CachedMarketRepository with RedisCache", () => {
  decoratorContract(() => redisCache());
});

/** A MemoryCache whose operations can be made to fail one by one, to stage partial outages. */
class FlakyCache implements Cache {
  readonly inner = new MemoryCache({ ttlSeconds: 60, maxEntries: 100 });
  readonly failing = new Set<"get" | "set" | "invalidate">();

  get<T extends Versioned>(key: string) {
    return this.failing.has("get") ? Promise.reject(new Error("get failed")) : this.inner.get<T>(key);
  }
  set<T extends Versioned>(key: string, value: T) {
    return this.failing.has("set") ? Promise.reject(new Error("set failed")) : this.inner.set(key, value);
  }
  invalidate(key: string, minVersion?: number) {
    return this.failing.has("invalidate")
      ? Promise.reject(new Error("invalidate failed"))
      : this.inner.invalidate(key, minVersion);
  }
}

describe("CachedMarketRepository when storing the new version fails", () => {
  it("invalidates instead, so the old version is not served", async () => {
    const cache = new FlakyCache();
    const repository = new CachedMarketRepository({ inner: dynamo, cache });
    const market = makeMarket();
    await repository.create(market);
    await repository.get(market.id); // cached at version 1
    cache.failing.add("set");
    const updated = await repository.update(market.id, { name: "Set failed" }, {}, new Date().toISOString());
    expect(updated.version).toBe(2);
    cache.failing.clear();
    expect(await repository.get(market.id)).toMatchObject({ name: "Set failed", version: 2 });
  });

  it("still answers the write when the cache refuses both", async () => {
    const cache = new FlakyCache();
    const repository = new CachedMarketRepository({ inner: dynamo, cache });
    const market = makeMarket();
    await repository.create(market);
    cache.failing.add("set").add("invalidate");
    const updated = await repository.update(market.id, { name: "No cache" }, {}, new Date().toISOString());
    expect(updated).toMatchObject({ name: "No cache", version: 2 });
  });
});

describe("CachedPositionRepository", () => {
  const positionsOver = (cache: Cache) =>
    new CachedPositionRepository({ inner: new DynamoPositionRepository({ table, db }), cache });
  const open = (marketId: string) => ({
    marketId,
    userId: "u-trader",
    side: "no" as const,
    amount: 4,
    now: new Date().toISOString(),
  });

  it("after a position, drops the cached market and refuses versions below the receipt's", async () => {
    const cache = new MemoryCache({ ttlSeconds: 60, maxEntries: 100 });
    const markets = new CachedMarketRepository({ inner: dynamo, cache });
    const market = makeMarket();
    await markets.create(market);
    await markets.get(market.id); // cached at version 1
    const receipt = await positionsOver(cache).open(open(market.id));
    expect(receipt.market.version).toBe(2);
    expect(await cache.get(marketCacheKey(market.id))).toBeUndefined();
    await cache.set(marketCacheKey(market.id), market); // a slow reader's version 1
    expect(await markets.get(market.id)).toMatchObject({ volume: 4, noVolume: 4, version: 2 });
  });

  it("stores a market created with its first position", async () => {
    const cache = new MemoryCache({ ttlSeconds: 60, maxEntries: 100 });
    const market = makeMarket({ volume: 5, yesVolume: 5 });
    await new CachedMarketRepository({ inner: dynamo, cache }).create(market, {
      initialPosition: { side: "yes", amount: 5 },
    });
    expect(await cache.get(marketCacheKey(market.id))).toEqual(market);
    expect(await dynamo.get(market.id)).toEqual(market);
  });

  it("a cache failure never fails the position", async () => {
    const cache = new FlakyCache();
    cache.failing.add("get").add("set").add("invalidate");
    const positions = positionsOver(cache);
    const market = makeMarket();
    await dynamo.create(market);
    await expect(positions.open(open(market.id))).resolves.toMatchObject({ market: { version: 2 } });
    const other = makeMarket({ volume: 1, noVolume: 1 });
    const markets = new CachedMarketRepository({ inner: dynamo, cache });
    await expect(
      markets.create(other, { initialPosition: { side: "no", amount: 1 } }),
    ).resolves.toMatchObject({ marketId: other.id, noAmount: 1 });
  });
});

/** The refusal of a Redis that is not there: the adapter connects once per call and never queues. */
const refused = () => expect.objectContaining({ code: "ECONNREFUSED" });

/** A cache whose every call, and how it ended, is recorded. */
class RecordingCache implements Cache {
  readonly calls: { method: "get" | "set" | "invalidate"; outcome: "resolved" | unknown }[] = [];

  constructor(private readonly inner: Cache) {}

  get<T extends Versioned>(key: string) {
    return this.record("get", this.inner.get<T>(key));
  }
  set<T extends Versioned>(key: string, value: T) {
    return this.record("set", this.inner.set(key, value));
  }
  invalidate(key: string, minVersion?: number) {
    return this.record("invalidate", this.inner.invalidate(key, minVersion));
  }

  private record<R>(method: "get" | "set" | "invalidate", call: Promise<R>): Promise<R> {
    const entry: (typeof this.calls)[number] = { method, outcome: "pending" };
    this.calls.push(entry);
    return call.then(
      (value) => {
        entry.outcome = "resolved";
        return value;
      },
      (error: unknown) => {
        entry.outcome = error;
        throw error;
      },
    );
  }
}

describe("CachedMarketRepository when Redis is down", () => {
  it("serves reads and writes from the database without an error", async () => {
    const down = new RecordingCache(redisCache(60, "redis://127.0.0.1:1"));
    const repository = new CachedMarketRepository({ inner: dynamo, cache: down });
    const market = makeMarket();
    await repository.create(market);
    expect(await repository.get(market.id)).toEqual(market);
    expect(await repository.get(market.id)).toEqual(market);
    const updated = await repository.update(market.id, { name: "Still works" }, {}, new Date().toISOString());
    expect(updated.version).toBe(2);
    expect(await repository.get(market.id)).toMatchObject({ name: "Still works", version: 2 });
    await repository.delete(market.id, 2);
    expect(await repository.get(market.id)).toBeUndefined();
    expect(await repository.get("never-existed")).toBeUndefined();
    // Every call did try the cache, and every one ended in the refusal: nothing waited for a
    // connection that would never come (a call that hung would fail this test by its timeout).
    expect(down.calls.length).toBeGreaterThanOrEqual(6);
    expect(down.calls.map((call) => call.method)).toContain("get");
    for (const call of down.calls) expect(call.outcome).toEqual(refused());
  });

  it("the adapter itself reports the outage (the decorator is what absorbs it)", async () => {
    const down = redisCache(60, "redis://127.0.0.1:1");
    await expect(down.get("anything")).rejects.toEqual(refused());
    await expect(down.set("anything", { version: 1 })).rejects.toEqual(refused());
  });
});
