import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { LocalCloud } from "../../infra/local/local-cloud.ts";
import { type ApiClient, api, type Json, marketBody, newUser, type TestUser } from "../support/api-client.ts";
import { startE2eCloud } from "../support/e2e-cloud.ts";
import { walkPages } from "../support/walk-pages.ts";

let cloud: LocalCloud;
let client: ApiClient;
let alice: TestUser;
let bob: TestUser;
let moderator: TestUser;

beforeAll(async () => {
  cloud = await startE2eCloud();
  client = api(cloud);
  alice = await newUser("user", { email: "alice@example.com" });
  bob = await newUser("user");
  moderator = await newUser("moderator");
});

afterAll(async () => {
  await cloud?.stop();
});

async function createMarket(owner: TestUser, overrides: Record<string, unknown> = {}): Promise<Json> {
  const res = await client.post("/api/markets", marketBody(overrides), { token: owner.token });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body.data;
}

const open = (marketId: string, caller: TestUser, body: unknown) =>
  client.post(`/api/markets/${marketId}/positions`, body, { token: caller.token });

describe("POST /api/markets/{id}/positions", () => {
  it("201 with the caller's position and the market's new totals", async () => {
    const market = await createMarket(alice);
    const res = await open(market.id, bob, { side: "yes", amount: 12.5 });
    expect(res.status).toBe(201);
    expect(res.body.success).toBe(true);
    const data = res.body.data;
    expect(Object.keys(data).sort()).toEqual([
      "market",
      "marketId",
      "noAmount",
      "updatedAt",
      "userId",
      "yesAmount",
    ]);
    expect(data).toMatchObject({
      marketId: market.id,
      userId: bob.id,
      yesAmount: 12.5,
      noAmount: 0,
      market: { id: market.id, volume: 12.5, yesVolume: 12.5, noVolume: 0, version: 2 },
    });
    expect(Object.keys(data.market).sort()).toEqual(["id", "noVolume", "version", "volume", "yesVolume"]);
    expect(new Date(data.updatedAt).toISOString()).toBe(data.updatedAt);

    const again = await open(market.id, bob, { side: "no", amount: 0.1 });
    expect(again.status).toBe(201);
    expect(again.body.data).toMatchObject({
      yesAmount: 12.5,
      noAmount: 0.1,
      market: { volume: 12.6, yesVolume: 12.5, noVolume: 0.1, version: 3 },
    });
    const more = await open(market.id, bob, { side: "no", amount: 0.2 });
    expect(more.body.data.noAmount).toBe(0.3);
    expect(more.body.data.market.volume).toBe(12.8);
  });

  it("version grows with every position and the ETag follows it", async () => {
    const market = await createMarket(alice);
    const path = `/api/markets/${market.id}`;
    const first = await client.get(path);
    expect(first.headers.get("etag")).toBe('"1"');
    await open(market.id, bob, { side: "yes", amount: 1 });
    const second = await client.get(path, { headers: { "if-none-match": '"1"' } });
    expect(second.status).toBe(200);
    expect(second.headers.get("etag")).toBe('"2"');
    expect(second.body.data).toMatchObject({ version: 2, volume: 1, yesVolume: 1 });
    await open(market.id, alice, { side: "no", amount: 2 });
    const third = await client.get(path);
    expect(third.headers.get("etag")).toBe('"3"');
    expect(third.body.data).toMatchObject({ version: 3, volume: 3, noVolume: 2 });
    // An If-Match taken before the position is now stale.
    const stale = await client.patch(
      path,
      { name: "Stale change" },
      { token: alice.token, headers: { "if-match": '"2"' } },
    );
    expect(stale.status).toBe(412);
  });

  it("a closed market is a 409 MARKET_NOT_ACTIVE and nothing is written", async () => {
    const market = await createMarket(alice);
    await client.patch(`/api/markets/${market.id}`, { status: "closed" }, { token: alice.token });
    const res = await open(market.id, bob, { side: "yes", amount: 5 });
    expect(res.status).toBe(409);
    expect(res.body.code).toBe("MARKET_NOT_ACTIVE");
    const got = await client.get(`/api/markets/${market.id}`);
    expect(got.body.data).toMatchObject({ volume: 0, version: 2 });
    expect((await client.get(`/api/markets/${market.id}/positions`)).body.data).toEqual([]);
  });

  it("a resolved market is a 409 MARKET_NOT_ACTIVE", async () => {
    const market = await createMarket(alice);
    await client.patch(`/api/markets/${market.id}`, { status: "closed" }, { token: alice.token });
    await client.patch(
      `/api/markets/${market.id}`,
      { status: "resolved", outcome: "no" },
      { token: moderator.token },
    );
    const res = await open(market.id, bob, { side: "no", amount: 5 });
    expect(res.status).toBe(409);
    expect(res.body.code).toBe("MARKET_NOT_ACTIVE");
  });

  it("the owner's draft is a 409 MARKET_NOT_ACTIVE; someone else's draft is a 404", async () => {
    const draft = await createMarket(alice, { status: "draft" });
    const byOwner = await open(draft.id, alice, { side: "yes", amount: 5 });
    expect(byOwner.status).toBe(409);
    expect(byOwner.body.code).toBe("MARKET_NOT_ACTIVE");
    const byModerator = await open(draft.id, moderator, { side: "yes", amount: 5 });
    expect(byModerator.status).toBe(409);
    const byOther = await open(draft.id, bob, { side: "yes", amount: 5 });
    expect(byOther.status).toBe(404);
    expect(byOther.body.code).toBe("NOT_FOUND");
  });

  it("a market past closesAt is a 409 MARKET_NOT_ACTIVE", async () => {
    const market = await createMarket(alice, { closesAt: new Date(Date.now() + 1500).toISOString() });
    await new Promise((resolve) => setTimeout(resolve, 2000));
    const res = await open(market.id, bob, { side: "yes", amount: 5 });
    expect(res.status).toBe(409);
    expect(res.body.code).toBe("MARKET_NOT_ACTIVE");
    expect((await client.get(`/api/markets/${market.id}`)).body.data.volume).toBe(0);
  });

  it("a missing market is a 404", async () => {
    const res = await open("01HZZZZZZZZZZZZZZZZZZZZZZZ", bob, { side: "yes", amount: 5 });
    expect(res.status).toBe(404);
    expect(res.body.code).toBe("NOT_FOUND");
  });

  it("validates side and amount", async () => {
    const market = await createMarket(alice);
    const bad: unknown[] = [
      { side: "yes", amount: 0 },
      { side: "yes", amount: 0.001 },
      { side: "yes", amount: 1.234 },
      { side: "yes", amount: -5 },
      { side: "yes", amount: 1_000_000.01 },
      { side: "yes", amount: 2_000_000 },
      { side: "yes", amount: "5" },
      { side: "maybe", amount: 5 },
      { amount: 5 },
      { side: "yes" },
      { side: "yes", amount: 5, userId: alice.id },
      {},
    ];
    for (const body of bad) {
      const res = await open(market.id, bob, body);
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(res.body.code).toBe("VALIDATION_FAILED");
    }
    expect((await client.get(`/api/markets/${market.id}`)).body.data.volume).toBe(0);
    for (const amount of [0.01, 1_000_000, 19.99, 0.3]) {
      expect((await open(market.id, bob, { side: "no", amount })).status, String(amount)).toBe(201);
    }
    const got = await client.get(`/api/markets/${market.id}`);
    expect(got.body.data.volume).toBe(1_000_020.3);
  });

  it("needs a token", async () => {
    const market = await createMarket(alice);
    const res = await client.post(`/api/markets/${market.id}/positions`, { side: "yes", amount: 1 });
    expect(res.status).toBe(401);
  });

  it("concurrent positions never lose an update", async () => {
    const market = await createMarket(alice);
    const users = await Promise.all(Array.from({ length: 4 }, () => newUser("user")));
    const amounts = Array.from({ length: 12 }, (_, i) => 1 + i * 0.25);
    const results = await Promise.all(
      amounts.map((amount, i) =>
        open(market.id, users[i % users.length] as TestUser, { side: i % 2 ? "yes" : "no", amount }),
      ),
    );
    const succeeded = results.filter((res) => res.status === 201);
    for (const res of results) expect([201, 503]).toContain(res.status);
    const expected = amounts.filter((_, i) => results[i]?.status === 201).reduce((sum, a) => sum + a, 0);
    const got = await client.get(`/api/markets/${market.id}`);
    expect(got.body.data.volume).toBeCloseTo(expected, 6);
    expect(got.body.data.version).toBe(1 + succeeded.length);
    expect(succeeded.length).toBe(amounts.length);
  });
});

