import { GetCommand } from "@aws-sdk/lib-dynamodb";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { MARKET_STATUSES, type Market, type MarketStatus } from "../../../shared/domain/market.ts";
import {
  ConflictError,
  NotFoundError,
  PreconditionFailedError,
  ValidationError,
} from "../../../shared/errors.ts";
import { encodeCursor } from "../../../shared/repositories/cursor.ts";
import { DynamoMarketRepository } from "../../../shared/repositories/dynamo-market-repository.ts";
import { volumeSortKey } from "../../../shared/repositories/market-item.ts";
import type {
  MarketListQuery,
  MarketSort,
  SortOrder,
} from "../../../shared/repositories/market-repository.ts";
import { createTestTable, deleteTestTable, testDynamoClient } from "../../support/local-cloud.ts";
import { documentClientOf, makeMarket, newId } from "../../support/market-fixtures.ts";
import { seededRandom } from "../../support/seeded-random.ts";
import { spyOnSend } from "../../support/spy-send.ts";
import { walkPages } from "../../support/walk-pages.ts";

const client = testDynamoClient();
const db = documentClientOf(client);
let table: string;
let repository: DynamoMarketRepository;

const LISTED: MarketStatus[] = ["active", "closed", "resolved"];
const BASE_TIME = Date.parse("2029-01-01T00:00:00.000Z");
const HOUR = 3_600_000;
/** Every market in the listed statuses, in the order it was written. */
const known: Market[] = [];

function decimalCompare(a: string, b: string): number {
  const [ai = "0", af = ""] = a.split(".");
  const [bi = "0", bf = ""] = b.split(".");
  const width = Math.max(af.length, bf.length);
  const x = BigInt(ai + af.padEnd(width, "0"));
  const y = BigInt(bi + bf.padEnd(width, "0"));
  return x < y ? -1 : x > y ? 1 : 0;
}

/** The order the API promises, computed independently of the repository. */
function expectedOrder(markets: readonly Market[], sort: MarketSort, order: SortOrder): string[] {
  const key = (m: Market) =>
    sort === "createdAt" ? `${m.createdAt}#${m.id}` : sort === "closesAt" ? `${m.closesAt}#${m.id}` : "";
  const ascending = (a: Market, b: Market) =>
    sort === "volume"
      ? // Equal volumes are in the index's stable id order, which only the sort key knows.
        a.volume - b.volume || decimalCompare(volumeSortKey(a.volume, a.id), volumeSortKey(b.volume, b.id))
      : key(a) < key(b)
        ? -1
        : key(a) > key(b)
          ? 1
          : 0;
  return [...markets].sort((a, b) => (order === "asc" ? ascending(a, b) : ascending(b, a))).map((m) => m.id);
}

/** Follow `nextCursor` to the end, recording the ids and each page's size. */
async function walkList(repository: DynamoMarketRepository, query: Omit<MarketListQuery, "cursor">) {
  const pages = await walkPages((cursor) => repository.list({ ...query, ...(cursor ? { cursor } : {}) }));
  return { ids: pages.flat().map((item) => String(item.id)), pages: pages.map((page) => page.length) };
}

const walk = (query: Omit<MarketListQuery, "cursor">) => walkList(repository, query);

/** Fixture randomness, seeded so a failing order can be replayed. */
const random = seededRandom();

/** A market of the listed statuses at a random place in every ordering. */
function randomListedMarket(i: number): Market {
  const status = LISTED[i % LISTED.length] as MarketStatus;
  return makeMarket({
    status,
    createdAt: new Date(BASE_TIME + random.int(80) * HOUR).toISOString(),
    closesAt: new Date(BASE_TIME + (100 + random.int(80)) * HOUR).toISOString(),
    volume: random.int(40) * 2.5,
    outcome: status === "resolved" ? "yes" : null,
  });
}

/** Keeps inserting markets until stopped; they land before, inside and after the walk's position. */
function startInserting() {
  let running = true;
  let inserted = 0;
  const done = (async () => {
    while (running) {
      const market = randomListedMarket(inserted);
      await repository.create(market);
      known.push(market);
      inserted++;
    }
  })();
  return {
    stop: async () => {
      running = false;
      await done;
      return inserted;
    },
  };
}

