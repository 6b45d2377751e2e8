/**
 * Concurrent writers against DynamoDB Local through the real services and repositories: positions
 * racing on one market never lose volume, and concurrent PATCHes of different fields never lose a field.
 */
import { ulid } from "ulid";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Caller } from "../../shared/auth/permissions.ts";
import type { Market } from "../../shared/domain/market.ts";
import type { PositionReceipt } from "../../shared/domain/position.ts";
import type { UpdateMarketBody } from "../../shared/domain/schemas.ts";
import { UnavailableError } from "../../shared/errors.ts";
import { DynamoMarketRepository } from "../../shared/repositories/dynamo-market-repository.ts";
import { DynamoPositionRepository } from "../../shared/repositories/dynamo-position-repository.ts";
import { DynamoUserRepository } from "../../shared/repositories/dynamo-user-repository.ts";
import { CreatorDirectory } from "../../shared/services/creator-directory.ts";
import { IndexScheduler } from "../../shared/services/index-scheduler.ts";
import { MarketService } from "../../shared/services/market-service.ts";
import { PositionService } from "../../shared/services/position-service.ts";
import { Profiles } from "../../shared/services/profiles.ts";
import { createTestTable, deleteTestTable, testDynamoClient } from "../support/local-cloud.ts";
import { documentClientOf } from "../support/market-fixtures.ts";

const client = testDynamoClient();
const db = documentClientOf(client);
let table: string;
let markets: DynamoMarketRepository;
let marketService: MarketService;
let positionService: PositionService;

const owner: Caller = { id: "u-owner", role: "user" };
const cents = (amount: number) => Math.round(amount * 100);

function services() {
  markets = new DynamoMarketRepository({ table, db });
  const positions = new DynamoPositionRepository({ table, db });
  const users = new DynamoUserRepository({ table, db });
  const creators = new CreatorDirectory({ users });
  const profiles = new Profiles({ users });
  marketService = new MarketService({
    markets,
    positions,
    creators,
    profiles,
    indexing: new IndexScheduler({ jobs: async () => undefined }),
    newId: ulid,
  });
  positionService = new PositionService({
    positions,
    markets,
    marketService,
    directory: creators,
    profiles,
  });
}

async function createMarket(): Promise<Market> {
  return marketService.create(owner, {
    name: "Concurrency market",
    description: "",
    closesAt: new Date(Date.now() + 86_400_000).toISOString(),
    status: "active",
  });
}

beforeAll(async () => {
  table = await createTestTable("concurrency");
  services();
});

afterAll(async () => {
  await deleteTestTable(table);
  client.destroy();
});

