import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { LocalCloud } from "../../infra/local/local-cloud.ts";
import { type ApiClient, type ApiResponse, api, marketBody, newUser } from "../support/api-client.ts";
import { startE2eCloud } from "../support/e2e-cloud.ts";

const READS = 5;
const WRITES = 3;

let cloud: LocalCloud;
let client: ApiClient;

beforeAll(async () => {
  cloud = await startE2eCloud({
    env: { RATE_LIMIT_READS_PER_MINUTE: String(READS), RATE_LIMIT_WRITES_PER_MINUTE: String(WRITES) },
  });
  client = api(cloud);
});

afterAll(async () => {
  await cloud?.stop();
});

/**
 * The limiter may use fixed minute windows: a test that spends a budget starts early in a window,
 * so the budget cannot reset halfway through it.
 */
async function freshWindow(): Promise<void> {
  const left = 60 - ((Date.now() / 1000) % 60);
  if (left < 15) await new Promise((resolve) => setTimeout(resolve, left * 1000 + 250));
}

function expectLimitHeaders(res: ApiResponse, limit: number, remaining?: number): void {
  expect(res.headers.get("ratelimit-limit")).toBe(String(limit));
  const left = Number(res.headers.get("ratelimit-remaining"));
  expect(Number.isInteger(left)).toBe(true);
  if (remaining !== undefined) expect(left).toBe(remaining);
  const reset = Number(res.headers.get("ratelimit-reset"));
  expect(Number.isInteger(reset)).toBe(true);
  expect(reset).toBeGreaterThanOrEqual(0);
  expect(reset).toBeLessThanOrEqual(60);
}

function expectLimited(res: ApiResponse, limit: number): void {
  expect(res.status).toBe(429);
  expect(res.body).toMatchObject({ success: false, code: "RATE_LIMITED" });
  expect(res.body.requestId).toBe(res.headers.get("x-request-id"));
  const retryAfter = Number(res.headers.get("retry-after"));
  expect(Number.isInteger(retryAfter)).toBe(true);
  expect(retryAfter).toBeGreaterThanOrEqual(1);
  expect(retryAfter).toBeLessThanOrEqual(60);
  expectLimitHeaders(res, limit, 0);
}