beforeAll(async () => {
  table = await createTestTable("markets-repo");
  repository = new DynamoMarketRepository({ table, db });
  const seeded: Market[] = [];
  for (let i = 0; i < 60; i++) {
    const status = LISTED[i % 3] as MarketStatus;
    seeded.push(
      makeMarket({
        status,
        outcome: status === "resolved" ? "no" : null,
        // Pairs share a timestamp, so the id must break ties.
        createdAt: new Date(BASE_TIME + Math.floor(i / 2) * HOUR).toISOString(),
        closesAt: new Date(BASE_TIME + (100 + ((i * 7) % 60)) * HOUR).toISOString(),
        // Many equal volumes, a few with cents; the largest has more digits than the smallest.
        volume: [0, 5, 5, 12.34, 100, 0.01, 999.99, 1000][i % 8] as number,
        creatorId: i % 4 === 0 ? "u-alice" : "u-bob",
        category: i % 5 === 0 ? "weather" : null,
      }),
    );
  }
  // A few drafts that no listed-status walk may return.
  for (let i = 0; i < 4; i++)
    seeded.push(makeMarket({ status: "draft", createdAt: new Date(BASE_TIME).toISOString() }));
  await Promise.all(seeded.map((market) => repository.create(market)));
  known.push(...seeded.filter((market) => market.status !== "draft"));
});

afterAll(async () => {
  await deleteTestTable(table);
  client.destroy();
});

describe("DynamoMarketRepository: create and get", () => {
  it("reads back exactly what was created, without storage attributes", async () => {
    const market = makeMarket({ status: "draft", category: "sports", description: "desc", volume: 0 });
    await repository.create(market);
    expect(await repository.get(market.id)).toEqual(market);
    expect(await repository.get("no-such-market")).toBeUndefined();
  });

  it("refuses to create the same id twice", async () => {
    const market = makeMarket({ status: "draft" });
    await repository.create(market);
    await expect(repository.create({ ...market, name: "another" })).rejects.toMatchObject({
      name: "ConditionalCheckFailedException",
    });
    expect((await repository.get(market.id))?.name).toBe(market.name);
  });
});

