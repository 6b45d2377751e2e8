/**
 * Lists by category and by creator over crowded partitions: 15,000 markets in one category, 5,000 of
 * them from one creator, written straight to the table. A page costs what it costs in a partition of
 * 20 (same DynamoDB calls, same items read, counted by a middleware on the client), and walking each
 * list to the end returns every market exactly once, in order, for every sort order.
 */
import type { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { BatchWriteCommand } from "@aws-sdk/lib-dynamodb";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Market, MarketStatus } from "../../../shared/domain/market.ts";
import { DynamoMarketRepository } from "../../../shared/repositories/dynamo-market-repository.ts";
import { newMarketItem, volumeSortKey } from "../../../shared/repositories/market-item.ts";
import type {
  MarketListQuery,
  MarketSort,
  SortOrder,
} from "../../../shared/repositories/market-repository.ts";
import { createTestTable, deleteTestTable, testDynamoClient } from "../../support/local-cloud.ts";
import { documentClientOf, makeMarket } from "../../support/market-fixtures.ts";

const CATEGORY = "crowded";
const CREATOR = "u-prolific";
const SMALL_CATEGORY = "tiny";
const SMALL_CREATOR = "u-occasional";
const LISTED: MarketStatus[] = ["active", "closed", "resolved"];
const STATUSES: MarketStatus[] = [...LISTED, "draft"];
const SORTS: [MarketSort, SortOrder][] = [
  ["createdAt", "desc"],
  ["createdAt", "asc"],
  ["volume", "desc"],
  ["volume", "asc"],
  ["closesAt", "asc"],
  ["closesAt", "desc"],
];
const BASE_TIME = Date.parse("2029-01-01T00:00:00.000Z");
const MINUTE = 60_000;

/** Seeded, so a failure can be replayed. */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (Math.imul(state, 1_664_525) + 1_013_904_223) >>> 0;
    return state / 2 ** 32;
  };
}

/** Markets with many ties (timestamps, closing times, volumes), so the id must break them. */
function marketsIn(count: number, seed: number, shape: (i: number) => Partial<Market>): Market[] {
  const next = random(seed);
  return Array.from({ length: count }, (_, i) => {
    const status = STATUSES[i % STATUSES.length] as MarketStatus;
    return makeMarket({
      status,
      outcome: status === "resolved" ? "yes" : null,
      createdAt: new Date(BASE_TIME + Math.floor(next() * 2000) * MINUTE).toISOString(),
      closesAt: new Date(BASE_TIME + (5000 + Math.floor(next() * 2000)) * MINUTE).toISOString(),
      volume: Math.floor(next() * 500) / 4,
      ...shape(i),
    });
  });
}

/** The order the API promises, computed independently of the repository. */
function expectedOrder(markets: readonly Market[], sort: MarketSort, order: SortOrder): string[] {
  const key = (m: Market) =>
    sort === "createdAt"
      ? `${m.createdAt}#${m.id}`
      : sort === "closesAt"
        ? `${m.closesAt}#${m.id}`
        : volumeSortKey(m.volume, m.id).padStart(48, "0");
  const sorted = [...markets].sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0));
  return (order === "asc" ? sorted : sorted.reverse()).map((m) => m.id);
}

/** DynamoDB calls and items read through a client, counted by a middleware. */
function countingClient(client: DynamoDBClient) {
  const counts = { calls: 0, itemsRead: 0 };
  client.middlewareStack.add(
    (next) => async (args) => {
      counts.calls++;
      const result = await next(args);
      const output = result.output as { ScannedCount?: number };
      counts.itemsRead += output.ScannedCount ?? 0;
      return result;
    },
    { step: "initialize", name: "countCalls" },
  );
  return counts;
}

const client = testDynamoClient();
const counts = countingClient(client);
const db = documentClientOf(client);
let table: string;
let repository: DynamoMarketRepository;
let inCategory: Market[];
let byCreator: Market[];

async function writeStraight(markets: readonly Market[]): Promise<void> {
  const batches: Market[][] = [];
  for (let i = 0; i < markets.length; i += 25) batches.push(markets.slice(i, i + 25));
  for (let i = 0; i < batches.length; i += 8) {
    await Promise.all(
      batches.slice(i, i + 8).map(async (batch) => {
        let requests = batch.map((market) => ({ PutRequest: { Item: newMarketItem(market) } }));
        while (requests.length > 0) {
          const { UnprocessedItems } = await db.send(
            new BatchWriteCommand({ RequestItems: { [table]: requests } }),
          );
          requests = (UnprocessedItems?.[table] ?? []) as typeof requests;
        }
      }),
    );
  }
}

