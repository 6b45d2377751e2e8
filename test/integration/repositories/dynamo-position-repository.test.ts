import { GetCommand, PutCommand } from "@aws-sdk/lib-dynamodb";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Market } from "../../../shared/domain/market.ts";
import {
  ConflictError,
  MarketNotActiveError,
  NotFoundError,
  ValidationError,
} from "../../../shared/errors.ts";
import { encodeCursor } from "../../../shared/repositories/cursor.ts";
import { DynamoMarketRepository } from "../../../shared/repositories/dynamo-market-repository.ts";
import { DynamoPositionRepository } from "../../../shared/repositories/dynamo-position-repository.ts";
import { keys } from "../../../shared/repositories/table-schema.ts";
import { createTestTable, deleteTestTable, testDynamoClient } from "../../support/local-cloud.ts";
import { documentClientOf, makeMarket, newId } from "../../support/market-fixtures.ts";
import { walkPages } from "../../support/walk-pages.ts";

const client = testDynamoClient();
const db = documentClientOf(client);
let table: string;
let markets: DynamoMarketRepository;
let positions: DynamoPositionRepository;

const now = () => new Date().toISOString();

async function rawItem(key: Record<string, string>) {
  const { Item } = await db.send(new GetCommand({ TableName: table, Key: key, ConsistentRead: true }));
  return Item;
}

async function seed(overrides: Partial<Market> = {}): Promise<Market> {
  const market = makeMarket(overrides);
  await markets.create(market);
  return market;
}

beforeAll(async () => {
  table = await createTestTable("positions-repo");
  markets = new DynamoMarketRepository({ table, db });
  positions = new DynamoPositionRepository({ table, db });
});

afterAll(async () => {
  await deleteTestTable(table);
  client.destroy();
});

describe("DynamoPositionRepository.open", () => {
  it("grows the market's volumes and version and the user's position in one step", async () => {
    const market = await seed();
    const first = await positions.open({
      marketId: market.id,
      userId: "u-1",
      side: "yes",
      amount: 10.25,
      now: now(),
    });
    expect(first).toMatchObject({
      marketId: market.id,
      userId: "u-1",
      yesAmount: 10.25,
      noAmount: 0,
      market: { id: market.id, volume: 10.25, yesVolume: 10.25, noVolume: 0, version: 2 },
    });
    const second = await positions.open({
      marketId: market.id,
      userId: "u-1",
      side: "no",
      amount: 0.1,
      now: now(),
    });
    expect(second).toMatchObject({ yesAmount: 10.25, noAmount: 0.1 });
    expect(second.market).toEqual({
      id: market.id,
      volume: 10.35,
      yesVolume: 10.25,
      noVolume: 0.1,
      version: 3,
    });
    await positions.open({ marketId: market.id, userId: "u-2", side: "no", amount: 0.2, now: now() });

    const stored = await markets.get(market.id);
    expect(stored).toMatchObject({ volume: 10.55, yesVolume: 10.25, noVolume: 0.3, version: 4 });
    // The volume index key moved with the volume (in cents), so volume listings stay right.
    const item = await rawItem(keys.market(market.id));
    expect(String(item?.volumeKey).split(".")[0]).toBe("1055");
    const top = await markets.list({ statuses: ["active"], sort: "volume", order: "desc", limit: 100 });
    expect(top.items.map((m) => m.id)).toContain(market.id);
    expect(await positions.hasAny(market.id)).toBe(true);
  });

  it.each([
    ["a draft", { status: "draft" as const }],
    ["a closed market", { status: "closed" as const }],
    ["a resolved market", { status: "resolved" as const, outcome: "yes" as const }],
    ["an active market past closesAt", { closesAt: new Date(Date.now() - 1000).toISOString() }],
  ])("refuses %s with MarketNotActiveError and writes nothing", async (_, overrides) => {
    const market = await seed({ ...overrides, volume: 5, yesVolume: 5 });
    const error = await positions
      .open({ marketId: market.id, userId: "u-late", side: "yes", amount: 1, now: now() })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(MarketNotActiveError);
    expect((error as MarketNotActiveError).code).toBe("MARKET_NOT_ACTIVE");
    expect(await rawItem(keys.position(market.id, "u-late"))).toBeUndefined();
    expect(await markets.get(market.id)).toMatchObject({ volume: 5, yesVolume: 5, noVolume: 0, version: 1 });
    expect(await positions.hasAny(market.id)).toBe(false);
  });

  it("refuses a missing market with NotFoundError and writes no position", async () => {
    const id = newId();
    await expect(
      positions.open({ marketId: id, userId: "u-1", side: "yes", amount: 1, now: now() }),
    ).rejects.toBeInstanceOf(NotFoundError);
    expect(await rawItem(keys.position(id, "u-1"))).toBeUndefined();
    expect(await rawItem(keys.market(id))).toBeUndefined();
  });
});

