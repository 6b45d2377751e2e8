/**
 * Warm overhead: median microseconds per invocation of each route's real bundle (dist/functions/*)
 * and of the Express lambdalith, over the bare GetItem handler (dist/baseline/bare-get-item), with
 * DynamoDB stubbed and one token repeated on every request. Each target runs in its own process
 * (a clean module graph, as one execution environment), rounds interleaved, so machine noise
 * spreads over all of them; the baseline is measured in the same run.
 *
 * DynamoDB is dynamo-stub.ts: canned answers given where the SDK would send its signed request, so
 * the network and DynamoDB cost nothing while every call still costs what the SDK spends on it on
 * our side (build, serialise, sign, parse): a route that makes more calls than the baseline pays
 * for them here. Rows without a token and without the rate limiter separate what token
 * verification and the limiter's call cost.
 *
 *   npm run build && npx tsx test/bench/warm-overhead.ts [rounds] [invocations]
 *   BENCH_PROFILE=markets-get npx tsx test/bench/warm-overhead.ts   # + a CPU profile of that row
 *   BENCH_ONLY="baseline (bare GetItem)|markets-get" npx tsx test/bench/warm-overhead.ts   # some rows
 */
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readdirSync, writeFileSync, writeSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import type { APIGatewayProxyEventV2, Context } from "aws-lambda";
import { build } from "esbuild";
import { buildLambdalith, LAMBDALITH_DIR } from "./lambdalith.ts";
import { median } from "./stats.ts";

const ROOT = join(import.meta.dirname, "..", "..");
const RESULTS = join(ROOT, "test", "bench", "results");
const MARKET_ID = "01JBENCHMARKET000000000000";
const USER_ID = "bench-user-1";
const SECRET = "warm-overhead-benchmark-secret-0123456789";

interface Scenario {
  /** The row's name. */
  name: string;
  /** `baseline`, `lambdalith` or a bundle name under dist/functions/. */
  bundle: string;
  method: string;
  routeKey: string;
  path: string;
  pathParameters?: Record<string, string>;
  query?: Record<string, string>;
  body?: unknown;
  token: boolean;
  env?: Record<string, string>;
  /** The row this one is compared with besides the baseline (the lambdalith's equivalent). */
  lambdalithOf?: string;
}

const get = { method: "GET", routeKey: "GET /api/markets/{id}", path: `/api/markets/${MARKET_ID}` };
const getParams = { pathParameters: { id: MARKET_ID } };
const list = { method: "GET", routeKey: "GET /api/markets", path: "/api/markets", query: { limit: "20" } };
const positions = {
  method: "GET",
  routeKey: "GET /api/markets/{id}/positions",
  path: `/api/markets/${MARKET_ID}/positions`,
  ...getParams,
};
const open = {
  method: "POST",
  routeKey: "POST /api/markets/{id}/positions",
  path: `/api/markets/${MARKET_ID}/positions`,
  ...getParams,
  body: { side: "yes", amount: 10 },
};
const create = {
  method: "POST",
  routeKey: "POST /api/markets",
  path: "/api/markets",
  body: { name: "Will the benchmark finish in time?", closesAt: "2030-01-01T00:00:00.000Z" },
};
const health = { method: "GET", routeKey: "GET /api/health", path: "/api/health" };
const mine = { method: "GET", routeKey: "GET /api/me/positions", path: "/api/me/positions" };
const profile = { method: "PUT", routeKey: "PUT /api/me", path: "/api/me", body: { displayName: "Bench" } };

const SCENARIOS: Scenario[] = [
  { name: "baseline (bare GetItem)", bundle: "baseline", ...get, ...getParams, token: false },
  { name: "markets-get", bundle: "markets-get", ...get, ...getParams, token: true },
  { name: "markets-get, no token", bundle: "markets-get", ...get, ...getParams, token: false },
  {
    name: "markets-get, limiter off",
    bundle: "markets-get",
    ...get,
    ...getParams,
    token: true,
    env: { RATE_LIMIT_ENABLED: "false" },
  },
  { name: "markets-list", bundle: "markets-list", ...list, token: true },
  { name: "positions-list-for-market", bundle: "positions-list-for-market", ...positions, token: true },
  { name: "me-positions", bundle: "me-positions", ...mine, token: true },
  { name: "system-health", bundle: "system-health", ...health, token: false },
  { name: "markets-create", bundle: "markets-create", ...create, token: true },
  { name: "positions-open", bundle: "positions-open", ...open, token: true },
  { name: "me-update-profile", bundle: "me-update-profile", ...profile, token: true },
  {
    name: "lambdalith: GET market",
    bundle: "lambdalith",
    ...get,
    ...getParams,
    token: true,
    lambdalithOf: "markets-get",
  },
  { name: "lambdalith: list", bundle: "lambdalith", ...list, token: true, lambdalithOf: "markets-list" },
  {
    name: "lambdalith: health",
    bundle: "lambdalith",
    ...health,
    token: false,
    lambdalithOf: "system-health",
  },
  {
    name: "lambdalith: create",
    bundle: "lambdalith",
    ...create,
    token: true,
    lambdalithOf: "markets-create",
  },
];

