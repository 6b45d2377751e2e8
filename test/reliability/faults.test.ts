/**
 * Fault injection with real outages of real dependencies, one local cloud on dependencies of its
 * own that the test stops and starts on the same endpoints:
 * - DynamoDB Local stopped in the middle of a burst of positions: every answer is a 201 or the
 *   503 UNAVAILABLE envelope (never a 500), no transaction is half applied, and once it is back the
 *   same bundles serve again, with no restart.
 * - Redis stopped: reads and writes degrade to the table, and nothing stale is served after it returns.
 * - The queue stopped: writes still succeed; once it is back, the documented catch-up
 *   (scripts/reindex-stale.ts) queues what was missed and the worker indexes it.
 */
import { spawn } from "node:child_process";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type LocalCloud, startLocalCloud } from "../../infra/local/local-cloud.ts";
import { type ApiClient, api, marketBody, newUser, type TestUser } from "../support/api-client.ts";
import { contractViolations } from "../support/contract-checks.ts";
import { uniqueName } from "../support/local-cloud.ts";
import { type RawResponse, sendRaw } from "../support/raw-http.ts";
import {
  type Restartable,
  redisServerInstalled,
  restartableDynamoDb,
  restartableRedis,
  restartableSqs,
} from "../support/restartable-services.ts";

const withRedis = redisServerInstalled() || process.env.REQUIRE_REDIS === "1";
let dynamo: Restartable;
let sqs: Restartable;
let redis: Restartable | undefined;
let cloud: LocalCloud;
let client: ApiClient;
let user: TestUser;
const survived: string[] = [];

beforeAll(async () => {
  const name = uniqueName("faults");
  const queues = { queueName: `${name}-index`, dlqName: `${name}-index-dlq` };
  [dynamo, sqs, redis] = await Promise.all([
    restartableDynamoDb(),
    restartableSqs(queues),
    withRedis ? restartableRedis() : Promise.resolve(undefined),
  ]);
  cloud = await startLocalCloud({
    dynamodbEndpoint: dynamo.endpoint,
    sqsEndpoint: sqs.endpoint,
    ...queues,
    tableName: name,
    dataDir: "memory",
    startPoller: false,
    env: {
      RATE_LIMIT_READS_PER_MINUTE: "100000",
      RATE_LIMIT_WRITES_PER_MINUTE: "100000",
      // The outages below are logged as errors by design; keep the report readable.
      POWERTOOLS_LOG_LEVEL: "CRITICAL",
      ...(redis ? { CACHE_DRIVER: "redis", REDIS_URL: redis.endpoint } : {}),
    },
  });
  client = api(cloud);
  user = await newUser("user");
}, 120_000);

afterAll(async () => {
  console.info(`[faults] survived: ${survived.join("; ")}`);
  await cloud?.stop();
  await Promise.all([dynamo?.dispose(), sqs?.dispose(), redis?.dispose()]);
});

const expectContract = (response: RawResponse) =>
  expect(contractViolations(response, { allowUnavailable: true }), response.text).toEqual([]);

const cents = (value: number) => Math.round(value * 100);

describe("DynamoDB Local stopped mid-run", () => {
  it("answers 201 or 503 UNAVAILABLE, applies no transaction by halves, and recovers without a restart", async () => {
    const created = await client.post("/api/markets", marketBody(), { token: user.token });
    expect(created.status).toBe(201);
    const id = created.body.data.id as string;
    const traders = await Promise.all(Array.from({ length: 12 }, () => newUser("user")));

    // A burst of positions, with the database stopped while it runs.
    const position = (trader: TestUser, index: number) =>
      sendRaw(cloud.url, {
        method: "POST",
        path: `/api/markets/${id}/positions`,
        headers: [
          ["authorization", `Bearer ${trader.token}`],
          ["content-type", "application/json"],
        ],
        body: Buffer.from(JSON.stringify({ side: index % 2 ? "yes" : "no", amount: 1 + (index % 5) })),
      });
    const burst = Array.from({ length: 48 }, (_, index) => ({
      trader: traders[index % 12] as TestUser,
      index,
    }));
    // The database goes down as soon as the first position is acknowledged, the rest still in flight.
    let outage: Promise<void> | undefined;
    const answers = await Promise.all(
      burst.map(async ({ trader, index }) => {
        const answer = await position(trader, index);
        if (answer.status === 201) outage ??= dynamo.stop();
        return answer;
      }),
    );
    await (outage ?? dynamo.stop());
    for (const answer of answers) {
      expect([201, 503]).toContain(answer.status);
      expectContract(answer);
    }

    // While it is down: the documented envelope on reads and writes, never a 500.
    const down = await Promise.all([
      sendRaw(cloud.url, { method: "GET", path: "/api/markets" }),
      sendRaw(cloud.url, { method: "GET", path: `/api/markets/${id}/positions` }),
      position(user, 1),
      sendRaw(cloud.url, {
        method: "PUT",
        path: "/api/me",
        headers: [
          ["authorization", `Bearer ${user.token}`],
          ["content-type", "application/json"],
        ],
        body: Buffer.from('{"displayName":"During the outage"}'),
      }),
    ]);
    for (const answer of down) {
      expect(answer.status).toBe(503);
      expect(answer.json).toMatchObject({ success: false, code: "UNAVAILABLE" });
      expectContract(answer);
    }
    expect((await sendRaw(cloud.url, { method: "GET", path: "/api/health" })).status).toBe(200);

    // Back on the same endpoint: the same warm bundles serve again.
    await dynamo.start();
    const market = await client.get(`/api/markets/${id}`);
    expect(market.status).toBe(200);
    const positions = await client.get(`/api/markets/${id}/positions?limit=100`);
    expect(positions.status).toBe(200);
    // Each transaction wrote both items or neither: the market's totals are its positions' sums...
    const items = positions.body.data as { yesAmount: number; noAmount: number }[];
    const yes = items.reduce((sum, item) => sum + cents(item.yesAmount), 0);
    const no = items.reduce((sum, item) => sum + cents(item.noAmount), 0);
    expect(cents(market.body.data.yesVolume)).toBe(yes);
    expect(cents(market.body.data.noVolume)).toBe(no);
    expect(cents(market.body.data.volume)).toBe(yes + no);
    // ...and none that was acknowledged is missing (a 503 may still have committed).
    const acknowledged = answers
      .map((answer, index) => (answer.status === 201 ? 1 + (index % 5) : 0))
      .reduce((sum, amount) => sum + cents(amount), 0);
    expect(yes + no).toBeGreaterThanOrEqual(acknowledged);
    const after = await client.post(
      `/api/markets/${id}/positions`,
      { side: "yes", amount: 1 },
      { token: user.token },
    );
    expect(after.status).toBe(201);
    const ok = answers.filter((answer) => answer.status === 201).length;
    survived.push(
      `DynamoDB stopped mid-burst (${ok} × 201, ${answers.length - ok} × 503, ${down.length} × 503 while down)`,
    );
  }, 120_000);
});