describe("concurrent positions on one market", () => {
  it("volume is exactly the sum of the successful amounts, version = 1 + successes", async () => {
    const market = await createMarket();
    const attempts = Array.from({ length: 50 }, (_, i) => ({
      caller: { id: `trader-${i % 10}`, role: "user" } as Caller,
      side: i % 3 === 0 ? ("no" as const) : ("yes" as const),
      // Amounts with cents that do not add up exactly in binary floating point.
      amount: Number((0.01 + ((i * 7.31) % 97)).toFixed(2)),
    }));
    const results = await Promise.allSettled(
      attempts.map(({ caller, side, amount }) => positionService.open(caller, market.id, { side, amount })),
    );
    const succeeded = attempts.filter((_, i) => results[i]?.status === "fulfilled");
    const failures = results.flatMap((result) => (result.status === "rejected" ? [result.reason] : []));
    // The only acceptable failure is "busy, retry": never a lost or half-applied update.
    for (const failure of failures) expect(failure).toBeInstanceOf(UnavailableError);

    const stored = (await markets.get(market.id)) as Market;
    const sum = (side?: "yes" | "no") =>
      succeeded
        .filter((a) => side === undefined || a.side === side)
        .reduce((total, a) => total + cents(a.amount), 0);
    console.info(
      `[concurrency] positions: ${succeeded.length}/50 succeeded, volume ${stored.volume} ` +
        `(yes ${stored.yesVolume}, no ${stored.noVolume}), version ${stored.version}`,
    );
    expect(succeeded.length).toBeGreaterThan(0);
    expect(cents(stored.volume)).toBe(sum());
    expect(cents(stored.yesVolume)).toBe(sum("yes"));
    expect(cents(stored.noVolume)).toBe(sum("no"));
    expect(stored.volume).toBe(sum() / 100);
    expect(stored.version).toBe(1 + succeeded.length);

    // Each trader's position holds exactly their successful amounts.
    const receipts = results.flatMap((r) => (r.status === "fulfilled" ? [r.value as PositionReceipt] : []));
    // A receipt is read after its transaction, so it shows the market at or after its own change.
    for (const receipt of receipts) {
      expect(receipt.market.version).toBeGreaterThanOrEqual(2);
      expect(receipt.market.version).toBeLessThanOrEqual(stored.version);
      expect(receipt.market.volume).toBeLessThanOrEqual(stored.volume);
    }
    const page = await positionService.listForMarket(owner, market.id, { limit: 100 });
    for (let trader = 0; trader < 10; trader++) {
      const mine = succeeded.filter((a) => a.caller.id === `trader-${trader}`);
      const position = page.items.find((p) => p.userId === `trader-${trader}`);
      if (mine.length === 0) {
        expect(position).toBeUndefined();
        continue;
      }
      expect(cents(position?.yesAmount ?? -1)).toBe(
        mine.filter((a) => a.side === "yes").reduce((t, a) => t + cents(a.amount), 0),
      );
      expect(cents(position?.noAmount ?? -1)).toBe(
        mine.filter((a) => a.side === "no").reduce((t, a) => t + cents(a.amount), 0),
      );
    }
    // The volume index moved with the volume: the market sorts at its real volume.
    const listed = await markets.list({ statuses: ["active"], sort: "volume", order: "desc", limit: 1 });
    expect(listed.items[0]).toMatchObject({ id: market.id, volume: stored.volume });
  });
});

describe("concurrent PATCHes of different fields", () => {
  it("loses none of them and counts each in the version", async () => {
    const market = await createMarket();
    const patches: UpdateMarketBody[] = Array.from({ length: 20 }, (_, i) => {
      switch (i % 4) {
        case 0:
          return { name: `Name from patch ${i}` };
        case 1:
          return { description: `Description from patch ${i}` };
        case 2:
          return { category: `category-${i}` };
        default:
          return { closesAt: new Date(Date.now() + (2 + i) * 86_400_000).toISOString() };
      }
    });
    const results = await Promise.all(patches.map((patch) => marketService.update(owner, market.id, patch)));
    const stored = (await markets.get(market.id)) as Market;
    console.info(`[concurrency] patches: 20/20 succeeded, version ${stored.version}`);
    expect(stored.version).toBe(21);
    expect(results.map((r) => r.version).sort((a, b) => a - b)).toEqual(
      Array.from({ length: 20 }, (_, i) => i + 2),
    );
    // For every field, the value that stays is the one of the last PATCH (highest version) that set it.
    for (const field of ["name", "description", "category", "closesAt"] as const) {
      const touching = patches
        .map((patch, i) => ({ patch, version: results[i]?.version ?? 0 }))
        .filter(({ patch }) => field in patch)
        .sort((a, b) => b.version - a.version);
      expect(touching).toHaveLength(5);
      expect(stored[field], field).toBe(touching[0]?.patch[field]);
    }
    // Fields nobody touched are as they were.
    expect(stored).toMatchObject({
      status: "active",
      volume: 0,
      creatorId: owner.id,
      createdAt: market.createdAt,
    });
  });

  it("interleaved PATCHes and positions bump the version once per change", async () => {
    const market = await createMarket();
    const writes = await Promise.allSettled([
      ...Array.from({ length: 10 }, (_, i) =>
        marketService.update(owner, market.id, { description: `d${i}` }),
      ),
      ...Array.from({ length: 10 }, (_, i) =>
        positionService.open({ id: `mixed-${i}`, role: "user" }, market.id, { side: "yes", amount: 1 }),
      ),
    ]);
    const patched = writes.slice(0, 10).filter((w) => w.status === "fulfilled").length;
    const positioned = writes.slice(10).filter((w) => w.status === "fulfilled").length;
    expect(patched).toBe(10);
    const stored = (await markets.get(market.id)) as Market;
    expect(stored.version).toBe(1 + patched + positioned);
    expect(stored.volume).toBe(positioned);
  });
});