describe("DynamoMarketRepository: list", () => {
  it.each([
    ["createdAt", "desc"],
    ["volume", "desc"],
    ["closesAt", "asc"],
  ] as [MarketSort, SortOrder][])(
    "walks %s %s with limit 7 while markets are inserted: every earlier market exactly once, in order",
    async (sort, order) => {
      const before = [...known];
      const inserter = startInserting();
      let result: Awaited<ReturnType<typeof walk>>;
      try {
        result = await walk({ statuses: LISTED, sort, order, limit: 7 });
      } finally {
        const inserted = await inserter.stop();
        expect(inserted).toBeGreaterThan(0);
      }
      const { ids, pages } = result;
      expect(new Set(ids).size).toBe(ids.length);
      const existing = new Set(before.map((market) => market.id));
      expect(ids.filter((id) => existing.has(id))).toEqual(expectedOrder(before, sort, order));
      expect(pages.every((count) => count <= 7)).toBe(true);
      // Whatever new markets were picked up are in order too.
      const everything = new Map(known.map((market) => [market.id, market]));
      const returned = ids.map((id) => everything.get(id) as Market);
      expect(ids).toEqual(expectedOrder(returned, sort, order));
    },
  );

  it("walks ascending createdAt and descending closesAt too", async () => {
    for (const [sort, order] of [
      ["createdAt", "asc"],
      ["closesAt", "desc"],
      ["volume", "asc"],
    ] as [MarketSort, SortOrder][]) {
      const { ids } = await walk({ statuses: LISTED, sort, order, limit: 7 });
      expect(ids).toEqual(expectedOrder(known, sort, order));
    }
  });

  it("walks a single status", async () => {
    const { ids } = await walk({ statuses: ["closed"], sort: "createdAt", order: "desc", limit: 7 });
    expect(ids).toEqual(
      expectedOrder(
        known.filter((m) => m.status === "closed"),
        "createdAt",
        "desc",
      ),
    );
  });

  it("returns only the fields asked for, plus id", async () => {
    const page = await repository.list({
      statuses: LISTED,
      sort: "volume",
      order: "desc",
      limit: 10,
      attributes: ["name", "status"],
    });
    expect(page.items).toHaveLength(10);
    for (const item of page.items) expect(Object.keys(item).sort()).toEqual(["id", "name", "status"]);
    // The cursor of a projected page still continues the walk.
    const next = await repository.list({
      statuses: LISTED,
      sort: "volume",
      order: "desc",
      limit: 10,
      attributes: ["name"],
      cursor: page.nextCursor ?? undefined,
    });
    expect(next.items.length).toBeGreaterThan(0);
    for (const item of next.items) expect(Object.keys(item).sort()).toEqual(["id", "name"]);
  });

  it("reads only the projected attributes from DynamoDB", async () => {
    const { client: spying, sent: calls } = spyOnSend(db);
    const spied = new DynamoMarketRepository({ table, db: spying });
    await spied.list({
      statuses: ["active"],
      sort: "createdAt",
      order: "desc",
      limit: 3,
      attributes: ["name"],
    });
    const sent = calls.map((call) => call.input);
    expect(sent).toHaveLength(1);
    const names = Object.values(sent[0]?.ExpressionAttributeNames as Record<string, string>);
    expect(sent[0]?.ProjectionExpression).toBeTypeOf("string");
    expect(names).toEqual(expect.arrayContaining(["id", "name", "createdAt"]));
    expect(names).not.toContain("description");
  });

  it("filters by creatorId and by category, across pages", async () => {
    const alice = await walk({
      statuses: LISTED,
      creatorId: "u-alice",
      sort: "createdAt",
      order: "desc",
      limit: 3,
    });
    expect(alice.ids).toEqual(
      expectedOrder(
        known.filter((m) => m.creatorId === "u-alice"),
        "createdAt",
        "desc",
      ),
    );
    expect(alice.ids.length).toBe(15);
    const weather = await walk({
      statuses: LISTED,
      category: "weather",
      sort: "volume",
      order: "desc",
      limit: 4,
    });
    expect(weather.ids).toEqual(
      expectedOrder(
        known.filter((m) => m.category === "weather"),
        "volume",
        "desc",
      ),
    );
    expect(weather.ids.length).toBe(12);
    const both = await walk({
      statuses: LISTED,
      creatorId: "u-alice",
      category: "weather",
      sort: "closesAt",
      order: "asc",
      limit: 2,
    });
    expect(both.ids).toEqual(
      expectedOrder(
        known.filter((m) => m.creatorId === "u-alice" && m.category === "weather"),
        "closesAt",
        "asc",
      ),
    );
    const nobody = await repository.list({
      statuses: LISTED,
      creatorId: "u-nobody",
      sort: "createdAt",
      order: "desc",
      limit: 5,
    });
    expect(nobody.items).toEqual([]);
  });

  it("supports offset for compatibility", async () => {
    const all = expectedOrder(known, "createdAt", "desc");
    const page = await repository.list({
      statuses: LISTED,
      sort: "createdAt",
      order: "desc",
      limit: 5,
      offset: 10,
    });
    expect(page.items.map((item) => item.id)).toEqual(all.slice(10, 15));
  });

  it("rejects a tampered or foreign cursor with a ValidationError", async () => {
    const query = { statuses: LISTED, sort: "createdAt", order: "desc", limit: 5 } as const;
    const { nextCursor } = await repository.list(query);
    expect(nextCursor).toBeTypeOf("string");
    const cursor = nextCursor as string;
    const attempts = [
      `${cursor.slice(0, 10)}A${cursor.slice(11)}`,
      "garbage",
      encodeCursor("createdAt:desc", "2029-01-01T00:00:00.000Z#x' OR ''='"),
      encodeCursor("createdAt:desc", "12.00000000000000000001"),
    ];
    for (const bad of attempts) {
      await expect(repository.list({ ...query, cursor: bad }), bad).rejects.toBeInstanceOf(ValidationError);
    }
    await expect(repository.list({ ...query, sort: "volume", cursor })).rejects.toBeInstanceOf(
      ValidationError,
    );
    await expect(repository.list({ ...query, order: "asc", cursor })).rejects.toBeInstanceOf(ValidationError);
  });
});

describe("DynamoMarketRepository: getMany", () => {
  it("reads many markets with a projection, leaving out missing ids", async () => {
    const ids = known.slice(0, 5).map((m) => m.id);
    const found = await repository.getMany([...ids, "missing-1", ids[0] as string], ["name"]);
    expect([...found.keys()].sort()).toEqual([...ids].sort());
    for (const market of found.values()) expect(Object.keys(market).sort()).toEqual(["id", "name"]);
  });
});

