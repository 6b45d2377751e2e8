/**
 * `npm start`: builds (in the npm script), then serves the API from the deployed bundles on
 * http://localhost:$PORT with DynamoDB Local and local SQS embedded. Ctrl-C, or SIGINT/SIGTERM to
 * npm or to this process, stops everything, java included (test/infra/npm-start-signals.test.ts).
 * Variables: PORT, JWT_SECRET, LOCAL_DATA, RATE_LIMIT_*, LOG_LEVEL, REDIS_URL.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { existsSync, mkdirSync } from "node:fs";
import { dirname, join } from "node:path";
import { removeCloudState, stateFileFor, writeCloudState } from "./cloud-state.ts";
import { DEFAULT_BUNDLES_DIR } from "./lambda-runtime.ts";
import { INDEX_WORKER_BUNDLE, type LocalCloud, startLocalCloud } from "./local-cloud.ts";
import { DEV_JWT_SECRET } from "./local-env.ts";
import { DEFAULT_TOKEN_TTL, signToken } from "./sign-token.ts";

// Node 20 is supported for local development; the SDK would warn about its future minimum here.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= "true";

const port = Number(process.env.PORT ?? 3000);
const dataDir = process.env.LOCAL_DATA ?? ".data";
const stateFile = stateFileFor(dataDir);

let cloud: LocalCloud | undefined;
let stopping = false;
/** Helper processes besides java (the search catch-up); stopped with everything else. */
const helpers = new Set<ChildProcess>();
/** Longer than java's own SIGTERM-then-SIGKILL (5 s), short enough for a process manager's patience. */
const FORCED_EXIT_MS = 7_000;

/**
 * One way out for every signal: SIGTERM from npm (which forwards it to this process, since the npm
 * scripts `exec` node), SIGINT or SIGTERM sent to this process alone, and Ctrl-C (SIGINT to the
 * whole group). If a clean stop hangs, the exit handlers still kill java (dynamodb-local.ts).
 */
async function shutdown(signal: string): Promise<void> {
  if (stopping) return;
  stopping = true;
  console.log(`\n${signal}: stopping the local cloud ...`);
  removeCloudState(stateFile);
  setTimeout(() => process.exit(1), FORCED_EXIT_MS).unref();
  for (const helper of helpers) helper.kill("SIGTERM");
  await cloud?.stop();
  process.exit(0);
}
process.on("SIGINT", () => void shutdown("SIGINT"));
process.on("SIGTERM", () => void shutdown("SIGTERM"));
process.on("SIGHUP", () => void shutdown("SIGHUP"));
process.on("exit", () => {
  for (const helper of helpers) helper.kill("SIGKILL");
});

try {
  cloud = await startLocalCloud({
    port,
    dataDir,
    host: process.env.HOST ?? "127.0.0.1",
    log: (line) => console.log(`[gateway] ${line}`),
  });
} catch (error) {
  console.error(`Could not start the local cloud: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
}

// `npm run invoke` and `npm run seed` find this cloud's endpoints here while it runs.
mkdirSync(dirname(stateFile), { recursive: true });
writeCloudState(stateFile, {
  pid: process.pid,
  url: cloud.url.replace("//127.0.0.1:", "//localhost:"),
  dynamodbEndpoint: cloud.dynamodbEndpoint,
  sqsEndpoint: cloud.sqsEndpoint,
  tableName: cloud.tableName,
  queueUrl: cloud.queueUrl,
  dlqUrl: cloud.dlqUrl,
  startedAt: new Date().toISOString(),
});
process.on("exit", () => removeCloudState(stateFile));

// The gateway answers on both loopbacks, so the friendly name works for every client.
const url = cloud.url.replace("//127.0.0.1:", "//localhost:");
const secretIsDefault = cloud.env.JWT_SECRET === DEV_JWT_SECRET;
const adminToken = await signToken({
  sub: "local-admin",
  role: "admin",
  secret: cloud.env.JWT_SECRET,
});
if (!existsSync(join(DEFAULT_BUNDLES_DIR, INDEX_WORKER_BUNDLE, "index.mjs"))) {
  console.warn(`[local] ${INDEX_WORKER_BUNDLE} is not built yet: queued index jobs wait until it is.`);
}

console.log(`
Markets API (local) ready at ${url}

  database   ${dataDir === "memory" ? "in memory (nothing kept)" : `DynamoDB Local, files in ${dataDir}/`} · table ${cloud.tableName}
  queue      ${cloud.queueUrl} (DLQ ${cloud.dlqUrl})
  JWT secret ${secretIsDefault ? `${cloud.env.JWT_SECRET}  (the development default; set JWT_SECRET to change it)` : "from JWT_SECRET"}

  admin token (${DEFAULT_TOKEN_TTL}):
  export TOKEN=${adminToken}

  try:
  curl -s ${url}/api/health
  curl -s -X POST ${url}/api/markets -H "Authorization: Bearer $TOKEN" \\
       -H "Content-Type: application/json" -d '{"name":"Will it rain in Paris tomorrow?","closesAt":"2030-01-01T00:00:00Z"}'

  more tokens: npm run token -- --sub u-1 --role user
  sample data: npm run seed        one function: npm run invoke -- --help
  Ctrl-C stops everything.
`);

if (dataDir !== "memory") catchUpSearchIndex(cloud.env);

/**
 * The local queue lives in memory, so index jobs still queued when the last session stopped are
 * gone while the markets they were for are kept in `.data`. The same catch-up a deployment runs
 * after a queue outage (scripts/reindex-stale.ts) queues whatever the search index is missing.
 */
function catchUpSearchIndex(env: Readonly<Record<string, string>>): void {
  const script = join(import.meta.dirname, "..", "..", "scripts", "reindex-stale.ts");
  const child = spawn(process.execPath, ["--import", "tsx", script], {
    env: { ...process.env, ...env, POWERTOOLS_LOG_LEVEL: "ERROR" },
    stdio: ["ignore", "pipe", "inherit"],
  });
  helpers.add(child);
  child.once("exit", () => helpers.delete(child));
  child.stdout.on("data", (chunk: Buffer) => console.log(`[search catch-up] ${chunk.toString().trim()}`));
}
