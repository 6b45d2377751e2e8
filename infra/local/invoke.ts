/**
 * `npm run invoke`: runs one built bundle with one event, like `sam local invoke`, and prints what
 * the handler returned. With `npm start` running, it uses that cloud's database and queue (found
 * through its state file, see cloud-state.ts), so what it writes is served and indexed there;
 * otherwise it starts DynamoDB Local on LOCAL_DATA (default .data) or, with --memory, in memory.
 */
import { readFileSync } from "node:fs";
import { isRole, type Role } from "../../shared/auth/permissions.ts";
import { bundleName } from "../../shared/routes/route.ts";
import { ensureBundles } from "../ensure-bundles.ts";
import { routes, workers } from "../route-table.ts";
import { CliError, parseCli, runCli } from "./cli.ts";
import { readCloudState, stateFileFor } from "./cloud-state.ts";
import { ensureFixtureMarket, namesFixtureMarket } from "./fixture-market.ts";
import { BUNDLES, defaultRole, generateEvent, isRequestTarget, targetOfBundle } from "./invoke-event.ts";
import { startLocalCloud } from "./local-cloud.ts";
import { signToken } from "./sign-token.ts";

const HELP = `usage: npm run invoke -- <event.json | ->                    [options]
       npm run invoke -- <bundle> <event.json | ->           [options]
       npm run invoke -- "<METHOD> <path?query>" [--body <json>] [options]

Invokes one Lambda bundle (dist/functions/<bundle>, built first if stale) with one event and prints
its result as JSON. The bundle is taken from the event's routeKey (or SQS records) when not given.

  --as <role>     user, moderator, admin or none: signs a fresh token for the event (fixtures cannot
                  keep one). Default: the least role the route needs (none for public routes,
                  user for read/write, moderator for delete, admin for admin), unless the event
                  already carries a token.
  --sub <id>      the token's user id (default local-<role>)
  --body <json>   the request body of a generated event (@file reads a file)
  --memory        an empty in-memory database instead of .data (ignored while npm start runs)

With npm start running, its database and queue are used (read from .data/local-cloud.json), so an
invoked create is indexed by its worker and becomes searchable. Bundles: ${BUNDLES.join(", ")}.

examples:
  npm run invoke -- test/fixtures/events/get-market.json
  npm run invoke -- markets-create test/fixtures/events/create-market.json --as admin
  npm run invoke -- "GET /api/markets/search?q=rain&limit=3"
  npm run invoke -- "POST /api/markets" --body '{"name":"Will it snow?","closesAt":"2030-01-01T00:00:00Z"}'`;

const { positionals, values } = parseCli(
  HELP,
  {
    as: { type: "string" },
    sub: { type: "string" },
    body: { type: "string" },
    memory: { type: "boolean" },
  },
  true,
);

type Event = { headers?: Record<string, string>; routeKey?: string; Records?: { eventSource?: string }[] };

/** The bundle an event file is for: its routeKey's route, or the worker for SQS records. */
function bundleOfEvent(event: Event): string {
  if (event.routeKey) {
    const route = routes.find((each) => `${each.method} ${each.path}` === event.routeKey);
    if (route) return bundleName(route.handler);
    throw new CliError(`No route has the event's routeKey "${event.routeKey}"`);
  }
  if (event.Records?.[0]?.eventSource === "aws:sqs" && workers[0]) return bundleName(workers[0].handler);
  throw new CliError(
    "Cannot tell the bundle from the event: name it first, e.g. npm run invoke -- markets-get event.json",
  );
}

function readEvent(file: string): Event {
  try {
    return JSON.parse(readFileSync(file === "-" ? 0 : file, "utf8")) as Event;
  } catch (error) {
    throw new CliError(
      `Cannot read the event ${file}: ${error instanceof Error ? error.message : String(error)}`,
    );
  }
}

function readBody(body: string | undefined): string | undefined {
  if (body === undefined || !body.startsWith("@")) return body;
  return readFileSync(body.slice(1), "utf8");
}

function chooseRole(asFlag: string | undefined, fallback: Role | undefined): Role | undefined {
  if (asFlag === undefined) return fallback;
  if (asFlag === "none") return undefined;
  if (!isRole(asFlag)) throw new CliError(`--as must be user, moderator, admin or none, not "${asFlag}"`);
  return asFlag;
}

await runCli(async () => {
  const [first, second] = positionals;
  if (!first) throw new CliError(`give an event file, a bundle and an event file, or a request\n\n${HELP}`);

  let bundle: string;
  let event: Event;
  let role: Role | undefined;
  if (isRequestTarget(first)) {
    const generated = generateEvent(first, readBody(values.body));
    bundle = generated.target.bundle;
    event = generated.event as Event;
    role = chooseRole(values.as, defaultRole(generated.target.route));
  } else {
    const [eventFile, named] = second === undefined ? [first, undefined] : [second, first];
    event = readEvent(eventFile);
    bundle = named ?? bundleOfEvent(event);
    const target = (() => {
      try {
        return targetOfBundle(bundle);
      } catch (error) {
        throw new CliError((error as Error).message);
      }
    })();
    // A token the event already carries is kept unless --as says otherwise; fixtures hold a placeholder.
    const carried = event.headers?.authorization ?? "";
    const hasToken = carried.startsWith("Bearer ") && !carried.startsWith("Bearer replace-me");
    role = chooseRole(values.as, hasToken ? undefined : defaultRole(target.route));
    if (!hasToken && event.headers) delete event.headers.authorization;
  }
  if (role) {
    const token = await signToken({ sub: values.sub ?? `local-${role}`, role });
    event.headers = { ...event.headers, authorization: `Bearer ${token}` };
  }

  ensureBundles();
  const dataDir = process.env.LOCAL_DATA ?? ".data";
  const running = readCloudState(stateFileFor(dataDir));
  const cloud = await startLocalCloud({
    dataDir: values.memory ? "memory" : dataDir,
    ...(running
      ? {
          dynamodbEndpoint: running.dynamodbEndpoint,
          sqsEndpoint: running.sqsEndpoint,
          tableName: running.tableName,
          queueName: running.queueUrl.split("/").pop(),
          dlqName: running.dlqUrl.split("/").pop(),
        }
      : {}),
    // Only this one invocation runs here: queued jobs wait for npm start's worker.
    startPoller: false,
  });
  console.error(
    running
      ? `[invoke] using the running local cloud at ${running.url} (table ${running.tableName})`
      : `[invoke] no local cloud running: ${values.memory ? "in-memory database" : `DynamoDB Local on ${dataDir}/`}, a private queue`,
  );
  try {
    if (
      namesFixtureMarket(event) &&
      (await ensureFixtureMarket({ endpoint: cloud.dynamodbEndpoint, tableName: cloud.tableName }))
    ) {
      console.error("[invoke] wrote the fixture market the event names (infra/local/fixture-market.ts)");
    }
    const startedAt = performance.now();
    const result = await cloud.invoke(bundle, event);
    const status = (result as { statusCode?: number } | null)?.statusCode;
    console.error(
      `[invoke] ${bundle}${role ? ` as ${role}` : ""}${status ? ` → ${status}` : ""} in ${(performance.now() - startedAt).toFixed(0)} ms (cold start included)`,
    );
    console.log(JSON.stringify(result, null, 2));
  } catch (error) {
    throw new CliError(
      `${bundle} failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`,
    );
  } finally {
    await cloud.stop();
  }
});
// The bundles may hold sockets (keep-alive, a Redis client): end like a Lambda invocation does.
process.exit(0);