describe("DynamoMarketRepository: conditional writes", () => {
  const now = () => new Date().toISOString();

  it("changes only the given fields, bumps the version and moves the listing keys", async () => {
    const market = makeMarket({ status: "draft", category: "old" });
    await repository.create(market);
    const closesAt = new Date(Date.now() + 90 * 24 * HOUR).toISOString();
    const updated = await repository.update(
      market.id,
      { name: "A new name", status: "active", closesAt, category: null },
      { version: 1, status: "draft", basis: market },
      now(),
    );
    expect(updated).toMatchObject({
      name: "A new name",
      status: "active",
      closesAt,
      category: null,
      version: 2,
    });
    expect(updated.description).toBe(market.description);
    const page = await repository.list({ statuses: ["active"], sort: "closesAt", order: "desc", limit: 100 });
    expect(page.items.map((m) => m.id)).toContain(market.id);
  });

  /** The ids of `category`'s markets, as the category list returns them. */
  async function inCategory(category: string): Promise<string[]> {
    const { ids } = await walk({
      statuses: MARKET_STATUSES,
      category,
      sort: "createdAt",
      order: "desc",
      limit: 5,
    });
    return ids;
  }

  /** The category index keys as stored. */
  async function categoryKeysOf(id: string) {
    const { Item } = await db.send(
      new GetCommand({ TableName: table, Key: { pk: `MARKET#${id}`, sk: "MARKET" } }),
    );
    return { categoryKey: Item?.categoryKey, categorySort: Item?.categorySort };
  }

  it("a category change moves the market between category partitions (PATCH)", async () => {
    const from = `from-${newId()}`;
    const to = `to-${newId()}`;
    const market = makeMarket({ status: "draft", category: from });
    const neighbour = makeMarket({ status: "active", category: to });
    await Promise.all([repository.create(market), repository.create(neighbour)]);
    expect(await inCategory(from)).toEqual([market.id]);
    expect(await categoryKeysOf(market.id)).toEqual({
      categoryKey: `CATEGORY#${from}#draft`,
      categorySort: `${market.createdAt}#${market.id}`,
    });

    const updated = await repository.update(
      market.id,
      { category: to },
      { version: 1, basis: market },
      now(),
    );
    expect(updated).toMatchObject({ category: to, version: 2 });
    expect(await inCategory(from)).toEqual([]);
    expect(await inCategory(to)).toEqual(expectedOrder([updated, neighbour], "createdAt", "desc"));
    expect(await categoryKeysOf(market.id)).toEqual({
      categoryKey: `CATEGORY#${to}#draft`,
      categorySort: `${market.createdAt}#${market.id}`,
    });

    // A status change moves the market to the (category, status) partition of its category.
    await repository.update(
      market.id,
      { name: "Renamed", status: "active" },
      { status: "draft", basis: updated },
      now(),
    );
    expect(await categoryKeysOf(market.id)).toEqual({
      categoryKey: `CATEGORY#${to}#active`,
      categorySort: `${market.createdAt}#${market.id}`,
    });
    expect(await inCategory(to)).toEqual(expectedOrder([updated, neighbour], "createdAt", "desc"));
    const active = await repository.list({
      statuses: ["active"],
      category: to,
      sort: "volume",
      order: "desc",
      limit: 5,
      attributes: ["name"],
    });
    expect(active.items.find((item) => item.id === market.id)).toEqual({ id: market.id, name: "Renamed" });
  });

  it("clearing the category (PATCH null, or a PUT without one) removes the market from the category index", async () => {
    for (const clear of ["patch", "put"] as const) {
      const category = `${clear}-${newId()}`;
      const market = makeMarket({ category });
      await repository.create(market);
      expect(await inCategory(category)).toEqual([market.id]);
      // PUT replaces every mutable field; the service turns a missing category into null.
      const changes =
        clear === "patch"
          ? { category: null }
          : {
              name: "Replaced",
              description: "",
              closesAt: market.closesAt,
              status: market.status,
              category: null,
            };
      const updated = await repository.update(market.id, changes, { version: 1, basis: market }, now());
      expect(updated).toMatchObject({ category: null, version: 2 });
      expect(await inCategory(category), clear).toEqual([]);
      expect(await categoryKeysOf(market.id), clear).toEqual({
        categoryKey: undefined,
        categorySort: undefined,
      });

      // Setting it again puts the market back, and clearing an absent category is harmless.
      const cleared = { ...market, category: null };
      await repository.update(market.id, { category }, { basis: cleared }, now());
      expect(await inCategory(category), clear).toEqual([market.id]);
      await repository.update(market.id, { category: null }, { basis: { ...market, category } }, now());
      await repository.update(market.id, { category: null, name: "Twice" }, { basis: cleared }, now());
      expect(await inCategory(category), clear).toEqual([]);
      expect(await repository.get(market.id)).toMatchObject({ category: null, version: 5 });
    }
  });

  it("a stale version is a PreconditionFailedError and writes nothing", async () => {
    const market = makeMarket();
    await repository.create(market);
    await repository.update(market.id, { name: "First change" }, {}, now());
    await expect(
      repository.update(market.id, { name: "Stale change" }, { version: 1 }, now()),
    ).rejects.toBeInstanceOf(PreconditionFailedError);
    expect(await repository.get(market.id)).toMatchObject({ name: "First change", version: 2 });
  });

  it("a stale status guard is a ConflictError and writes nothing", async () => {
    const market = makeMarket();
    await repository.create(market);
    await repository.update(market.id, { status: "closed" }, { status: "active", basis: market }, now());
    const error = await repository
      .update(market.id, { status: "closed", name: "Late" }, { status: "active", basis: market }, now())
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConflictError);
    expect(error).not.toBeInstanceOf(PreconditionFailedError);
    expect((error as ConflictError).code).toBe("CONFLICT");
    expect(await repository.get(market.id)).toMatchObject({
      status: "closed",
      name: market.name,
      version: 2,
    });
  });

  it("a current version with a stale status is a ConflictError", async () => {
    const market = makeMarket({ status: "closed" });
    await repository.create(market);
    await expect(
      repository.update(
        market.id,
        { status: "resolved", outcome: "yes" },
        { version: 1, status: "active", basis: { ...market, status: "active" } },
        now(),
      ),
    ).rejects.toBeInstanceOf(ConflictError);
  });

  it("changing a missing market is a NotFoundError", async () => {
    await expect(repository.update(newId(), { name: "Nobody" }, {}, now())).rejects.toBeInstanceOf(
      NotFoundError,
    );
    await expect(
      repository.update(newId(), { name: "Nobody" }, { version: 1 }, now()),
    ).rejects.toBeInstanceOf(NotFoundError);
  });

  it("delete with a stale version is a ConflictError; with the current one it deletes", async () => {
    const market = makeMarket();
    await repository.create(market);
    await repository.update(market.id, { description: "moved on" }, {}, now());
    await expect(repository.delete(market.id, 1)).rejects.toBeInstanceOf(ConflictError);
    expect(await repository.get(market.id)).toMatchObject({ id: market.id, version: 2 });
    await repository.delete(market.id, 2);
    expect(await repository.get(market.id)).toBeUndefined();
    await expect(repository.delete(market.id, 2)).rejects.toBeInstanceOf(NotFoundError);
  });
});