interface Measurement {
  name: string;
  status: number;
  /** CPU time (user + system, every thread) per invocation, one mean per batch. */
  cpuUs: number[];
  /** The same for the bare baseline, in batches alternating with the target's. */
  baselineCpuUs: number[];
  /** Wall time of each invocation. */
  wallUs: number[];
  callsPerInvocation: number;
}

/** Invocations per CPU-time sample: process.cpuUsage() has microsecond resolution. */
const BATCH = 20;

function bundleFile(bundle: string): string {
  if (bundle === "baseline") return join(ROOT, "dist", "baseline", "bare-get-item", "index.mjs");
  if (bundle === "lambdalith") return join(LAMBDALITH_DIR, "index.mjs");
  return join(ROOT, "dist", "functions", bundle, "index.mjs");
}

function eventOf(scenario: Scenario, token: string | undefined, n: number): APIGatewayProxyEventV2 {
  const query = scenario.query ?? {};
  const rawQueryString = new URLSearchParams(query).toString();
  const body = scenario.body === undefined ? undefined : JSON.stringify(scenario.body);
  const now = Date.now();
  return {
    version: "2.0",
    routeKey: scenario.routeKey,
    rawPath: scenario.path,
    rawQueryString,
    headers: {
      host: "api.example.com",
      "user-agent": "warm-overhead-bench",
      accept: "application/json",
      ...(token ? { authorization: `Bearer ${token}` } : {}),
      ...(body ? { "content-type": "application/json", "content-length": String(body.length) } : {}),
    },
    ...(rawQueryString ? { queryStringParameters: query } : {}),
    ...(scenario.pathParameters ? { pathParameters: scenario.pathParameters } : {}),
    requestContext: {
      accountId: "123456789012",
      apiId: "bench",
      domainName: "api.example.com",
      domainPrefix: "api",
      http: {
        method: scenario.method,
        path: scenario.path,
        protocol: "HTTP/1.1",
        sourceIp: "203.0.113.7",
        userAgent: "warm-overhead-bench",
      },
      requestId: `bench-${n}`,
      routeKey: scenario.routeKey,
      stage: "$default",
      time: new Date(now).toUTCString(),
      timeEpoch: now,
    },
    ...(body ? { body, isBase64Encoded: false } : { isBase64Encoded: false }),
  } as APIGatewayProxyEventV2;
}

function contextOf(n: number): Context {
  const deadline = Date.now() + 29_000;
  return {
    callbackWaitsForEmptyEventLoop: false,
    functionName: "bench",
    functionVersion: "$LATEST",
    invokedFunctionArn: "arn:aws:lambda:us-east-1:123456789012:function:bench",
    memoryLimitInMB: "512",
    awsRequestId: `bench-${n}`,
    logGroupName: "/aws/lambda/bench",
    logStreamName: "bench",
    getRemainingTimeInMillis: () => deadline - Date.now(),
    done: () => {},
    fail: () => {},
    succeed: () => {},
  };
}

type Handler = (event: APIGatewayProxyEventV2, context: Context) => Promise<{ statusCode: number }>;

/** CPU time (user + system, every thread) per invocation over one batch, in microseconds. */
async function cpuPerInvocation(
  handler: Handler,
  scenario: Scenario,
  token: string | undefined,
): Promise<number> {
  const cpu = process.cpuUsage();
  for (let n = 0; n < BATCH; n++) await handler(eventOf(scenario, token, n), contextOf(n));
  const used = process.cpuUsage(cpu);
  return (used.user + used.system) / BATCH;
}

/**
 * One execution environment: the target and the bare baseline imported side by side (each bundle
 * has its own SDK and state), warmed up, then timed in alternating batches, so that both see the
 * same moment of a shared machine and the overhead is a median of paired differences.
 */
