/**
 * `tsx infra/local/invoke.ts <bundle> <event.json> [--memory]`: invokes one built bundle with an
 * event fixture against the local cloud's database and queue, like `sam local invoke`, and prints
 * the result. Uses LOCAL_DATA (default .data; stop `npm start` first, DynamoDB Local keeps one
 * process per folder) or, with --memory, an empty in-memory database. DYNAMODB_ENDPOINT and
 * SQS_ENDPOINT point it at running services instead, e.g. those of a running `npm start`.
 * `--as <role>` puts a fresh bearer token in the event (fixtures cannot keep a valid one).
 */
import { readFileSync } from "node:fs";
import { parseArgs } from "node:util";
import { isRole } from "../../shared/auth/permissions.ts";
import { startLocalCloud } from "./local-cloud.ts";
import { signToken } from "./sign-token.ts";

const USAGE =
  "usage: tsx infra/local/invoke.ts <bundle, e.g. markets-get> <event.json | -> [--memory] [--as admin|moderator|user]";

const { positionals, values } = parseArgs({
  allowPositionals: true,
  options: { memory: { type: "boolean" }, as: { type: "string" }, help: { type: "boolean", short: "h" } },
});
const [bundle, eventFile] = positionals;
if (values.help || !bundle || !eventFile) {
  console.error(USAGE);
  process.exit(values.help ? 0 : 1);
}

const event: { headers?: Record<string, string> } = JSON.parse(
  readFileSync(eventFile === "-" ? 0 : eventFile, "utf8"),
);
if (values.as !== undefined) {
  // Fixtures cannot hold a valid token (it expires): --as signs a fresh one for the local secret.
  if (!isRole(values.as)) throw new Error(`--as must be admin, moderator or user, not ${values.as}`);
  const token = await signToken({ sub: `local-${values.as}`, role: values.as });
  event.headers = { ...event.headers, authorization: `Bearer ${token}` };
}
const cloud = await startLocalCloud({
  dataDir: values.memory ? "memory" : (process.env.LOCAL_DATA ?? ".data"),
  // Only this one invocation runs: queued jobs stay queued for `npm start` to pick up.
  startPoller: false,
});
let exitCode = 0;
try {
  const startedAt = performance.now();
  const result = await cloud.invoke(bundle, event);
  console.error(
    `[invoke] ${bundle} finished in ${(performance.now() - startedAt).toFixed(0)} ms (cold start included)`,
  );
  console.log(JSON.stringify(result, null, 2));
} catch (error) {
  console.error(`[invoke] ${bundle} failed:`, error);
  exitCode = 1;
} finally {
  await cloud.stop();
}
process.exit(exitCode);