describe("DynamoMarketRepository: offset with a filter", () => {
  // A table of its own: many markets of which few match.
  let sparse: DynamoMarketRepository;
  let sparseTable: string;
  const rare: Market[] = [];

  beforeAll(async () => {
    sparseTable = await createTestTable("markets-sparse");
    sparse = new DynamoMarketRepository({ table: sparseTable, db });
    const markets = Array.from({ length: 300 }, (_, i) =>
      makeMarket({
        createdAt: new Date(BASE_TIME + i * HOUR).toISOString(),
        creatorId: i % 25 === 0 ? "u-rare" : "u-crowd",
      }),
    );
    for (let i = 0; i < markets.length; i += 25)
      await Promise.all(markets.slice(i, i + 25).map((market) => sparse.create(market)));
    rare.push(...markets.filter((market) => market.creatorId === "u-rare"));
  });

  afterAll(async () => {
    await deleteTestTable(sparseTable);
  });

  it("a sparse filter with an offset still answers full pages, and the cursor walks every later match", async () => {
    const expected = expectedOrder(rare, "createdAt", "desc");
    const query = {
      statuses: ["active"],
      creatorId: "u-rare",
      sort: "createdAt",
      order: "desc",
      limit: 3,
    } as const;
    // 12 matches among 300: filtered reads use large pages, so the offset is served in one request.
    const first = await sparse.list({ ...query, offset: 8 });
    expect(first.items.map((item) => item.id)).toEqual(expected.slice(8, 11));
    expect(first.nextCursor).toBeTypeOf("string");

    const later = await walkPages((cursor) =>
      sparse.list({ ...query, cursor: cursor ?? String(first.nextCursor) }),
    );
    expect(later.flat().map((item) => String(item.id))).toEqual(expected.slice(11));
  });
});

/** Statuses and sort orders the crowded-partition tests cover. */
const STATUSES: MarketStatus[] = ["active", "closed", "resolved", "draft"];
const SORTS: [MarketSort, SortOrder][] = [
  ["createdAt", "desc"],
  ["createdAt", "asc"],
  ["volume", "desc"],
  ["volume", "asc"],
  ["closesAt", "asc"],
  ["closesAt", "desc"],
];

/** Every page but the last is full, the last is not empty unless it is the only one. */
function expectFullPages(pages: number[], limit: number, total: number) {
  expect(pages.slice(0, -1).every((count) => count === limit)).toBe(true);
  expect(pages.at(-1)).toBe(total === 0 ? 0 : total - limit * (pages.length - 1));
}