beforeAll(async () => {
  table = await createTestTable("markets-at-scale");
  repository = new DynamoMarketRepository({ table, db });
  // 15,000 in the category, every third from the prolific creator: 5,000 of the creator's markets.
  const crowded = marketsIn(15_000, 11, (i) => ({
    category: CATEGORY,
    creatorId: i % 3 === 0 ? CREATOR : `u-crowd-${i % 41}`,
  }));
  // The same shapes at a partition of 20, and neighbours the lists must leave out.
  const small = marketsIn(20, 12, () => ({ category: SMALL_CATEGORY, creatorId: SMALL_CREATOR }));
  const neighbours = marketsIn(400, 13, (i) => ({
    category: i % 2 === 0 ? "crowded2" : null,
    creatorId: i % 4 === 1 ? CREATOR : "u-prolific2",
  }));
  await writeStraight([...crowded, ...small, ...neighbours]);
  inCategory = crowded;
  byCreator = [...crowded, ...neighbours].filter((m) => m.creatorId === CREATOR);
  expect(byCreator.length).toBe(5_100);
}, 600_000);

afterAll(async () => {
  await deleteTestTable(table);
});

/** The DynamoDB calls and items one page costs. */
async function costOf(query: MarketListQuery) {
  const before = { ...counts };
  const page = await repository.list(query);
  return {
    page,
    calls: counts.calls - before.calls,
    itemsRead: counts.itemsRead - before.itemsRead,
  };
}

/** Follow `nextCursor` to the end; every page must cost what the first did at most. */
async function walk(query: Omit<MarketListQuery, "cursor">) {
  const ids: string[] = [];
  let cursor: string | undefined;
  let maxCalls = 0;
  for (let page = 0; page < 1000; page++) {
    const cost = await costOf({ ...query, ...(cursor ? { cursor } : {}) });
    maxCalls = Math.max(maxCalls, cost.calls);
    ids.push(...cost.page.items.map((item) => String(item.id)));
    if (cost.page.nextCursor === null) return { ids, maxCalls };
    expect(cost.page.items).toHaveLength(query.limit);
    cursor = cost.page.nextCursor;
  }
  throw new Error("the walk did not end");
}

describe("lists over crowded partitions", () => {
  it("a page of a 15,000-market category or a 5,000-market creator costs what it costs at 20", async () => {
    for (const [sort, order] of SORTS) {
      for (const attributes of [undefined, ["name"] as const]) {
        for (const statuses of [LISTED, ["active"]] as MarketStatus[][]) {
          // 4 a page: each status partition of the small category and creator holds 5 = limit + 1.
          const base = { statuses, sort, order, limit: 4, attributes };
          const big = await costOf({ ...base, category: CATEGORY });
          const tiny = await costOf({ ...base, category: SMALL_CATEGORY });
          const label = `category ${sort} ${order} ${statuses}`;
          expect(big.calls, label).toBe(statuses.length);
          expect(big.calls, label).toBe(tiny.calls);
          expect(big.itemsRead, label).toBe(tiny.itemsRead);
          expect(big.itemsRead, label).toBeLessThanOrEqual(statuses.length * (base.limit + 1));

          const mine = await costOf({ ...base, creatorId: CREATOR });
          const few = await costOf({ ...base, creatorId: SMALL_CREATOR });
          expect(mine.calls, `creator ${label}`).toBe(statuses.length);
          expect(mine.calls, `creator ${label}`).toBe(few.calls);
          expect(mine.itemsRead, `creator ${label}`).toBe(few.itemsRead);
        }
      }
    }
  }, 120_000);

  it("walks the category to the end in every order: every market exactly once", async () => {
    const listed = inCategory.filter((m) => LISTED.includes(m.status));
    for (const [sort, order] of SORTS) {
      const { ids, maxCalls } = await walk({ statuses: LISTED, category: CATEGORY, sort, order, limit: 100 });
      expect(ids.length, `${sort} ${order}`).toBe(listed.length);
      expect(new Set(ids).size).toBe(ids.length);
      expect(ids).toEqual(expectedOrder(listed, sort, order));
      expect(maxCalls).toBe(LISTED.length);
    }
  }, 600_000);

  it("walks the creator's markets to the end in every order, one status and all listed", async () => {
    for (const statuses of [LISTED, ["closed"]] as MarketStatus[][]) {
      const listed = byCreator.filter((m) => statuses.includes(m.status));
      for (const [sort, order] of SORTS) {
        const { ids, maxCalls } = await walk({ statuses, creatorId: CREATOR, sort, order, limit: 100 });
        expect(ids.length, `${statuses} ${sort} ${order}`).toBe(listed.length);
        expect(ids).toEqual(expectedOrder(listed, sort, order));
        expect(maxCalls).toBe(statuses.length);
      }
    }
  }, 600_000);

  it("walks a creator's drafts and a creator within a category", async () => {
    const drafts = byCreator.filter((m) => m.status === "draft");
    const walked = await walk({
      statuses: ["draft"],
      creatorId: CREATOR,
      sort: "createdAt",
      order: "desc",
      limit: 100,
    });
    expect(walked.ids).toEqual(expectedOrder(drafts, "createdAt", "desc"));

    const inBoth = byCreator.filter((m) => m.category === CATEGORY && LISTED.includes(m.status));
    const both = await walk({
      statuses: LISTED,
      creatorId: CREATOR,
      category: CATEGORY,
      sort: "volume",
      order: "desc",
      limit: 100,
    });
    expect(both.ids).toEqual(expectedOrder(inBoth, "volume", "desc"));
  }, 300_000);
});
