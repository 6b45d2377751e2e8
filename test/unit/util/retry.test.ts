import { afterEach, describe, expect, it, vi } from "vitest";
import { backoffDelay, retry } from "../../../shared/util/retry.ts";
import { seededRandom } from "../../support/seeded-random.ts";

class Transient extends Error {}
class Fatal extends Error {}

const noSleep = async () => {};

afterEach(() => {
  vi.useRealTimers();
});

describe("backoffDelay", () => {
  it("stays within [0, min(cap, base * 2^attempt)) for every attempt", () => {
    for (let attempt = 0; attempt < 12; attempt++) {
      const ceiling = Math.min(1000, 20 * 2 ** attempt);
      for (const r of [0, 0.25, 0.5, 0.999999]) {
        const delay = backoffDelay(attempt, 20, 1000, () => r);
        expect(delay).toBeGreaterThanOrEqual(0);
        expect(delay).toBeLessThan(ceiling);
      }
      // With many draws from a seeded source too.
      const random = seededRandom(attempt);
      for (let i = 0; i < 50; i++) {
        const delay = backoffDelay(attempt, 20, 1000, random.next);
        expect(delay, `seed ${random.seed}, draw ${i}`).toBeGreaterThanOrEqual(0);
        expect(delay, `seed ${random.seed}, draw ${i}`).toBeLessThan(ceiling);
      }
    }
  });

  it("draws from Math.random when no source is given", () => {
    const random = vi.spyOn(Math, "random").mockReturnValue(0.5);
    try {
      expect(backoffDelay(3, 10, 1000)).toBe(40);
      expect(random).toHaveBeenCalledTimes(1);
    } finally {
      random.mockRestore();
    }
  });

  it("uses the random source for full jitter", () => {
    expect(backoffDelay(3, 10, 1000, () => 0)).toBe(0);
    expect(backoffDelay(3, 10, 1000, () => 0.5)).toBe(40);
    expect(backoffDelay(10, 10, 1000, () => 0.5)).toBe(500);
    let calls = 0;
    backoffDelay(1, 10, 1000, () => {
      calls++;
      return 0.3;
    });
    expect(calls).toBe(1);
  });
});

describe("retry", () => {
  it("returns the first success and passes the attempt number", async () => {
    const attempts: number[] = [];
    const result = await retry(
      async (attempt) => {
        attempts.push(attempt);
        if (attempt < 2) throw new Transient();
        return "done";
      },
      { retryable: (e) => e instanceof Transient, sleep: noSleep },
    );
    expect(result).toBe("done");
    expect(attempts).toEqual([0, 1, 2]);
  });

  it("makes at most maxAttempts attempts and rethrows the last error unchanged", async () => {
    let calls = 0;
    const errors: Transient[] = [];
    const promise = retry(
      async () => {
        calls++;
        const error = new Transient(`attempt ${calls}`);
        errors.push(error);
        throw error;
      },
      { maxAttempts: 4, retryable: (e) => e instanceof Transient, sleep: noSleep },
    );
    const thrown = await promise.catch((error: unknown) => error);
    expect(errors).toHaveLength(4);
    expect(thrown).toBe(errors[3]);
    expect(calls).toBe(4);
  });

  it("does not retry a non-retryable error and rethrows it unchanged", async () => {
    const fatal = new Fatal("no");
    let calls = 0;
    let retried = 0;
    await expect(
      retry(
        async () => {
          calls++;
          throw fatal;
        },
        { retryable: (e) => e instanceof Transient, sleep: noSleep, onRetry: () => retried++ },
      ),
    ).rejects.toBe(fatal);
    expect(calls).toBe(1);
    expect(retried).toBe(0);
  });

  it("calls onRetry with the error, the attempt and a jittered delay it then sleeps", async () => {
    const seen: [unknown, number, number][] = [];
    const slept: number[] = [];
    const randoms: number[] = [];
    const errors = [new Transient("a"), new Transient("b")];
    await retry(
      async (attempt) => {
        const error = errors[attempt];
        if (error) throw error;
        return 1;
      },
      {
        baseDelayMs: 100,
        maxDelayMs: 150,
        retryable: () => true,
        random: () => {
          randoms.push(0.5);
          return 0.5;
        },
        sleep: async (ms) => {
          slept.push(ms);
        },
        onRetry: (error, attempt, delayMs) => seen.push([error, attempt, delayMs]),
      },
    );
    expect(seen).toEqual([
      [errors[0], 1, 50],
      [errors[1], 2, 75],
    ]);
    expect(slept).toEqual([50, 75]);
    expect(randoms).toHaveLength(2);
  });

  it("waits the jittered delay on the real timers when no sleep is given", async () => {
    vi.useFakeTimers();
    let calls = 0;
    const done = retry(
      async () => {
        if (++calls < 3) throw new Transient();
        return "done";
      },
      // Delays of floor(0.99 · 20) = 19 ms before each retry.
      { retryable: () => true, baseDelayMs: 20, maxDelayMs: 20, random: () => 0.99 },
    );
    await vi.advanceTimersByTimeAsync(0);
    expect(calls).toBe(1);
    await vi.advanceTimersByTimeAsync(18);
    expect(calls).toBe(1);
    await vi.advanceTimersByTimeAsync(1);
    expect(calls).toBe(2);
    await vi.advanceTimersByTimeAsync(19);
    expect(calls).toBe(3);
    await expect(done).resolves.toBe("done");
  });
});