describe("DynamoMarketRepository: a creator's markets among many", () => {
  // A table of its own: a handful of one creator's markets among 2,000 of others.
  let crowded: DynamoMarketRepository;
  let crowdedTable: string;
  const CREATOR = "u-needle";
  const mine: Market[] = [];

  const walkIn = (query: Omit<MarketListQuery, "cursor">) => walkList(crowded, query);

  beforeAll(async () => {
    crowdedTable = await createTestTable("markets-creator");
    crowded = new DynamoMarketRepository({ table: crowdedTable, db });
    const others = Array.from({ length: 2000 }, (_, i) => {
      const status = STATUSES[i % 4] as MarketStatus;
      return makeMarket({
        status,
        outcome: status === "resolved" ? "yes" : null,
        createdAt: new Date(BASE_TIME + random.int(40) * HOUR).toISOString(),
        closesAt: new Date(BASE_TIME + (100 + random.int(40)) * HOUR).toISOString(),
        volume: random.int(10) * 5,
        // Near-miss creator ids too: the key condition is equality, not a prefix.
        creatorId: i % 100 === 0 ? "u-needle2" : i % 100 === 1 ? "u-needl" : `u-crowd-${i % 37}`,
        category: i % 3 === 0 ? "weather" : null,
      });
    });
    for (let i = 0; i < 14; i++) {
      const status = STATUSES[i % 4] as MarketStatus;
      mine.push(
        makeMarket({
          status,
          outcome: status === "resolved" ? "no" : null,
          // Pairs share a timestamp, a closing time or a volume, so the id must break ties.
          createdAt: new Date(BASE_TIME + Math.floor(i / 2) * 5 * HOUR).toISOString(),
          closesAt: new Date(BASE_TIME + (100 + ((i * 3) % 7)) * HOUR).toISOString(),
          volume: [0, 5, 5, 12.34, 1000, 0.01, 999.99][i % 7] as number,
          creatorId: CREATOR,
          category: i % 3 === 0 ? "weather" : i % 3 === 1 ? "sports" : null,
        }),
      );
    }
    const all = [...others, ...mine];
    for (let i = 0; i < all.length; i += 100)
      await Promise.all(all.slice(i, i + 100).map((market) => crowded.create(market)));
  }, 120_000);

  afterAll(async () => {
    await deleteTestTable(crowdedTable);
  });

  it("walks each sort with full pages, every listed market exactly once, in order", async () => {
    const listed = mine.filter((m) => LISTED.includes(m.status));
    expect(listed.length).toBe(11);
    for (const [sort, order] of SORTS) {
      const { ids, pages } = await walkIn({ statuses: LISTED, creatorId: CREATOR, sort, order, limit: 3 });
      expect(ids, `${sort} ${order}`).toEqual(expectedOrder(listed, sort, order));
      expect(new Set(ids).size).toBe(ids.length);
      expectFullPages(pages, 3, listed.length);
    }
  });

  it("combines the creator with status and category filters", async () => {
    const drafts = await walkIn({
      statuses: ["draft"],
      creatorId: CREATOR,
      sort: "createdAt",
      order: "desc",
      limit: 2,
    });
    const myDrafts = mine.filter((m) => m.status === "draft");
    expect(drafts.ids).toEqual(expectedOrder(myDrafts, "createdAt", "desc"));
    expectFullPages(drafts.pages, 2, myDrafts.length);

    for (const [sort, order] of SORTS) {
      const expected = mine.filter(
        (m) => (m.status === "active" || m.status === "closed") && m.category === "weather",
      );
      expect(expected.length).toBeGreaterThan(1);
      const { ids, pages } = await walkIn({
        statuses: ["active", "closed"],
        creatorId: CREATOR,
        category: "weather",
        sort,
        order,
        limit: 1,
      });
      expect(ids, `${sort} ${order}`).toEqual(expectedOrder(expected, sort, order));
      expectFullPages(pages, 1, expected.length);
    }

    const none = await crowded.list({
      statuses: LISTED,
      creatorId: CREATOR,
      category: "no-such-category",
      sort: "volume",
      order: "desc",
      limit: 5,
    });
    expect(none).toEqual({ items: [], nextCursor: null });
  });

  it("serves offset and projections, and validates cursors against the ordering", async () => {
    const listed = mine.filter((m) => LISTED.includes(m.status));
    const expected = expectedOrder(listed, "volume", "desc");
    const query = { statuses: LISTED, creatorId: CREATOR, sort: "volume", order: "desc", limit: 4 } as const;
    const first = await crowded.list({ ...query, offset: 5, attributes: ["name"] });
    expect(first.items.map((item) => item.id)).toEqual(expected.slice(5, 9));
    for (const item of first.items) expect(Object.keys(item).sort()).toEqual(["id", "name"]);
    const next = await crowded.list({ ...query, cursor: first.nextCursor ?? undefined });
    expect(next.items.map((item) => item.id)).toEqual(expected.slice(9));
    expect(next.nextCursor).toBeNull();

    await expect(
      crowded.list({ ...query, order: "asc", cursor: first.nextCursor ?? undefined }),
    ).rejects.toBeInstanceOf(ValidationError);
    await expect(crowded.list({ ...query, cursor: "garbage" })).rejects.toBeInstanceOf(ValidationError);
  });

  it("reads one page of the creator's draft partition, on the index sorted by closesAt", async () => {
    const { client: spying, sent: calls } = spyOnSend(db);
    const spied = new DynamoMarketRepository({ table: crowdedTable, db: spying });
    const page = await spied.list({
      statuses: ["draft"],
      creatorId: CREATOR,
      sort: "closesAt",
      order: "asc",
      limit: 10,
      attributes: ["name"],
    });
    expect(page.items.map((item) => item.id)).toEqual(
      expectedOrder(
        mine.filter((m) => m.status === "draft"),
        "closesAt",
        "asc",
      ),
    );
    const sent = calls.map((call) => call.input);
    const read = calls.map((call) => (call.output as { ScannedCount?: number }).ScannedCount ?? 0);
    expect(sent).toHaveLength(1);
    expect(sent[0]).toMatchObject({
      IndexName: "marketsByCreatorClosesAt",
      KeyConditionExpression: "#pk = :pk",
      ScanIndexForward: true,
    });
    expect(sent[0]?.ExpressionAttributeValues).toEqual({ ":pk": `CREATOR#${CREATOR}#draft` });
    expect(read).toEqual([mine.filter((m) => m.status === "draft").length]);
    const names = Object.values(sent[0]?.ExpressionAttributeNames as Record<string, string>);
    expect(names).toEqual(expect.arrayContaining(["id", "name", "closesAt"]));
    expect(names).not.toContain("description");
  });
});

