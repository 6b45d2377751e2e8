/**
 * Leasing rate-limit units per execution environment, over an in-memory shared counter that answers
 * after a turn of the event loop (as a network call would): the limit holds across environments and
 * under concurrency, leases grow with the caller's traffic and start at one unit, a spent window
 * costs no more writes, and a failing store fails open only the requests it was to serve.
 */
import { describe, expect, it, onTestFinished } from "vitest";
import { logger } from "../../../shared/logger.ts";
import type { RateLimitStore } from "../../../shared/repositories/rate-limit-store.ts";
import { type RateLimitDecision, RateLimiter } from "../../../shared/services/rate-limiter.ts";

const WINDOW_START_MS = 1_800_000_000_000 - (1_800_000_000_000 % 60_000);

/** One counter per window shared by every limiter given it, and a log of the leases asked for. */
function sharedCounter() {
  const counts = new Map<string, number>();
  const leases: number[] = [];
  const store: RateLimitStore = {
    hit: async (bucket, caller, windowStart, _windowSeconds, units = 1) => {
      await new Promise((resolve) => setImmediate(resolve));
      const key = `${bucket}|${caller}|${windowStart}`;
      const count = (counts.get(key) ?? 0) + units;
      counts.set(key, count);
      leases.push(units);
      return count;
    },
  };
  return { store, leases };
}

const allowed = (decisions: RateLimitDecision[]) => decisions.filter((d) => d.allowed).length;