describe("DynamoMarketRepository.create with an initial position", () => {
  it("writes the market and the creator's position together", async () => {
    const market = makeMarket({ creatorId: "u-maker", volume: 25, noVolume: 25 });
    const position = await markets.create(market, { initialPosition: { side: "no", amount: 25 } });
    expect(position).toEqual({
      marketId: market.id,
      userId: "u-maker",
      yesAmount: 0,
      noAmount: 25,
      updatedAt: market.createdAt,
    });
    expect(await markets.get(market.id)).toEqual(market);
    expect((await positions.listForUser("u-maker", 10)).items.map((p) => p.marketId)).toEqual([market.id]);
  });

  it("writes neither when the position cannot be written", async () => {
    const market = makeMarket({ creatorId: "u-clash", volume: 3, yesVolume: 3 });
    // A position already stored under that key makes the second put of the transaction fail.
    await db.send(
      new PutCommand({
        TableName: table,
        Item: {
          ...keys.position(market.id, "u-clash"),
          marketId: market.id,
          userId: "u-clash",
          yesAmount: 1,
        },
      }),
    );
    const error = await markets
      .create(market, { initialPosition: { side: "yes", amount: 3 } })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConflictError);
    expect(await markets.get(market.id)).toBeUndefined();
    expect(await rawItem(keys.market(market.id))).toBeUndefined();
    expect((await rawItem(keys.position(market.id, "u-clash")))?.yesAmount).toBe(1);
  });

  it("writes neither when the market id is taken", async () => {
    const existing = await seed({ creatorId: "u-first" });
    const duplicate = makeMarket({ id: existing.id, creatorId: "u-second", volume: 9, yesVolume: 9 });
    const error = await markets
      .create(duplicate, { initialPosition: { side: "yes", amount: 9 } })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConflictError);
    expect((error as ConflictError).code).toBe("CONFLICT");
    expect(await rawItem(keys.position(existing.id, "u-second"))).toBeUndefined();
    expect(await markets.get(existing.id)).toEqual(existing);
  });
});

describe("DynamoPositionRepository lists", () => {
  let market: Market;
  const holders = Array.from({ length: 11 }, (_, i) => `holder-${String(i).padStart(2, "0")}`);
  const userMarkets: string[] = [];

  beforeAll(async () => {
    market = await seed();
    for (const userId of holders)
      await positions.open({ marketId: market.id, userId, side: "yes", amount: 1, now: now() });
    for (let i = 0; i < 9; i++) {
      const own = await seed();
      userMarkets.push(own.id);
      await positions.open({
        marketId: own.id,
        userId: "u-walker",
        side: i % 2 ? "yes" : "no",
        amount: 2,
        now: now(),
      });
    }
  });

  /** Every page of a walk, each as "marketId/userId" strings. */
  async function walkAll(next: (cursor?: string) => ReturnType<DynamoPositionRepository["listForMarket"]>) {
    const pages = await walkPages(next, 20);
    return pages.map((page) => page.map((p) => `${p.marketId}/${p.userId}`));
  }

  it("pages through a market's positions", async () => {
    const pages = await walkAll((cursor) => positions.listForMarket(market.id, 4, cursor));
    expect(pages.map((page) => page.length)).toEqual([4, 4, 3]);
    expect(pages.flat()).toEqual(holders.map((userId) => `${market.id}/${userId}`));
  });

  it("pages through a user's positions across markets", async () => {
    const pages = await walkAll((cursor) => positions.listForUser("u-walker", 2, cursor));
    expect(pages.map((page) => page.length)).toEqual([2, 2, 2, 2, 1]);
    expect(pages.flat()).toEqual([...userMarkets].sort().map((id) => `${id}/u-walker`));
  });

  it("gives no cursor when a page holds everything, and an empty page for no positions", async () => {
    expect((await positions.listForMarket(market.id, 11)).nextCursor).toBeNull();
    expect(await positions.listForUser("u-nobody", 5)).toEqual({ items: [], nextCursor: null });
  });

  it("pages through positions of users whose ids are any string of up to 128 characters", async () => {
    // Token subjects are not restricted to a safe alphabet; the cursor must carry them all.
    const odd = ["u 2+x@y", "auth0|abc/def", "o'brien", "ünï cödé", "a#b=c?d", "x".repeat(128)];
    const shared = await seed();
    for (const userId of odd)
      await positions.open({ marketId: shared.id, userId, side: "no", amount: 1, now: now() });
    const pages = await walkAll((cursor) => positions.listForMarket(shared.id, 1, cursor));
    expect(pages).toHaveLength(odd.length);
    expect(pages.flat().sort()).toEqual(odd.map((userId) => `${shared.id}/${userId}`).sort());

    const own: string[] = [];
    for (let i = 0; i < 3; i++) {
      const other = await seed();
      own.push(other.id);
      await positions.open({ marketId: other.id, userId: "u 2+x@y", side: "yes", amount: 1, now: now() });
    }
    const mine = await walkAll((cursor) => positions.listForUser("u 2+x@y", 1, cursor));
    expect(mine.flat()).toEqual([shared.id, ...own].sort().map((id) => `${id}/u 2+x@y`));
  });

  it("still rejects a cursor key longer than any id", async () => {
    const tooLong = encodeCursor("market-positions", "x".repeat(129));
    await expect(positions.listForMarket(market.id, 2, tooLong)).rejects.toBeInstanceOf(ValidationError);
  });

  it("rejects a cursor of the other list or a tampered one", async () => {
    const userPage = await positions.listForUser("u-walker", 2);
    await expect(positions.listForMarket(market.id, 2, userPage.nextCursor ?? "")).rejects.toBeInstanceOf(
      ValidationError,
    );
    await expect(positions.listForUser("u-walker", 2, "%%%")).rejects.toBeInstanceOf(ValidationError);
  });
});
