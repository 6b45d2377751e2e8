/**
 * Rate limits across Lambda instances: two separately loaded copies of the same bundle (own module
 * graph, own clients) share one DynamoDB table, so together they allow exactly the limit.
 */
import { afterAll, beforeAll, describe, expect, it, onTestFinished } from "vitest";
import { toHttpApiEvent } from "../../infra/local/api-gateway-event.ts";
import type { LocalCloud } from "../../infra/local/local-cloud.ts";
import { signToken } from "../../infra/local/sign-token.ts";
import type { HttpResult } from "../../shared/http/response.ts";
import { logger } from "../../shared/logger.ts";
import type { RateLimitStore } from "../../shared/repositories/rate-limit-store.ts";
import { RateLimiter } from "../../shared/services/rate-limiter.ts";
import { startTestCloud } from "../support/local-cloud.ts";

const READS = 5;
const WRITES = 3;
let cloud: LocalCloud;

/** Request ids unique within the run, as the gateway would give. */
let requests = 0;

function event(options: {
  method: "GET" | "PUT";
  path: string;
  routeKey: string;
  token?: string;
  sourceIp?: string;
  body?: unknown;
  headers?: string[];
}) {
  const rawHeaders = [
    "host",
    "localhost",
    ...(options.token ? ["authorization", `Bearer ${options.token}`] : []),
    ...(options.body === undefined ? [] : ["content-type", "application/json"]),
    ...(options.headers ?? []),
  ];
  return toHttpApiEvent(
    {
      method: options.method,
      url: options.path,
      rawHeaders,
      body: Buffer.from(options.body === undefined ? "" : JSON.stringify(options.body)),
      sourceIp: options.sourceIp ?? "203.0.113.7",
      protocol: "HTTP/1.1",
    },
    { routeKey: options.routeKey, pathParameters: {} },
    { requestId: `req-${++requests}` },
  );
}

const listEvent = (token?: string, sourceIp?: string, headers?: string[]) =>
  event({ method: "GET", path: "/api/markets", routeKey: "GET /api/markets", token, sourceIp, headers });

const header = (result: HttpResult, name: string): string | undefined =>
  Object.entries(result.headers ?? {}).find(([key]) => key.toLowerCase() === name.toLowerCase())?.[1];

/** Fixed windows: start a burst only when it cannot straddle a window boundary. */
async function awayFromWindowEdge(seconds = 10) {
  const intoWindow = (Date.now() / 1000) % 60;
  if (intoWindow > 60 - seconds)
    await new Promise((resolve) => setTimeout(resolve, (60 - intoWindow) * 1000 + 200));
}

beforeAll(async () => {
  cloud = await startTestCloud({
    startPoller: false,
    env: { RATE_LIMIT_READS_PER_MINUTE: String(READS), RATE_LIMIT_WRITES_PER_MINUTE: String(WRITES) },
  });
});

afterAll(async () => {
  await cloud?.stop();
});