describe("POST /api/markets with initialPosition", () => {
  it("writes the market and the creator's position together", async () => {
    const res = await client.post(
      "/api/markets",
      marketBody({ initialPosition: { side: "no", amount: 42.42 } }),
      { token: alice.token },
    );
    expect(res.status).toBe(201);
    const data = res.body.data;
    expect(data).toMatchObject({
      volume: 42.42,
      yesVolume: 0,
      noVolume: 42.42,
      status: "active",
      version: 1,
    });
    expect(data.position).toMatchObject({
      marketId: data.id,
      userId: alice.id,
      yesAmount: 0,
      noAmount: 42.42,
    });
    const positions = await client.get(`/api/markets/${data.id}/positions`);
    expect(positions.body.data).toHaveLength(1);
    expect(positions.body.data[0]).toMatchObject({ userId: alice.id, noAmount: 42.42 });
    const got = await client.get(`/api/markets/${data.id}`);
    expect(got.body.data).toMatchObject({ volume: 42.42, noVolume: 42.42 });
    expect(got.body.data.position).toBeUndefined();
  });

  it("with a draft is a 400 and writes nothing", async () => {
    const before = await client.get("/api/markets?status=draft&limit=100", { token: bob.token });
    const res = await client.post(
      "/api/markets",
      marketBody({ status: "draft", initialPosition: { side: "yes", amount: 5 } }),
      { token: bob.token },
    );
    expect(res.status).toBe(400);
    expect(res.body.code).toBe("VALIDATION_FAILED");
    const after = await client.get("/api/markets?status=draft&limit=100", { token: bob.token });
    expect(after.body.data).toHaveLength(before.body.data.length);
  });

  it("validates the initial position", async () => {
    for (const initialPosition of [{ side: "yes", amount: 0 }, { side: "up", amount: 5 }, { side: "yes" }]) {
      const res = await client.post("/api/markets", marketBody({ initialPosition }), { token: bob.token });
      expect(res.status, JSON.stringify(initialPosition)).toBe(400);
    }
  });
});

