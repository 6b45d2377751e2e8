/**
 * Rate-limit leases against DynamoDB Local: several execution environments, each with its own
 * client, store and limiter, share one table and are hammered by one caller at once. Together they
 * never allow more than the limit in a window, and spend far fewer writes than requests.
 */
import type { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DynamoRateLimitStore } from "../../../shared/repositories/dynamo-rate-limit-store.ts";
import type { RateLimitStore } from "../../../shared/repositories/rate-limit-store.ts";
import { type RateLimitDecision, RateLimiter } from "../../../shared/services/rate-limiter.ts";
import { createTestTable, deleteTestTable, testDynamoClient } from "../../support/local-cloud.ts";
import { documentClientOf } from "../../support/market-fixtures.ts";

let table: string;
const clients: DynamoDBClient[] = [];

beforeAll(async () => {
  table = await createTestTable("rate-limit-store");
});

afterAll(async () => {
  for (const client of clients) client.destroy();
  await deleteTestTable(table);
});

/** One execution environment: its own client and limiter, counting the writes it makes. */
function environment(limits: { read: number; write: number }, nowMs: number) {
  const client = testDynamoClient();
  clients.push(client);
  // Generous bounds: a write that times out after DynamoDB applied it spends units nobody is given,
  // which is the limiter failing safe under load, not what this test is about.
  const dynamo = new DynamoRateLimitStore({
    table,
    db: documentClientOf(client),
    timeoutMs: 10_000,
    coldTimeoutMs: 10_000,
  });
  const counted = { writes: 0 };
  const store: RateLimitStore = {
    hit: (...args) => {
      counted.writes += 1;
      return dynamo.hit(...args);
    },
  };
  return { limiter: new RateLimiter({ store, limits, now: () => nowMs }), counted };
}

const allowed = (decisions: RateLimitDecision[]) => decisions.filter((d) => d.allowed).length;

describe("DynamoRateLimitStore with leases", () => {
  // The middle of a window: the requests below cannot straddle its end.
  const now = Math.floor(Date.now() / 60_000) * 60_000 + 30_000;

  it("allows at most the limit to one caller hammering six environments concurrently", async () => {
    const environments = Array.from({ length: 6 }, () => environment({ read: 100, write: 20 }, now));
    const caller = `hammer-${Date.now()}`;
    const decisions = await Promise.all(
      Array.from({ length: 360 }, (_, i) =>
        (environments[i % environments.length] as ReturnType<typeof environment>).limiter.consume(
          caller,
          "read",
        ),
      ),
    );
    // Never more than the limit. Units are lost only when an environment holds a lease it has no
    // requests left for, or when a lease's write was applied but its answer lost (a retry under
    // load): at most six leases of at most a tenth of the limit (docs/consistency.md has the bound).
    const granted = allowed(decisions);
    expect(granted).toBeLessThanOrEqual(100);
    expect(granted).toBeGreaterThanOrEqual(100 - 6 * (10 - 1));
    const remaining = decisions.filter((d) => d.allowed).map((d) => d.remaining);
    // Every allowed request holds its own unit.
    expect(new Set(remaining).size).toBe(granted);
    const writes = environments.reduce((sum, env) => sum + env.counted.writes, 0);
    expect(writes).toBeLessThan(360 / 4);
    // And once spent, the window costs no more writes in any environment: an environment that still
    // holds units of its last lease serves them, and the window as a whole stays within the limit.
    const after = await Promise.all(environments.map((env) => env.limiter.consume(caller, "read")));
    const units = [...decisions, ...after].filter((d) => d.allowed).map((d) => d.remaining);
    expect(units.length).toBeLessThanOrEqual(100);
    expect(new Set(units).size).toBe(units.length);
    expect(environments.reduce((sum, env) => sum + env.counted.writes, 0)).toBe(writes);
  });

  it("never allows more than the limit over rounds of uneven concurrent bursts", async () => {
    const environments = Array.from({ length: 4 }, () => environment({ read: 20, write: 40 }, now));
    const caller = `bursts-${Date.now()}`;
    const decisions: RateLimitDecision[] = [];
    for (let round = 0; round < 12; round++) {
      const size = 2 + ((round * 5) % 9);
      decisions.push(
        ...(await Promise.all(
          Array.from({ length: size }, (_, i) =>
            (environments[(round + i * 3) % 4] as ReturnType<typeof environment>).limiter.consume(
              caller,
              "write",
            ),
          ),
        )),
      );
      expect(allowed(decisions)).toBeLessThanOrEqual(40);
    }
    // Leases of at most 4 units: each environment strands at most 3 of them.
    expect(allowed(decisions)).toBeGreaterThanOrEqual(40 - 4 * 3);
  });
});