describe("rate limit across instances", () => {
  it("allows exactly the limit to one caller across two instances of a bundle", async () => {
    const token = await signToken({ sub: `limited-${Date.now()}`, role: "user" });
    await awayFromWindowEdge();
    const results: HttpResult[] = [];
    for (let i = 0; i < 10; i++) {
      results.push(await cloud.invoke<HttpResult>("markets-list", listEvent(token), i % 2 === 0 ? "a" : "b"));
    }
    const statuses = results.map((r) => r.statusCode);
    console.info(`[rate-limit] 10 alternating reads with limit ${READS}: ${statuses.join(",")}`);
    expect(statuses.filter((s) => s === 200)).toHaveLength(READS);
    expect(statuses.slice(0, READS).every((s) => s === 200)).toBe(true);
    expect(statuses.slice(READS).every((s) => s === 429)).toBe(true);

    // Headers on the allowed requests count down.
    expect(results.slice(0, READS).map((r) => header(r, "RateLimit-Remaining"))).toEqual([
      "4",
      "3",
      "2",
      "1",
      "0",
    ]);
    for (const result of results) expect(header(result, "RateLimit-Limit")).toBe(String(READS));

    const limited = results[READS] as HttpResult;
    const retryAfter = Number(header(limited, "Retry-After"));
    expect(Number.isInteger(retryAfter)).toBe(true);
    expect(retryAfter).toBeGreaterThanOrEqual(1);
    expect(retryAfter).toBeLessThanOrEqual(60);
    expect(header(limited, "RateLimit-Reset")).toBe(String(retryAfter));
    expect(JSON.parse(String(limited.body))).toMatchObject({ success: false, code: "RATE_LIMITED" });
  });

  it("limits concurrent bursts across instances too", async () => {
    const token = await signToken({ sub: `burst-${Date.now()}`, role: "user" });
    await awayFromWindowEdge();
    const results = await Promise.all(
      Array.from({ length: 12 }, (_, i) =>
        cloud.invoke<HttpResult>("markets-list", listEvent(token), ["a", "b", "c"][i % 3]),
      ),
    );
    expect(results.filter((r) => r.statusCode === 200)).toHaveLength(READS);
    expect(results.filter((r) => r.statusCode === 429)).toHaveLength(12 - READS);
  });

  it("keeps separate budgets per caller and for reads and writes", async () => {
    const token = await signToken({ sub: `budget-${Date.now()}`, role: "user" });
    const other = await signToken({ sub: `other-${Date.now()}`, role: "user" });
    await awayFromWindowEdge();
    for (let i = 0; i < READS; i++) await cloud.invoke("markets-list", listEvent(token), "a");
    expect((await cloud.invoke<HttpResult>("markets-list", listEvent(token), "b")).statusCode).toBe(429);
    expect((await cloud.invoke<HttpResult>("markets-list", listEvent(other), "b")).statusCode).toBe(200);
    const write = () =>
      cloud.invoke<HttpResult>(
        "me-update-profile",
        event({
          method: "PUT",
          path: "/api/me",
          routeKey: "PUT /api/me",
          token,
          body: { displayName: "Budget" },
        }),
        "a",
      );
    const writes = [];
    for (let i = 0; i < WRITES + 1; i++) writes.push((await write()).statusCode);
    expect(writes).toEqual([...Array(WRITES).fill(200), 429]);
  });

  it("limits anonymous callers by source IP, never by X-Forwarded-For", async () => {
    // An address no other test of this file uses; the cloud's table is this file's own.
    const ip = "198.51.100.42";
    await awayFromWindowEdge();
    const statuses: number[] = [];
    for (let i = 0; i < READS + 2; i++) {
      const spoofed = ["x-forwarded-for", `10.0.0.${i}`];
      const result = await cloud.invoke<HttpResult>(
        "markets-list",
        listEvent(undefined, ip, spoofed),
        i % 2 ? "a" : "b",
      );
      statuses.push(result.statusCode);
    }
    expect(statuses).toEqual([...Array(READS).fill(200), 429, 429]);
  });
});

describe("RateLimiter", () => {
  const counting = (): RateLimitStore & { hits: Map<string, number> } => {
    const hits = new Map<string, number>();
    return {
      hits,
      hit: async (bucket, caller, windowStart) => {
        const key = `${bucket}|${caller}|${windowStart}`;
        hits.set(key, (hits.get(key) ?? 0) + 1);
        return hits.get(key) ?? 0;
      },
    };
  };

  it("allows up to the limit in a window and resets in the next", async () => {
    let now = 1_800_000_000_000 + 15_000; // 15 s into a window
    const limiter = new RateLimiter({ store: counting(), limits: { read: 2, write: 1 }, now: () => now });
    const first = await limiter.consume("u", "read");
    expect(first).toEqual({ allowed: true, limit: 2, remaining: 1, resetSeconds: 45 });
    expect((await limiter.consume("u", "read")).allowed).toBe(true);
    expect(await limiter.consume("u", "read")).toEqual({
      allowed: false,
      limit: 2,
      remaining: 0,
      resetSeconds: 45,
    });
    expect((await limiter.consume("u", "write")).allowed).toBe(true);
    now += 45_000;
    expect(await limiter.consume("u", "read")).toMatchObject({
      allowed: true,
      remaining: 1,
      resetSeconds: 60,
    });
  });

  it("never reports less than one second to the reset", async () => {
    const limiter = new RateLimiter({
      store: counting(),
      limits: { read: 1, write: 1 },
      now: () => 1_800_000_000_000 + 59_999,
    });
    expect((await limiter.consume("u", "read")).resetSeconds).toBe(1);
  });

  it("fails open when the store throws", async () => {
    // Each failure logs a WARN by design; here the failures are the point, and asserted below.
    logger.setLogLevel("ERROR");
    onTestFinished(() => logger.setLogLevel("INFO"));
    const limiter = new RateLimiter({
      store: {
        hit: async () => {
          throw Object.assign(new Error("connect ECONNREFUSED"), { name: "TimeoutError" });
        },
      },
      limits: { read: 3, write: 1 },
    });
    for (let i = 0; i < 10; i++) {
      const decision = await limiter.consume("u", "write");
      expect(decision.allowed).toBe(true);
      expect(decision.limit).toBe(1);
      expect(decision.remaining).toBe(1);
      expect(decision.resetSeconds).toBeGreaterThanOrEqual(1);
    }
  });
});