describe("GET /api/markets/{id}/positions", () => {
  it("lists positions with their user, and pages with a cursor", async () => {
    const market = await createMarket(alice);
    const holders = await Promise.all(Array.from({ length: 5 }, () => newUser("user")));
    await client.put("/api/me", { displayName: "Holder Zero" }, { token: (holders[0] as TestUser).token });
    for (const [i, holder] of holders.entries()) {
      expect((await open(market.id, holder, { side: "yes", amount: i + 1 })).status).toBe(201);
    }
    const all = await client.get(`/api/markets/${market.id}/positions`);
    expect(all.status).toBe(200);
    expect(all.body.meta).toEqual({ limit: 20, count: 5, nextCursor: null });
    for (const item of all.body.data) {
      expect(Object.keys(item).sort()).toEqual([
        "marketId",
        "noAmount",
        "updatedAt",
        "user",
        "userId",
        "yesAmount",
      ]);
      expect(item.user.id).toBe(item.userId);
      expect(item.marketId).toBe(market.id);
    }
    const first = all.body.data.find((item: Json) => item.userId === (holders[0] as TestUser).id);
    expect(first.user.displayName).toBe("Holder Zero");
    const second = all.body.data.find((item: Json) => item.userId === (holders[1] as TestUser).id);
    expect(second.user.displayName).toBe((holders[1] as TestUser).id);

    const pages = await walkPages<Json>(async (cursor) => {
      const path = `/api/markets/${market.id}/positions?limit=2${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ""}`;
      const res = await client.get(path);
      expect(res.status).toBe(200);
      expect(res.body.meta.limit).toBe(2);
      expect(res.body.meta.count).toBe(res.body.data.length);
      return { items: res.body.data, nextCursor: res.body.meta.nextCursor };
    }, 10);
    expect(pages).toHaveLength(3);
    expect(pages.flat().map((item) => item.userId)).toEqual(all.body.data.map((item: Json) => item.userId));
  });

  it("validates limit, cursor and unknown parameters", async () => {
    const market = await createMarket(alice);
    const path = `/api/markets/${market.id}/positions`;
    for (const query of ["limit=0", "limit=101", "cursor=garbage", "offset=1", "sort=volume"]) {
      const res = await client.get(`${path}?${query}`);
      expect(res.status, query).toBe(400);
      expect(res.body.code).toBe("VALIDATION_FAILED");
    }
  });

  it("a missing market is a 404", async () => {
    const res = await client.get("/api/markets/01HZZZZZZZZZZZZZZZZZZZZZZZ/positions");
    expect(res.status).toBe(404);
  });
});

