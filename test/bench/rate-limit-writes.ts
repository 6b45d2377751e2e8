/**
 * The rate limiter's DynamoDB writes per 1,000 requests: one UpdateItem per request (how the limiter
 * counted before leasing, the baseline) against leases per execution environment, both in the same
 * run against DynamoDB Local, through a counting proxy that asks for `ReturnConsumedCapacity`. Each
 * workload spreads its requests evenly over one or more simulated 60-second windows (the limiter's
 * clock is simulated, the table is real), over one or several environments, each with its own client and
 * limiter. Default limits: 100 reads and 20 writes per minute.
 *
 *   npx tsx test/bench/rate-limit-writes.ts [--short]
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import { ensureTable } from "../../infra/local/create-table.ts";
import { startDynamoDbLocal } from "../../infra/local/dynamodb-local.ts";
import { LOCAL_CREDENTIALS, LOCAL_REGION } from "../../infra/local/local-env.ts";
import { DynamoRateLimitStore } from "../../shared/repositories/dynamo-rate-limit-store.ts";
import type { Budget } from "../../shared/services/rate-limiter.ts";
import { RateLimiter } from "../../shared/services/rate-limiter.ts";
import { seededRandom } from "../support/seeded-random.ts";
import { capacityOf, startCallRecorder } from "./dynamo-call-recorder.ts";

const short = process.argv.includes("--short") || process.env.BENCH_SHORT === "1";
const LIMITS = { read: 100, write: 20 };
const TABLE = "bench-rate-limit";
const WINDOW_MS = 60_000;

interface Workload {
  name: string;
  budget: Budget;
  environments: number;
  callers: number;
  /** Requests per caller and window. */
  perCaller: number;
  /** Consecutive windows the requests are spread over (default 1). */
  windows?: number;
  /** Requests in flight at once on one environment (Lambda Managed Instances: up to 64). */
  concurrency: number;
}

const scale = (n: number) => (short ? Math.max(1, Math.round(n / 5)) : n);
const WORKLOADS: Workload[] = [
  {
    name: "one caller, one request",
    budget: "read",
    environments: 1,
    callers: 1,
    perCaller: 1,
    concurrency: 1,
  },
  {
    name: "one caller at the limit, 1 env",
    budget: "read",
    environments: 1,
    callers: 1,
    perCaller: 100,
    concurrency: 1,
  },
  {
    name: "one caller at the limit, 4 envs",
    budget: "read",
    environments: 4,
    callers: 1,
    perCaller: 100,
    concurrency: 1,
  },
  {
    name: "one caller at 3× the limit, 4 envs",
    budget: "read",
    environments: 4,
    callers: 1,
    perCaller: 300,
    concurrency: 1,
  },
  {
    name: "one caller at 80 % of the limit, 4 envs",
    budget: "read",
    environments: 4,
    callers: 1,
    perCaller: 80,
    concurrency: 1,
  },
  {
    name: `${scale(200)} callers × 5 requests, 4 envs`,
    budget: "read",
    environments: 4,
    callers: scale(200),
    perCaller: 5,
    concurrency: 1,
  },
  {
    name: `${scale(50)} callers × 30 requests, 8 envs`,
    budget: "read",
    environments: 8,
    callers: scale(50),
    perCaller: 30,
    concurrency: 1,
  },
  {
    name: "3 windows: one caller at 30/min, 4 envs",
    budget: "read",
    environments: 4,
    callers: 1,
    perCaller: 30,
    windows: 3,
    concurrency: 1,
  },
  {
    name: `3 windows: ${scale(50)} callers at 10/min, 4 envs`,
    budget: "read",
    environments: 4,
    callers: scale(50),
    perCaller: 10,
    windows: 3,
    concurrency: 1,
  },
  {
    name: "one caller, 64 at once on 1 env",
    budget: "read",
    environments: 1,
    callers: 1,
    perCaller: 400,
    concurrency: 64,
  },
  {
    name: "writes: one caller at the limit, 2 envs",
    budget: "write",
    environments: 2,
    callers: 1,
    perCaller: 20,
    concurrency: 1,
  },
];

