/**
 * The DynamoDB round trips of each request, counted from outside: a counting proxy sits between the
 * local cloud's bundles and DynamoDB Local, and records the calls made while one request is in
 * flight (the poller is off, so no background work lands in a recording). Shared by the benchmark
 * (test/bench/round-trips.ts) and the test that keeps the counts from growing back.
 */
import { signToken } from "../../infra/local/sign-token.ts";
import { api } from "../support/api-client.ts";
import { type CallRecorder, capacityOf, type RecordedCall, sequentialDepth } from "./dynamo-call-recorder.ts";

/** The targets: calls and sequential calls per request. */
export interface RoundTripRow {
  request: string;
  calls: number;
  sequential: number;
  targetCalls: number;
  targetSequential: number;
  operations: string;
  status: number;
  /** Read and write capacity units (table and indexes), when the recorder asked for them. */
  readUnits: number;
  writeUnits: number;
  /** Wall time of the request through the local cloud (local, so only a rough figure). */
  ms: number;
}

interface Scenario {
  request: string;
  targetCalls: number;
  targetSequential: number;
  /** Run once before measuring, e.g. to warm the bundle or fill the cache. */
  prepare?: () => Promise<unknown>;
  run: () => Promise<{ status: number }>;
}

const DAY = 86_400_000;