describe("GET /api/me/positions", () => {
  it("lists the caller's positions with their market, and pages with a cursor", async () => {
    const trader = await newUser("user");
    const created: Json[] = [];
    for (let i = 0; i < 5; i += 1) {
      const market = await createMarket(alice, { name: `Trader market ${i}` });
      created.push(market);
      expect((await open(market.id, trader, { side: i % 2 ? "yes" : "no", amount: 3 })).status).toBe(201);
    }
    await client.patch(
      `/api/markets/${(created[0] as Json).id}`,
      { status: "closed" },
      { token: alice.token },
    );

    const all = await client.get("/api/me/positions", { token: trader.token });
    expect(all.status).toBe(200);
    expect(all.body.meta).toEqual({ limit: 20, count: 5, nextCursor: null });
    for (const item of all.body.data) {
      expect(item.userId).toBe(trader.id);
      expect(Object.keys(item.market).sort()).toEqual(["closesAt", "id", "name", "status"]);
      const market = created.find((m) => m.id === item.marketId) as Json;
      expect(item.market).toEqual({
        id: market.id,
        name: market.name,
        status: market.id === (created[0] as Json).id ? "closed" : "active",
        closesAt: market.closesAt,
      });
    }
    expect(new Set(all.body.data.map((item: Json) => item.marketId))).toEqual(
      new Set(created.map((m) => m.id)),
    );

    const pages = await walkPages<Json>(async (cursor) => {
      const path = `/api/me/positions?limit=2${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ""}`;
      const res = await client.get(path, { token: trader.token });
      expect(res.status).toBe(200);
      return { items: res.body.data, nextCursor: res.body.meta.nextCursor };
    }, 10);
    expect(pages).toHaveLength(3);
    expect(pages.flat().map((item) => item.marketId)).toEqual(
      all.body.data.map((item: Json) => item.marketId),
    );
  });

  it("someone without positions gets an empty list; no token is a 401", async () => {
    const nobody = await newUser("user");
    const res = await client.get("/api/me/positions", { token: nobody.token });
    expect(res.status).toBe(200);
    expect(res.body.data).toEqual([]);
    expect(res.body.meta.nextCursor).toBeNull();
    expect((await client.get("/api/me/positions")).status).toBe(401);
    expect((await client.get("/api/me/positions?limit=0", { token: nobody.token })).status).toBe(400);
  });
});