async function child(scenario: Scenario, invocations: number): Promise<void> {
  const { installDynamoStub } = await import("./dynamo-stub.ts");
  const { signToken } = await import("../../infra/local/sign-token.ts");
  const stub = installDynamoStub();
  Object.assign(process.env, {
    TABLE_NAME: "bench",
    AWS_REGION: "us-east-1",
    AWS_ACCESS_KEY_ID: "bench",
    AWS_SECRET_ACCESS_KEY: "bench",
    JWT_SECRET: SECRET,
    CACHE_DRIVER: "memory",
    RATE_LIMIT_READS_PER_MINUTE: "100000000",
    RATE_LIMIT_WRITES_PER_MINUTE: "100000000",
    // As deployed: one INFO line per request, to stdout (discarded by the parent here).
    POWERTOOLS_LOG_LEVEL: "INFO",
    POWERTOOLS_DEV: "false",
    AWS_LAMBDA_FUNCTION_NAME: "bench",
    ...scenario.env,
  });
  const token = scenario.token ? await signToken({ sub: USER_ID, role: "user", secret: SECRET }) : undefined;
  const load = async (bundle: string) =>
    ((await import(pathToFileURL(bundleFile(bundle)).href)) as { handler: Handler }).handler;
  const target = await load(scenario.bundle);
  const baseline = scenario.bundle === "baseline" ? target : await load("baseline");
  const bare = SCENARIOS[0] as Scenario;

  let status = 0;
  // A warm environment on Lambda has served thousands of requests: V8 has optimised the hot path by
  // then. A few hundred leave both handlers in the interpreter and measure tier-up, not steady state.
  const warmup = Math.max(process.env.BENCH_SHORT === "1" ? 300 : 3000, invocations);
  for (let n = 0; n < warmup; n++) {
    status = (await target(eventOf(scenario, token, n), contextOf(n))).statusCode;
    await baseline(eventOf(bare, undefined, n), contextOf(n));
  }
  const before = [...stub.calls.values()].reduce((a, b) => a + b, 0);
  const targetCpu: number[] = [];
  const baselineCpu: number[] = [];
  const wallUs: number[] = [];
  const batches = Math.ceil(invocations / BATCH);
  for (let batch = 0; batch < batches; batch++) {
    // Alternate which goes first, so neither always runs right after a collection the other caused.
    if (batch % 2 === 0) {
      targetCpu.push(await cpuPerInvocation(target, scenario, token));
      baselineCpu.push(await cpuPerInvocation(baseline, bare, undefined));
    } else {
      baselineCpu.push(await cpuPerInvocation(baseline, bare, undefined));
      targetCpu.push(await cpuPerInvocation(target, scenario, token));
    }
  }
  const targetCalls = [...stub.calls.values()].reduce((a, b) => a + b, 0) - before - batches * BATCH;
  for (let n = 0; n < BATCH * 5; n++) {
    const started = performance.now();
    await target(eventOf(scenario, token, n), contextOf(n));
    wallUs.push((performance.now() - started) * 1000);
  }
  const result: Measurement = {
    name: scenario.name,
    status,
    cpuUs: targetCpu,
    baselineCpuUs: baselineCpu,
    wallUs,
    callsPerInvocation: targetCalls / (batches * BATCH),
  };
  writeSync(3, JSON.stringify(result));
  process.exit(0);
}

/**
 * This file bundled for the measuring processes: plain Node starts them in a fraction of the time
 * tsx takes, which is most of this benchmark's run time. dist/bench/ is two levels below the root,
 * like test/bench/, so the paths above hold in both.
 */
const CHILD = join(ROOT, "dist", "bench", "warm-overhead.mjs");

async function buildChild(): Promise<void> {
  await build({
    entryPoints: [import.meta.filename],
    outfile: CHILD,
    bundle: true,
    format: "esm",
    platform: "node",
    target: "node20",
    external: ["esbuild"],
    banner: {
      js: 'import { createRequire as __createRequire } from "node:module"; const require = __createRequire(import.meta.url);',
    },
    logLevel: "warning",
  });
}

function measure(scenario: Scenario, invocations: number, profileDir?: string): Measurement {
  const child = spawnSync(
    process.execPath,
    [
      ...(profileDir ? ["--cpu-prof", "--cpu-prof-dir", profileDir] : []),
      CHILD,
      "--child",
      JSON.stringify(scenario),
      String(invocations),
    ],
    {
      // Logs (stdout) are discarded, as Lambda ships them elsewhere; the result comes on fd 3.
      stdio: ["ignore", "ignore", "inherit", "pipe"],
      env: { ...process.env, AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: "true" },
      maxBuffer: 64 * 1024 * 1024,
    },
  );
  if (child.status !== 0)
    throw new Error(`${scenario.name}: the measuring process exited with ${child.status}`);
  return JSON.parse(String(child.output[3])) as Measurement;
}

