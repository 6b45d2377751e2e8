import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { LocalCloud } from "../../infra/local/local-cloud.ts";
import { type ApiClient, api, type Json, marketBody, newUser, type TestUser } from "../support/api-client.ts";
import { startE2eCloud } from "../support/e2e-cloud.ts";

let cloud: LocalCloud;
let client: ApiClient;
let alice: TestUser;

beforeAll(async () => {
  cloud = await startE2eCloud();
  client = api(cloud);
  alice = await newUser("user");
});

afterAll(async () => {
  await cloud?.stop();
});

let keyCounter = 0;
const newKey = () => `key-${Date.now()}-${++keyCounter}`;

const createWithKey = (caller: TestUser, body: unknown, key: string) =>
  client.post("/api/markets", body, { token: caller.token, headers: { "idempotency-key": key } });

const openWithKey = (caller: TestUser, marketId: string, body: unknown, key: string) =>
  client.post(`/api/markets/${marketId}/positions`, body, {
    token: caller.token,
    headers: { "idempotency-key": key },
  });

async function marketsOf(caller: TestUser): Promise<Json[]> {
  const res = await client.get(`/api/markets?creatorId=${encodeURIComponent(caller.id)}&limit=100`);
  expect(res.status).toBe(200);
  return res.body.data;
}

describe("POST /api/markets with Idempotency-Key", () => {
  it("a repeat with the same key and body returns the first response and writes nothing", async () => {
    const caller = await newUser("user");
    const key = newKey();
    const body = marketBody();
    const first = await createWithKey(caller, body, key);
    expect(first.status).toBe(201);
    const second = await createWithKey(caller, body, key);
    expect(second.status).toBe(201);
    expect(second.body).toEqual(first.body);
    expect(second.headers.get("location")).toBe(first.headers.get("location"));
    expect(await marketsOf(caller)).toHaveLength(1);
  });

  it("the same key with another body is a 409 IDEMPOTENCY_KEY_REUSED", async () => {
    const caller = await newUser("user");
    const key = newKey();
    expect((await createWithKey(caller, marketBody({ name: "First body" }), key)).status).toBe(201);
    const res = await createWithKey(caller, marketBody({ name: "Second body" }), key);
    expect(res.status).toBe(409);
    expect(res.body).toMatchObject({ success: false, code: "IDEMPOTENCY_KEY_REUSED" });
    expect(await marketsOf(caller)).toHaveLength(1);
  });

  it("keys belong to their caller", async () => {
    const [one, two] = [await newUser("user"), await newUser("user")];
    const key = newKey();
    const body = marketBody();
    const a = await createWithKey(one, body, key);
    const b = await createWithKey(two, body, key);
    expect(a.status).toBe(201);
    expect(b.status).toBe(201);
    expect(b.body.data.id).not.toBe(a.body.data.id);
    expect(b.body.data.creatorId).toBe(two.id);
  });

  it("different keys write twice; no key writes every time", async () => {
    const caller = await newUser("user");
    const body = marketBody();
    expect((await createWithKey(caller, body, newKey())).status).toBe(201);
    expect((await createWithKey(caller, body, newKey())).status).toBe(201);
    expect((await client.post("/api/markets", body, { token: caller.token })).status).toBe(201);
    expect(await marketsOf(caller)).toHaveLength(3);
  });

  it("10 concurrent repeats write exactly once, and never answer 500", async () => {
    const caller = await newUser("user");
    const key = newKey();
    const body = marketBody();
    const results = await Promise.all(Array.from({ length: 10 }, () => createWithKey(caller, body, key)));
    const statuses = results.map((res) => res.status);
    for (const status of statuses) expect([201, 409]).toContain(status);
    const createdIds = new Set(results.filter((res) => res.status === 201).map((res) => res.body.data.id));
    expect(createdIds.size).toBe(1);
    for (const res of results.filter((r) => r.status === 409)) expect(res.body.code).toBeTypeOf("string");
    expect(await marketsOf(caller)).toHaveLength(1);
    const after = await createWithKey(caller, body, key);
    expect(after.status).toBe(201);
    expect(createdIds.has(after.body.data.id)).toBe(true);
  });

  it("the key must be 1–128 characters", async () => {
    const caller = await newUser("user");
    const long = await createWithKey(caller, marketBody(), "k".repeat(129));
    expect(long.status).toBe(400);
    expect(long.body.code).toBe("VALIDATION_FAILED");
    expect((await createWithKey(caller, marketBody(), "k".repeat(128))).status).toBe(201);
    expect(await marketsOf(caller)).toHaveLength(1);
  });

  it("a request that fails validation stores nothing under its key", async () => {
    const caller = await newUser("user");
    const key = newKey();
    expect((await createWithKey(caller, { name: "x" }, key)).status).toBe(400);
    expect((await createWithKey(caller, marketBody(), key)).status).toBe(201);
  });
});