describe("DynamoMarketRepository: a category's markets among many", () => {
  // A table of its own: a handful of markets in one category among 2,000 others.
  let crowded: DynamoMarketRepository;
  let crowdedTable: string;
  const CATEGORY = "curling";
  const CURLER = "u-curler";
  const inCategory: Market[] = [];

  const walkIn = (query: Omit<MarketListQuery, "cursor">) => walkList(crowded, query);

  beforeAll(async () => {
    crowdedTable = await createTestTable("markets-category");
    crowded = new DynamoMarketRepository({ table: crowdedTable, db });
    const others = Array.from({ length: 2000 }, (_, i) => {
      const status = STATUSES[i % 4] as MarketStatus;
      return makeMarket({
        status,
        outcome: status === "resolved" ? "yes" : null,
        createdAt: new Date(BASE_TIME + random.int(40) * HOUR).toISOString(),
        closesAt: new Date(BASE_TIME + (100 + random.int(40)) * HOUR).toISOString(),
        volume: random.int(10) * 5,
        // The curler has markets in other categories, so combining the filters must filter.
        creatorId: i % 50 === 0 ? CURLER : `u-crowd-${i % 37}`,
        // Near-miss categories too: the key condition is equality, not a prefix.
        category: i % 100 === 0 ? "curling2" : i % 100 === 1 ? "curlin" : i % 3 === 0 ? "weather" : null,
      });
    });
    for (let i = 0; i < 14; i++) {
      const status = STATUSES[i % 4] as MarketStatus;
      inCategory.push(
        makeMarket({
          status,
          outcome: status === "resolved" ? "no" : null,
          // Pairs share a timestamp, a closing time or a volume, so the id must break ties.
          createdAt: new Date(BASE_TIME + Math.floor(i / 2) * 5 * HOUR).toISOString(),
          closesAt: new Date(BASE_TIME + (100 + ((i * 3) % 7)) * HOUR).toISOString(),
          volume: [0, 5, 5, 12.34, 1000, 0.01, 999.99][i % 7] as number,
          creatorId: i % 3 === 0 ? CURLER : `u-crowd-${i % 37}`,
          category: CATEGORY,
        }),
      );
    }
    const all = [...others, ...inCategory];
    for (let i = 0; i < all.length; i += 100)
      await Promise.all(all.slice(i, i + 100).map((market) => crowded.create(market)));
  }, 120_000);

  afterAll(async () => {
    await deleteTestTable(crowdedTable);
  });

  it("walks each sort with full pages, every listed market exactly once, in order", async () => {
    const listed = inCategory.filter((m) => LISTED.includes(m.status));
    expect(listed.length).toBe(11);
    for (const [sort, order] of SORTS) {
      for (const limit of [1, 3, 4]) {
        const { ids, pages } = await walkIn({ statuses: LISTED, category: CATEGORY, sort, order, limit });
        expect(ids, `${sort} ${order} ${limit}`).toEqual(expectedOrder(listed, sort, order));
        expect(new Set(ids).size).toBe(ids.length);
        expectFullPages(pages, limit, listed.length);
      }
    }
  });

  it("combines the category with a status filter", async () => {
    for (const statuses of [["draft"], ["active", "closed"], ["resolved"]] as MarketStatus[][]) {
      const expected = inCategory.filter((m) => statuses.includes(m.status));
      expect(expected.length).toBeGreaterThan(1);
      for (const [sort, order] of SORTS) {
        const { ids, pages } = await walkIn({ statuses, category: CATEGORY, sort, order, limit: 2 });
        expect(ids, `${statuses} ${sort} ${order}`).toEqual(expectedOrder(expected, sort, order));
        expectFullPages(pages, 2, expected.length);
      }
    }
  });

  it("combines the category with creatorId: the creator's partition, filtered by category", async () => {
    const expected = inCategory.filter((m) => m.creatorId === CURLER && LISTED.includes(m.status));
    expect(expected.length).toBeGreaterThan(1);
    for (const [sort, order] of SORTS) {
      const { ids, pages } = await walkIn({
        statuses: LISTED,
        creatorId: CURLER,
        category: CATEGORY,
        sort,
        order,
        limit: 2,
      });
      expect(ids, `${sort} ${order}`).toEqual(expectedOrder(expected, sort, order));
      expectFullPages(pages, 2, expected.length);
    }
    const none = await crowded.list({
      statuses: LISTED,
      creatorId: "u-crowd-1",
      category: "no-such-category",
      sort: "volume",
      order: "desc",
      limit: 5,
    });
    expect(none).toEqual({ items: [], nextCursor: null });
  });

  it("serves offset and projections, and validates cursors against the ordering", async () => {
    const listed = inCategory.filter((m) => LISTED.includes(m.status));
    const expected = expectedOrder(listed, "closesAt", "asc");
    const query = { statuses: LISTED, category: CATEGORY, sort: "closesAt", order: "asc", limit: 4 } as const;
    const first = await crowded.list({ ...query, offset: 5, attributes: ["name"] });
    expect(first.items.map((item) => item.id)).toEqual(expected.slice(5, 9));
    for (const item of first.items) expect(Object.keys(item).sort()).toEqual(["id", "name"]);
    const next = await crowded.list({ ...query, cursor: first.nextCursor ?? undefined });
    expect(next.items.map((item) => item.id)).toEqual(expected.slice(9));
    expect(next.nextCursor).toBeNull();
    const beyond = await crowded.list({ ...query, offset: 20 });
    expect(beyond).toEqual({ items: [], nextCursor: null });

    await expect(
      crowded.list({ ...query, sort: "volume", cursor: first.nextCursor ?? undefined }),
    ).rejects.toBeInstanceOf(ValidationError);
    await expect(crowded.list({ ...query, cursor: "garbage" })).rejects.toBeInstanceOf(ValidationError);
  });

  it("reads one page of the category's closed partition, on the index sorted by volume", async () => {
    const { client: spying, sent: calls } = spyOnSend(db);
    const spied = new DynamoMarketRepository({ table: crowdedTable, db: spying });
    const page = await spied.list({
      statuses: ["closed"],
      category: CATEGORY,
      sort: "volume",
      order: "desc",
      limit: 10,
      attributes: ["name"],
    });
    expect(page.items.map((item) => item.id)).toEqual(
      expectedOrder(
        inCategory.filter((m) => m.status === "closed"),
        "volume",
        "desc",
      ),
    );
    const sent = calls.map((call) => call.input);
    const read = calls.map((call) => (call.output as { ScannedCount?: number }).ScannedCount ?? 0);
    expect(sent).toHaveLength(1);
    expect(sent[0]).toMatchObject({
      IndexName: "marketsByCategoryVolume",
      KeyConditionExpression: "#pk = :pk",
      ScanIndexForward: false,
    });
    expect(sent[0]?.ExpressionAttributeValues).toEqual({ ":pk": `CATEGORY#${CATEGORY}#closed` });
    expect(read).toEqual([inCategory.filter((m) => m.status === "closed").length]);
    const names = Object.values(sent[0]?.ExpressionAttributeNames as Record<string, string>);
    expect(names).toEqual(expect.arrayContaining(["id", "name", "volume"]));
    expect(names).not.toContain("description");
  });

  it("without a category or creator, reads the status partitions with no filter", async () => {
    const { client: spying, sent: calls } = spyOnSend(db);
    const spied = new DynamoMarketRepository({ table: crowdedTable, db: spying });
    const page = await spied.list({ statuses: LISTED, sort: "createdAt", order: "desc", limit: 5 });
    expect(page.items).toHaveLength(5);
    const sent = calls.map((call) => call.input);
    expect(sent.map((input) => input.IndexName)).toEqual(LISTED.map(() => "marketsByCreatedAt"));
    for (const input of sent) {
      expect(input.FilterExpression).toBeUndefined();
      expect(input.Limit).toBe(6);
    }
  });
});