describe("rate limits", { timeout: 90_000 }, () => {
  it("reads: RateLimit-* headers count down, the 6th read is a 429 with Retry-After", async () => {
    await freshWindow();
    const user = await newUser("user");
    for (let i = 1; i <= READS; i += 1) {
      const res = await client.get("/api/markets", { token: user.token });
      expect(res.status).toBe(200);
      expectLimitHeaders(res, READS, READS - i);
    }
    expectLimited(await client.get("/api/markets", { token: user.token }), READS);
    // Every read route shares the budget.
    expectLimited(await client.get("/api/me/positions", { token: user.token }), READS);
  });

  it("writes have their own budget", async () => {
    await freshWindow();
    const user = await newUser("user");
    for (let i = 0; i < READS; i += 1) await client.get("/api/markets", { token: user.token });
    expect((await client.get("/api/markets", { token: user.token })).status).toBe(429);
    for (let i = 1; i <= WRITES; i += 1) {
      const res = await client.post("/api/markets", marketBody(), { token: user.token });
      expect(res.status).toBe(201);
      expectLimitHeaders(res, WRITES, WRITES - i);
    }
    const over = await client.post("/api/markets", marketBody(), { token: user.token });
    expectLimited(over, WRITES);
    const list = await client.get(`/api/markets?creatorId=${encodeURIComponent(user.id)}`, {
      token: (await newUser("user")).token,
    });
    expect(list.body.data).toHaveLength(WRITES);
  });

  it("error responses on limited routes carry the headers too", async () => {
    await freshWindow();
    const user = await newUser("user");
    const res = await client.get("/api/markets/01HMISSING0000000000000000", { token: user.token });
    expect(res.status).toBe(404);
    expectLimitHeaders(res, READS, READS - 1);
  });

  it("body errors are counted, carry the headers, and still answer before the token error", async () => {
    await freshWindow();
    const user = await newUser("user");
    const badJson = await client.post("/api/markets", "{not json", { token: user.token });
    expect(badJson.status).toBe(400);
    expect(badJson.body.code).toBe("INVALID_JSON");
    expectLimitHeaders(badJson, WRITES, WRITES - 1);
    const wrongType = await client.post("/api/markets", "hello", {
      token: user.token,
      contentType: "text/plain",
    });
    expect(wrongType.status).toBe(415);
    expectLimitHeaders(wrongType, WRITES, WRITES - 2);
    const tooBig = await client.post("/api/markets", marketBody({ description: "x".repeat(70_000) }), {
      token: user.token,
    });
    expect(tooBig.status).toBe(413);
    expectLimitHeaders(tooBig, WRITES, WRITES - 3);
    // The three bad bodies spent the user's write budget.
    expectLimited(await client.post("/api/markets", marketBody(), { token: user.token }), WRITES);
  });

  it("a body error with an invalid token counts against the source IP", async () => {
    await freshWindow();
    const first = await client.post("/api/markets", "{", { token: "not.a.token" });
    expect(first.status).toBe(400);
    expect(first.body.code).toBe("INVALID_JSON");
    const left = Number(first.headers.get("ratelimit-remaining"));
    expectLimitHeaders(first, WRITES);
    const second = await client.post("/api/markets", "{");
    expect(second.status).toBe(400);
    expectLimitHeaders(second, WRITES, left - 1);
  });

  it("health and the OpenAPI document are not limited", async () => {
    await freshWindow();
    const user = await newUser("user");
    for (let i = 0; i < READS + 3; i += 1) {
      const health = await client.get("/api/health", { token: user.token });
      expect(health.status).toBe(200);
      expect(health.headers.get("ratelimit-limit")).toBeNull();
      const openapi = await client.get("/api/openapi.json", { token: user.token });
      expect(openapi.status).toBe(200);
      expect(openapi.headers.get("ratelimit-limit")).toBeNull();
    }
    // Nor did they spend the caller's read budget.
    const res = await client.get("/api/markets", { token: user.token });
    expect(res.status).toBe(200);
    expectLimitHeaders(res, READS, READS - 1);
  });

  it("different users have separate budgets", async () => {
    await freshWindow();
    const [one, two] = [await newUser("user"), await newUser("admin")];
    for (let i = 0; i < READS; i += 1) await client.get("/api/markets", { token: one.token });
    expect((await client.get("/api/markets", { token: one.token })).status).toBe(429);
    const other = await client.get("/api/markets", { token: two.token });
    expect(other.status).toBe(200);
    expectLimitHeaders(other, READS, READS - 1);
  });

  it("anonymous callers count against their IP, invalid tokens too, X-Forwarded-For is ignored", async () => {
    await freshWindow();
    const first = await client.get("/api/markets");
    expect(first.status).toBe(200);
    expectLimitHeaders(first, READS, READS - 1);
    const spoofed = await client.get("/api/markets", { headers: { "x-forwarded-for": "203.0.113.7" } });
    expectLimitHeaders(spoofed, READS, READS - 2);
    const bad = await client.get("/api/markets", { token: "not.a.token" });
    expect(bad.status).toBe(401);
    expectLimitHeaders(bad, READS, READS - 3);
    const forged = await client.get("/api/markets", { token: "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ4In0.c2ln" });
    expect(forged.status).toBe(401);
    expectLimitHeaders(forged, READS, READS - 4);
    expect((await client.get("/api/markets")).status).toBe(200);
    expectLimited(await client.get("/api/markets"), READS);
    expectLimited(await client.get("/api/markets", { token: "still.not.valid" }), READS);
    // A valid token is its own caller, not the IP.
    const user = await newUser("user");
    expect((await client.get("/api/markets", { token: user.token })).status).toBe(200);
  });
});