describe.runIf(withRedis)("Redis stopped", () => {
  it("degrades to the table and serves nothing stale once it returns", async () => {
    const created = await client.post("/api/markets", marketBody({ name: "Before the cache outage" }), {
      token: user.token,
    });
    const id = created.body.data.id as string;
    expect((await client.get(`/api/markets/${id}`)).status).toBe(200); // now cached
    await redis?.stop();
    const rename = await client.patch(
      `/api/markets/${id}`,
      { name: "During the cache outage" },
      { token: user.token },
    );
    expect(rename.status).toBe(200);
    const during = await client.get(`/api/markets/${id}`);
    expect(during.status).toBe(200);
    expect(during.body.data.name).toBe("During the cache outage");
    expect((await client.get("/api/markets?limit=5")).status).toBe(200);
    await redis?.start();
    const back = await client.get(`/api/markets/${id}`);
    expect(back.status).toBe(200);
    expect(back.body.data.name).toBe("During the cache outage");
    await client.patch(`/api/markets/${id}`, { name: "After the cache outage" }, { token: user.token });
    expect((await client.get(`/api/markets/${id}`)).body.data.name).toBe("After the cache outage");
    survived.push("Redis stopped and restarted (reads and writes from the table, nothing stale)");
  }, 60_000);
});

/** The catch-up a deployment runs after a queue outage, with the cloud's environment. */
function runCatchUp(env: Readonly<Record<string, string>>): Promise<string> {
  const script = join(import.meta.dirname, "..", "..", "scripts", "reindex-stale.ts");
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ["--import", "tsx", script], {
      env: { ...process.env, ...env, POWERTOOLS_LOG_LEVEL: "CRITICAL" },
      stdio: ["ignore", "pipe", "inherit"],
    });
    let output = "";
    child.stdout.on("data", (chunk: Buffer) => {
      output += chunk.toString();
    });
    child.on("error", reject);
    child.on("exit", (code) =>
      code === 0 ? resolve(output.trim()) : reject(new Error(`catch-up exited ${code}`)),
    );
  });
}

describe("the queue stopped", () => {
  it("keeps writes succeeding, and indexing catches up once it is back", async () => {
    await cloud.poller.drain(); // earlier markets indexed, so only the outage's are missing
    await sqs.stop();
    const word = `quokka${Date.now().toString(36)}`;
    const created = await Promise.all(
      [1, 2, 3].map((n) =>
        client.post("/api/markets", marketBody({ name: `Will the ${word} number ${n} win?` }), {
          token: user.token,
        }),
      ),
    );
    for (const answer of created) expect(answer.status).toBe(201);
    await sqs.start();
    const report = await runCatchUp(cloud.env);
    expect(report).toMatch(/queued [1-9]\d* index jobs/);
    await cloud.poller.drain();
    const ids = created.map((answer) => answer.body.data.id as string).sort();
    let found: string[] = [];
    for (let attempt = 0; attempt < 60 && found.length < 3; attempt++) {
      const search = await client.get(`/api/markets/search?q=${word}&limit=10`);
      expect(search.status).toBe(200);
      found = (search.body.data as { id: string }[])
        .map((market) => market.id)
        .filter((id) => ids.includes(id));
      if (found.length < 3) await new Promise((resolve) => setTimeout(resolve, 250));
    }
    expect(found.sort()).toEqual(ids);
    survived.push(`queue stopped (3 × 201 during the outage; catch-up "${report}", all 3 searchable)`);
  }, 90_000);
});