export async function measureRoundTrips(url: string, recorder: CallRecorder): Promise<RoundTripRow[]> {
  const client = api(url);
  const stamp = Date.now().toString(36);
  const alice = await signToken({ sub: `alice-${stamp}`, role: "user", email: "alice@example.com" });
  const bob = await signToken({ sub: `bob-${stamp}`, role: "user" });
  const admin = await signToken({ sub: `admin-${stamp}`, role: "admin" });
  const closesAt = new Date(Date.now() + 30 * DAY).toISOString();
  const category = `bench-${stamp}`;
  const create = async (token: string, extra: Record<string, unknown> = {}) => {
    const response = await client.post(
      "/api/markets",
      { name: "Will the round trips stay low?", closesAt, category, ...extra },
      { token },
    );
    if (response.status !== 201) throw new Error(`create failed: ${response.status} ${response.text}`);
    return String(response.body.data.id);
  };
  // A few markets from two creators, a position, and profiles, so every list has something to show.
  await client.put("/api/me", { displayName: "Alice" }, { token: alice });
  const ids: string[] = [];
  for (let i = 0; i < 6; i++) ids.push(await create(i % 2 === 0 ? alice : bob));
  const market = ids[0] as string;
  await client.post(`/api/markets/${market}/positions`, { side: "yes", amount: 5 }, { token: bob });
  const aliceId = `alice-${stamp}`;
  // Writes by a user this execution environment has not seen yet: the worst case (profile to ensure).
  let newcomers = 0;
  const newcomer = () => signToken({ sub: `newcomer-${stamp}-${newcomers++}`, role: "user" });

  let fresh = "";
  const scenarios: Scenario[] = [
    {
      request: "GET one market (first read)",
      targetCalls: 3,
      targetSequential: 2,
      // A position drops the market from the cache: the next GET reads the table.
      prepare: async () => {
        fresh = ids[2] as string;
        await client.get(`/api/markets/${fresh}`);
        await client.post(`/api/markets/${fresh}/positions`, { side: "yes", amount: 1 }, { token: bob });
      },
      run: () => client.get(`/api/markets/${fresh}`),
    },
    {
      request: "GET one market (cached)",
      targetCalls: 2,
      targetSequential: 1,
      prepare: () => client.get(`/api/markets/${market}`),
      run: () => client.get(`/api/markets/${market}`),
    },
    ...[5, 20, 100].map((limit) => ({
      request: `list, default filter, limit ${limit}`,
      targetCalls: 5,
      targetSequential: 2,
      run: () => client.get(`/api/markets?limit=${limit}`),
    })),
    {
      request: "list, fields=id,name",
      targetCalls: 4,
      targetSequential: 1,
      run: () => client.get("/api/markets?fields=id,name"),
    },
    {
      request: "list by category, sort=volume",
      targetCalls: 5,
      targetSequential: 2,
      run: () => client.get(`/api/markets?category=${category}&sort=volume`),
    },
    {
      request: "list by creator, sort=closesAt",
      targetCalls: 5,
      targetSequential: 2,
      run: () => client.get(`/api/markets?creatorId=${aliceId}&sort=closesAt`),
    },
    {
      request: "list by category, fields=id,name",
      targetCalls: 4,
      targetSequential: 1,
      run: () => client.get(`/api/markets?category=${category}&fields=id,name`),
    },
    {
      request: "create",
      targetCalls: 3,
      targetSequential: 2,
      run: async () =>
        client.post(
          "/api/markets",
          { name: "A market to count", closesAt, category },
          { token: await newcomer() },
        ),
    },
    {
      request: "create with initialPosition",
      targetCalls: 3,
      targetSequential: 2,
      run: async () =>
        client.post(
          "/api/markets",
          { name: "A market to count", closesAt, initialPosition: { side: "no", amount: 2 } },
          { token: await newcomer() },
        ),
    },
    {
      request: "PATCH",
      targetCalls: 4,
      targetSequential: 3,
      run: () => client.patch(`/api/markets/${market}`, { name: "Renamed for counting" }, { token: alice }),
    },
    {
      request: "PUT",
      targetCalls: 4,
      targetSequential: 3,
      run: () =>
        client.put(
          `/api/markets/${market}`,
          { name: "Replaced for counting", description: "", closesAt, status: "active", category },
          { token: alice },
        ),
    },
    {
      request: "open a position",
      targetCalls: 3,
      targetSequential: 3,
      run: async () =>
        client.post(
          `/api/markets/${ids[1]}/positions`,
          { side: "no", amount: 1 },
          { token: await newcomer() },
        ),
    },
    {
      request: "positions of a market",
      targetCalls: 4,
      targetSequential: 2,
      run: () => client.get(`/api/markets/${market}/positions`),
    },
    {
      request: "my positions",
      targetCalls: 3,
      targetSequential: 2,
      run: () => client.get("/api/me/positions", { token: bob }),
    },
    {
      request: "PUT /api/me",
      targetCalls: 2,
      targetSequential: 2,
      run: () => client.put("/api/me", { displayName: "Alice again" }, { token: alice }),
    },
    {
      request: "re-index (admin)",
      targetCalls: 2,
      targetSequential: 1,
      run: () => client.post(`/api/markets/${market}/index`, undefined, { token: admin }),
    },
    {
      request: "search",
      targetCalls: 4,
      targetSequential: 2,
      run: () => client.get("/api/markets/search?q=round%20trips"),
    },
  ];

  const rows: RoundTripRow[] = [];
  for (const scenario of scenarios) {
    await scenario.prepare?.();
    // Once to warm the bundle (its first call opens connections), then the measured request.
    if (!scenario.request.startsWith("GET one market (first")) await scenario.run();
    else await client.get(`/api/markets/${market}`);
    const started = performance.now();
    const { result, calls } = await recorder.record(scenario.run);
    rows.push(rowOf(scenario, result.status, calls, performance.now() - started));
  }
  return rows;
}

function rowOf(scenario: Scenario, status: number, calls: RecordedCall[], ms: number): RoundTripRow {
  const units = calls.map(capacityOf);
  return {
    readUnits: units.reduce((sum, unit) => sum + unit.read, 0),
    writeUnits: units.reduce((sum, unit) => sum + unit.write, 0),
    ms,
    request: scenario.request,
    calls: calls.length,
    sequential: sequentialDepth(calls),
    targetCalls: scenario.targetCalls,
    targetSequential: scenario.targetSequential,
    operations: [...calls]
      .sort((a, b) => a.started - b.started)
      .map((call) => call.operation)
      .join(", "),
    status,
  };
}