const dynamo = await startDynamoDbLocal({ dataDir: "memory" });
const recorder = await startCallRecorder(dynamo.endpoint, { consumedCapacity: true });
const clients: DynamoDBClient[] = [];
const newClient = () => {
  const client = new DynamoDBClient({
    endpoint: recorder.endpoint,
    region: LOCAL_REGION,
    credentials: LOCAL_CREDENTIALS,
  });
  clients.push(client);
  return client;
};

type Mode = "per request" | "leases";

/** One environment's limiter: the baseline counts each request with its own UpdateItem. */
function limiterFor(mode: Mode, store: DynamoRateLimitStore, now: () => number) {
  if (mode === "leases") return new RateLimiter({ store, limits: LIMITS, now });
  return {
    consume: async (caller: string, budget: Budget) => {
      const nowSeconds = now() / 1000;
      const windowStart = Math.floor(nowSeconds / 60) * 60;
      const hits = await store.hit(budget, caller, windowStart, 60);
      return { allowed: hits <= LIMITS[budget] };
    },
  };
}

async function run(workload: Workload, mode: Mode, stamp: string) {
  const windowStart = Math.floor(Date.now() / WINDOW_MS) * WINDOW_MS;
  const span = (workload.windows ?? 1) * WINDOW_MS;
  let clock = windowStart;
  const environments = Array.from({ length: workload.environments }, () => {
    const db = DynamoDBDocumentClient.from(newClient());
    const store = new DynamoRateLimitStore({ table: TABLE, db, timeoutMs: 10_000, coldTimeoutMs: 10_000 });
    return limiterFor(mode, store, () => clock);
  });
  const random = seededRandom(7);
  // Every caller's requests, shuffled together, spread evenly over the window.
  const requests = random.shuffle(
    Array.from(
      { length: workload.callers * workload.perCaller * (workload.windows ?? 1) },
      (_, i) => `${stamp}-${i % workload.callers}`,
    ),
  );
  let allowed = 0;
  const { calls } = await recorder.record(async () => {
    for (let i = 0; i < requests.length; i += workload.concurrency) {
      clock = windowStart + Math.floor(((i + 0.5) / requests.length) * (span - 1));
      const batch = requests.slice(i, i + workload.concurrency);
      const decisions = await Promise.all(
        batch.map((caller) =>
          (environments[random.int(environments.length)] as (typeof environments)[number]).consume(
            caller,
            workload.budget,
          ),
        ),
      );
      allowed += decisions.filter((d) => d.allowed).length;
    }
  });
  const updates = calls.filter((call) => call.operation === "UpdateItem");
  const wcu = updates.reduce((sum, call) => sum + capacityOf(call).write, 0);
  return { requests: requests.length, allowed, updates: updates.length, wcu };
}

try {
  await ensureTable(newClient(), TABLE);
  const rows = [];
  for (const [index, workload] of WORKLOADS.entries()) {
    console.log(`[rate-limit-writes] ${index + 1}/${WORKLOADS.length} ${workload.name}`);
    const before = await run(workload, "per request", `w${index}-before-${Date.now()}`);
    const after = await run(workload, "leases", `w${index}-after-${Date.now()}`);
    const perThousand = (n: number, of: number) => Math.round((n / of) * 1000);
    rows.push({
      workload: workload.name,
      requests: before.requests,
      "allowed (before)": before.allowed,
      "allowed (leases)": after.allowed,
      "UpdateItem (before)": before.updates,
      "UpdateItem (leases)": after.updates,
      "WCU (before)": before.wcu,
      "WCU (leases)": after.wcu,
      "writes/1,000 (before)": perThousand(before.updates, before.requests),
      "writes/1,000 (leases)": perThousand(after.updates, after.requests),
      "× before": (after.wcu / before.wcu).toFixed(2),
    });
  }
  console.table(rows);
  const out = join(import.meta.dirname, "results");
  mkdirSync(out, { recursive: true });
  writeFileSync(
    join(out, "rate-limit-writes.json"),
    `${JSON.stringify({ date: new Date().toISOString(), short, limits: LIMITS, rows }, null, 2)}\n`,
  );
} finally {
  for (const client of clients) client.destroy();
  await recorder.stop();
  await dynamo.stop();
}