describe("rate-limit leases", () => {
  it("start at one unit: a caller's single request costs one write of one unit", async () => {
    const { store, leases } = sharedCounter();
    const limiter = new RateLimiter({ store, limits: { read: 100, write: 20 }, now: () => WINDOW_START_MS });
    expect(await limiter.consume("u", "read")).toMatchObject({ allowed: true, remaining: 99 });
    expect(leases).toEqual([1]);
  });

  it("grow with the caller's demand here, up to a tenth of the limit", async () => {
    const { store, leases } = sharedCounter();
    let now = WINDOW_START_MS + 1000;
    const limiter = new RateLimiter({ store, limits: { read: 100, write: 20 }, now: () => now });
    const remaining: number[] = [];
    for (let i = 0; i < 60; i++) {
      now += 500;
      remaining.push((await limiter.consume("u", "read")).remaining);
    }
    expect(leases).toEqual([1, 2, 4, 8, 10, 10, 10, 10, 10]);
    // One environment hands out the window's units in order: the header counts down by one.
    expect(remaining).toEqual(Array.from({ length: 60 }, (_, i) => 99 - i));
  });

  it("never lease more than the caller's rate so far will use before the window ends", async () => {
    const { store, leases } = sharedCounter();
    let now = WINDOW_START_MS;
    const limiter = new RateLimiter({ store, limits: { read: 1000, write: 20 }, now: () => now });
    // Three requests in the window's first seconds, then one 1.5 s before it ends: a demand of 4
    // over 58.5 s will use one unit in what is left, so the lease is 1 unit, not 4.
    for (const at of [1, 2, 3, 58.5]) {
      now = WINDOW_START_MS + at * 1000;
      await limiter.consume("u", "read");
    }
    expect(leases).toEqual([1, 2, 1]);
  });

  it("allow exactly the limit to one caller hammering several environments at once", async () => {
    const { store, leases } = sharedCounter();
    const environments = Array.from(
      { length: 5 },
      () => new RateLimiter({ store, limits: { read: 100, write: 20 }, now: () => WINDOW_START_MS + 5000 }),
    );
    const decisions = await Promise.all(
      Array.from({ length: 400 }, (_, i) => (environments[i % 5] as RateLimiter).consume("u", "read")),
    );
    expect(allowed(decisions)).toBe(100);
    // 400 requests, 5 environments: each leases 1, 2, 4, 8, then 10 at a time (some of those
    // find the window spent); about an eighth of the writes one per request would cost.
    expect(leases.length).toBeLessThan(400 / 6);
    expect(Math.max(...leases)).toBeLessThanOrEqual(10);
    // Every allowed unit number is handed out once.
    const remaining = decisions.filter((d) => d.allowed).map((d) => d.remaining);
    expect(new Set(remaining).size).toBe(100);
  });

  it("never allow more than the limit, however requests and environments interleave", async () => {
    const { store } = sharedCounter();
    const environments = Array.from(
      { length: 7 },
      (_, i) =>
        new RateLimiter({
          store,
          limits: { read: 50, write: 20 },
          now: () => WINDOW_START_MS + 1000 + i,
        }),
    );
    const decisions: RateLimitDecision[] = [];
    // Waves of concurrent requests of varying size, spread unevenly over the environments.
    for (let wave = 0; wave < 20; wave++) {
      const size = 1 + ((wave * 7) % 11);
      decisions.push(
        ...(await Promise.all(
          Array.from({ length: size }, (_, i) =>
            (environments[(wave + i * i) % 7] as RateLimiter).consume("u", "read"),
          ),
        )),
      );
    }
    expect(allowed(decisions)).toBeLessThanOrEqual(50);
    // Units left in other environments' leases are lost, but never more than the bound allows:
    // each environment strands at most maxLease − 1 = 4 units.
    expect(allowed(decisions)).toBeGreaterThanOrEqual(50 - 7 * 4);
  });

  it("deny without a write once the shared counter has reached the limit", async () => {
    const { store, leases } = sharedCounter();
    const limiter = new RateLimiter({ store, limits: { read: 3, write: 1 }, now: () => WINDOW_START_MS });
    const decisions: RateLimitDecision[] = [];
    for (let i = 0; i < 10; i++) decisions.push(await limiter.consume("u", "read"));
    expect(decisions.map((d) => d.allowed)).toEqual([true, true, true, ...Array(7).fill(false)]);
    expect(decisions.map((d) => d.remaining)).toEqual([2, 1, 0, ...Array(7).fill(0)]);
    expect(leases).toEqual([1, 1, 1]);
  });

  it("start over in the next window, and keep budgets and callers apart", async () => {
    const { store } = sharedCounter();
    let now = WINDOW_START_MS + 59_000;
    const limiter = new RateLimiter({ store, limits: { read: 2, write: 1 }, now: () => now });
    await limiter.consume("u", "read");
    await limiter.consume("u", "read");
    expect((await limiter.consume("u", "read")).allowed).toBe(false);
    expect((await limiter.consume("u", "write")).allowed).toBe(true);
    expect((await limiter.consume("v", "read")).allowed).toBe(true);
    now += 1000;
    expect(await limiter.consume("u", "read")).toMatchObject({
      allowed: true,
      remaining: 1,
      resetSeconds: 60,
    });
  });

  it("fail open only the requests a failed lease was to serve", async () => {
    logger.setLogLevel("ERROR");
    onTestFinished(() => logger.setLogLevel("INFO"));
    const { store } = sharedCounter();
    let calls = 0;
    const flaky: RateLimitStore = {
      hit: async (...args) => {
        calls += 1;
        if (calls === 1) {
          await new Promise((resolve) => setImmediate(resolve));
          throw Object.assign(new Error("connect ECONNREFUSED"), { name: "TimeoutError" });
        }
        return store.hit(...args);
      },
    };
    const limiter = new RateLimiter({
      store: flaky,
      limits: { read: 4, write: 1 },
      now: () => WINDOW_START_MS,
    });
    const failed = await limiter.consume("u", "read");
    // Failing open: allowed, and the shared counter did not move.
    expect(failed).toMatchObject({ allowed: true, remaining: 4 });
    const after: RateLimitDecision[] = [];
    for (let i = 0; i < 5; i++) after.push(await limiter.consume("u", "read"));
    expect(after.map((d) => d.allowed)).toEqual([true, true, true, true, false]);
  });

  it("fail open, and keep working, when the store throws instead of rejecting", async () => {
    logger.setLogLevel("ERROR");
    onTestFinished(() => logger.setLogLevel("INFO"));
    const { store } = sharedCounter();
    let broken = true;
    const throwing: RateLimitStore = {
      hit: (...args) => {
        if (broken) throw new Error("no client");
        return store.hit(...args);
      },
    };
    const limiter = new RateLimiter({
      store: throwing,
      limits: { read: 2, write: 1 },
      now: () => WINDOW_START_MS,
    });
    expect((await limiter.consume("u", "read")).allowed).toBe(true);
    broken = false;
    const after: RateLimitDecision[] = [];
    for (let i = 0; i < 3; i++) after.push(await limiter.consume("u", "read"));
    expect(after.map((d) => d.allowed)).toEqual([true, true, false]);
  });

  it("start a window from the caller's rate here in the window before", async () => {
    const { store, leases } = sharedCounter();
    let now = WINDOW_START_MS;
    const limiter = new RateLimiter({ store, limits: { read: 200, write: 20 }, now: () => now });
    // 12 requests in the first window: leases 1, 2, 4, 8 (3 units left over).
    for (let i = 0; i < 12; i++) {
      now = WINDOW_START_MS + 1000 + i * 4000;
      await limiter.consume("u", "read");
    }
    expect(leases).toEqual([1, 2, 4, 8]);
    // 1 s into the next: 59/60 of the last window's 12 are still ahead, so 12 units at once.
    now = WINDOW_START_MS + 61_000;
    await limiter.consume("u", "read");
    expect(leases).toEqual([1, 2, 4, 8, 12]);
    // It slowed down to that one request (11 units of the lease lost with the window): the third
    // window starts from one unit again.
    now = WINDOW_START_MS + 135_000;
    await limiter.consume("u", "read");
    expect(leases).toEqual([1, 2, 4, 8, 12, 1]);
  });

  it("keep a caller with one request per window at one write of one unit each window", async () => {
    const { store, leases } = sharedCounter();
    let now = WINDOW_START_MS + 30_000;
    const limiter = new RateLimiter({ store, limits: { read: 100, write: 20 }, now: () => now });
    for (let window = 0; window < 5; window++) {
      await limiter.consume("u", "read");
      now += 60_000;
    }
    expect(leases).toEqual([1, 1, 1, 1, 1]);
  });
});