async function main(): Promise<void> {
  const short = process.env.BENCH_SHORT === "1";
  // One round is enough for a stable median: each process times the baseline beside its target, so
  // the paired differences already share the machine's moment. More rounds: pass them.
  const rounds = Number(process.argv[2] ?? 1);
  const invocations = Number(process.argv[3] ?? (short ? 200 : 3000));
  await Promise.all([buildLambdalith(), buildChild()]);
  // Short mode (CI) keeps one route, its lambdalith equivalent and the baseline: enough to keep
  // the benchmark from rotting, in a few seconds.
  const only =
    process.env.BENCH_ONLY?.split("|") ??
    (short ? ["baseline (bare GetItem)", "markets-get", "lambdalith: GET market"] : undefined);
  const scenarios = SCENARIOS.filter(
    (scenario) => existsSync(bundleFile(scenario.bundle)) && (!only || only.includes(scenario.name)),
  );
  const samples = new Map<string, Measurement[]>(scenarios.map((s) => [s.name, []]));
  for (let round = 0; round < rounds; round++) {
    scenarios.forEach((scenario, i) => {
      process.stderr.write(
        `\r[warm-overhead] round ${round + 1}/${rounds}, ${i + 1}/${scenarios.length} ${scenario.name}      `,
      );
      samples.get(scenario.name)?.push(measure(scenario, invocations));
    });
  }
  process.stderr.write("\n");

  let profile: string | undefined;
  const profiled = process.env.BENCH_PROFILE;
  const profileScenario = scenarios.find((s) => s.name === profiled);
  if (profileScenario) {
    const dir = join(RESULTS, "profiles");
    mkdirSync(dir, { recursive: true });
    measure(profileScenario, invocations * 4, dir);
    profile = readdirSync(dir)
      .filter((f) => f.endsWith(".cpuprofile"))
      .sort()
      .at(-1);
  }

  const runsOf = (name: string) => samples.get(name) ?? [];
  const cpuOf = (name: string) => median(runsOf(name).flatMap((m) => m.cpuUs));
  /** The median of target − baseline over batch pairs measured side by side. */
  const overheadOf = (name: string) =>
    median(runsOf(name).flatMap((m) => m.cpuUs.map((us, i) => us - (m.baselineCpuUs[i] ?? us))));
  const baselineUs = median(scenarios.flatMap((s) => runsOf(s.name).flatMap((m) => m.baselineCpuUs)));
  const rows = scenarios.map((scenario) => {
    const runs = runsOf(scenario.name);
    const us = cpuOf(scenario.name);
    const overhead = overheadOf(scenario.name);
    const lambdalith = scenarios.find(
      (other) => other.lambdalithOf === scenario.bundle && !scenario.env && scenario.token === other.token,
    );
    const isBaseline = scenario.bundle === "baseline";
    return {
      target: scenario.name,
      status: runs[0]?.status ?? 0,
      "DynamoDB calls": Number((runs[0]?.callsPerInvocation ?? 0).toFixed(2)),
      "CPU µs": Math.round(us),
      "overhead µs": isBaseline ? 0 : Math.round(overhead),
      "met (≤ 30 µs)": isBaseline || scenario.bundle === "lambdalith" ? "" : overhead <= 30 ? "yes" : "no",
      "× lambdalith": lambdalith ? (us / cpuOf(lambdalith.name)).toFixed(2) : "",
      "wall µs": Math.round(median(runs.flatMap((m) => m.wallUs))),
      "overhead by round µs": isBaseline
        ? ""
        : runs
            .map((m) => Math.round(median(m.cpuUs.map((v, i) => v - (m.baselineCpuUs[i] ?? v)))))
            .join(" / "),
    };
  });
  console.table(rows);
  console.log(
    `${rounds} round(s) × ${invocations} timed invocations per target (after a warm-up), each target in its own process; ` +
      `CPU time per invocation in batches of ${BATCH} alternating with the baseline's in the same process; ` +
      "overhead = median of the paired differences; DynamoDB stubbed inside the SDK (no network); one token repeated.",
  );
  mkdirSync(RESULTS, { recursive: true });
  writeFileSync(
    join(RESULTS, "warm-overhead.json"),
    `${JSON.stringify({ date: new Date().toISOString(), node: process.version, rounds, invocations, baselineUs, profile, rows }, null, 2)}\n`,
  );
}

if (process.argv[2] === "--child") {
  await child(JSON.parse(process.argv[3] ?? "{}") as Scenario, Number(process.argv[4]));
} else {
  await main();
}