describe("POST /api/markets/{id}/positions with Idempotency-Key", () => {
  it("a repeat returns the first receipt and adds no volume", async () => {
    const market = (await client.post("/api/markets", marketBody(), { token: alice.token })).body.data;
    const trader = await newUser("user");
    const key = newKey();
    const first = await openWithKey(trader, market.id, { side: "yes", amount: 7 }, key);
    expect(first.status).toBe(201);
    const second = await openWithKey(trader, market.id, { side: "yes", amount: 7 }, key);
    expect(second.status).toBe(201);
    expect(second.body).toEqual(first.body);
    const got = await client.get(`/api/markets/${market.id}`);
    expect(got.body.data).toMatchObject({ volume: 7, version: 2 });
    const reused = await openWithKey(trader, market.id, { side: "yes", amount: 8 }, key);
    expect(reused.status).toBe(409);
    expect(reused.body.code).toBe("IDEMPOTENCY_KEY_REUSED");
    expect((await client.get(`/api/markets/${market.id}`)).body.data.volume).toBe(7);
  });

  it("the same key on two markets is two positions", async () => {
    const trader = await newUser("user");
    const key = newKey();
    const m1 = (await client.post("/api/markets", marketBody(), { token: alice.token })).body.data;
    const m2 = (await client.post("/api/markets", marketBody(), { token: alice.token })).body.data;
    expect((await openWithKey(trader, m1.id, { side: "no", amount: 1 }, key)).status).toBe(201);
    expect((await openWithKey(trader, m2.id, { side: "no", amount: 1 }, key)).status).toBe(201);
    expect((await client.get(`/api/markets/${m2.id}`)).body.data.volume).toBe(1);
  });

  it("10 concurrent repeats add the amount once", async () => {
    const market = (await client.post("/api/markets", marketBody(), { token: alice.token })).body.data;
    const trader = await newUser("user");
    const key = newKey();
    const results = await Promise.all(
      Array.from({ length: 10 }, () => openWithKey(trader, market.id, { side: "no", amount: 2.5 }, key)),
    );
    for (const res of results) expect([201, 409]).toContain(res.status);
    expect(results.some((res) => res.status === 201)).toBe(true);
    const got = await client.get(`/api/markets/${market.id}`);
    expect(got.body.data).toMatchObject({ volume: 2.5, noVolume: 2.5, version: 2 });
  });

  it("a failed first attempt does not stick to the key", async () => {
    const market = (await client.post("/api/markets", marketBody(), { token: alice.token })).body.data;
    await client.patch(`/api/markets/${market.id}`, { status: "closed" }, { token: alice.token });
    const trader = await newUser("user");
    const key = newKey();
    const first = await openWithKey(trader, market.id, { side: "no", amount: 1 }, key);
    expect(first.status).toBe(409);
    expect(first.body.code).toBe("MARKET_NOT_ACTIVE");
    const second = await openWithKey(trader, market.id, { side: "no", amount: 1 }, key);
    expect(second.status).toBe(409);
    expect(second.body.code).toBe("MARKET_NOT_ACTIVE");
  });
});

describe("Idempotency-Key scope: the route and its decoded path parameters", () => {
  it("a retry spelling the market id with percent-escapes is the same request, and writes once", async () => {
    const caller = await newUser("user");
    const created = await client.post("/api/markets", marketBody(), { token: caller.token });
    expect(created.status).toBe(201);
    const id: string = created.body.data.id;
    const key = newKey();
    const first = await openWithKey(caller, id, { side: "yes", amount: 3 }, key);
    expect(first.status).toBe(201);
    // `%30` is "0": the same market, however the path is spelled.
    const escaped = `%${id.charCodeAt(0).toString(16).toUpperCase()}${id.slice(1)}`;
    const retry = await openWithKey(caller, escaped, { side: "yes", amount: 3 }, key);
    expect(retry.status).toBe(201);
    expect(retry.body).toEqual(first.body);
    const market = await client.get(`/api/markets/${id}`);
    expect(market.body.data.volume).toBe(3);
  });
});
