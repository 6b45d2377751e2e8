/**
 * `npm run seed`: fills an API with the sample data set of seed-data.ts through its public HTTP
 * routes, as users would: profiles (PUT /api/me), markets (drafts, active, closed, resolved),
 * positions. Safe to run again: it first reads what each seeded user already has, then writes
 * only what is missing, each create and position with a stable Idempotency-Key.
 */
import { decodeJwt } from "jose";
import { CliError, parseCli, runCli } from "../../infra/local/cli.ts";
import { readCloudState, stateFileFor } from "../../infra/local/cloud-state.ts";
import { DEV_JWT_SECRET } from "../../infra/local/local-env.ts";
import { DEFAULT_TOKEN_TTL, signToken } from "../../infra/local/sign-token.ts";
import { readDeployedStack } from "../../infra/local/stack-secret.ts";
import { Progress } from "./progress.ts";
import { SeedClient } from "./seed-client.ts";
import { planSeed, type SeedMarket, type SeedUser } from "./seed-data.ts";
import { type Existing, seedMarket, seedProfile, type Tally } from "./seed-steps.ts";

const HELP = `usage: npm run seed -- [--url <base url>] [--token <jwt> | --stack <name> [--region <r>]]
                       [--markets <n>] [--users <n>] [--concurrency <n>]

Loads a sample data set through the HTTP API: users with display names, a few hundred markets in
every category and status (draft, active, closed, resolved) and positions on them. Running it again
adds nothing: what is already there is read first and skipped.

  --url          the API (default: the running npm start, else http://localhost:3000)
  --stack        a deployed stack: its ApiUrl output and, from Secrets Manager, its HS256 secret,
                 so every seeded user gets a token of its own (the fastest way to fill a stack)
  --token        one bearer token for everything (a moderator or admin resolves markets): all data
                 then belongs to that caller and writes go at its rate limit (20 a minute by default)
  --markets      how many markets (default 240); --users how many users (default 60)
  --concurrency  requests in flight (default 8)

Locally, tokens are signed with JWT_SECRET or the development default, like npm run token.
Each seeded user has its own rate-limit budget; a 429 waits for Retry-After and is retried.

examples:
  npm run seed
  npm run seed -- --stack MarketsApi
  npm run seed -- --url https://abc123.execute-api.eu-west-1.amazonaws.com --token "$TOKEN" --markets 40`;

const { values } = parseCli(HELP, {
  url: { type: "string" },
  token: { type: "string" },
  stack: { type: "string" },
  region: { type: "string" },
  markets: { type: "string", default: "240" },
  users: { type: "string", default: "60" },
  concurrency: { type: "string", default: "8" },
});

function positive(name: string, raw: string, max: number): number {
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 1 || value > max)
    throw new CliError(`--${name} must be a whole number from 1 to ${max}`);
  return value;
}

/** Run tasks with at most `limit` in flight; a failure is recorded, not fatal to the others. */
async function pool<T>(items: readonly T[], limit: number, run: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const workers = Array.from({ length: Math.min(limit, items.length) }, async () => {
    while (next < items.length) await run(items[next++] as T);
  });
  await Promise.all(workers);
}

interface Target {
  url: string;
  tokenFor: (user: SeedUser) => Promise<string>;
  /** Set when one given token stands for every seeded user. */
  singleCaller?: string;
}

async function resolveTarget(): Promise<Target> {
  if (values.token && values.stack) throw new CliError("give --token or --stack, not both");
  if (values.token) {
    const token = values.token;
    let sub: string | undefined;
    try {
      sub = decodeJwt(token).sub;
    } catch {
      throw new CliError("--token is not a JWT");
    }
    if (!values.url) throw new CliError("--token needs --url (the API it is for)");
    return { url: values.url, tokenFor: async () => token, singleCaller: sub ?? "caller" };
  }
  let secret = process.env.JWT_SECRET || DEV_JWT_SECRET;
  let url = values.url;
  if (values.stack) {
    const stack = await readDeployedStack(values.stack, { region: values.region }).catch((error: Error) => {
      throw new CliError(error.message);
    });
    secret = stack.jwtSecret;
    url ??= stack.url;
    if (!url) throw new CliError(`Stack ${values.stack} has no ApiUrl output: pass --url`);
  }
  url ??= readCloudState(stateFileFor(process.env.LOCAL_DATA ?? ".data"))?.url ?? "http://localhost:3000";
  const tokens = new Map<string, Promise<string>>();
  return {
    url: url.replace(/\/+$/, ""),
    tokenFor: (user) => {
      let token = tokens.get(user.sub);
      if (!token) {
        token = signToken({ sub: user.sub, role: user.role, secret, expiresIn: DEFAULT_TOKEN_TTL });
        tokens.set(user.sub, token);
      }
      return token;
    },
  };
}

await runCli(async () => {
  const markets = positive("markets", values.markets, 2000);
  const concurrency = positive("concurrency", values.concurrency, 64);
  const target = await resolveTarget();
  const plan = planSeed({ markets, users: target.singleCaller ? 1 : positive("users", values.users, 1000) });
  if (target.singleCaller) {
    // One caller plays every part: its own markets, its own initial positions, its own resolutions.
    const caller = { sub: target.singleCaller, role: "admin" as const, displayName: "" };
    plan.users = [caller];
    plan.moderators = [caller];
    for (const market of plan.markets) market.creator = caller;
  }
  const client = new SeedClient(target.url);
  const health = await fetch(`${target.url}/api/health`).catch(() => undefined);
  if (!health?.ok) {
    throw new CliError(
      `Cannot reach the API at ${target.url}${values.url || values.stack ? "" : ": is npm start running?"}`,
    );
  }
  const startedAt = performance.now();
  console.error(`Seeding ${target.url}: ${plan.markets.length} markets, ${plan.users.length} users`);

  // 1. What is there already: each creator's markets (drafts too) and each user's positions.
  const everyone = [...plan.users, ...plan.moderators.filter((moderator) => !plan.users.includes(moderator))];
  const existing: Existing = { markets: new Map(), positions: new Set(), displayNames: new Map() };
  const reading = new Progress("reading", everyone.length);
  await pool(everyone, concurrency, async (user) => {
    const token = await target.tokenFor(user);
    const query = `creatorId=${encodeURIComponent(user.sub)}&limit=100`;
    type Listed = { id: string; name: string; status: string; creator?: { displayName: string } };
    const [listed, drafts, positions] = await Promise.all([
      client.all<Listed>(`/api/markets?${query}`, token),
      client.all<Listed>(`/api/markets?${query}&status=draft`, token),
      client.all<{ marketId: string }>("/api/me/positions?limit=100", token),
    ]);
    for (const market of [...listed, ...drafts]) {
      existing.markets.set(market.name, { id: market.id, status: market.status });
      if (market.creator) existing.displayNames.set(user.sub, market.creator.displayName);
    }
    for (const position of positions) existing.positions.add(`${position.marketId}:${user.sub}`);
    reading.tick();
  });
  reading.finish();

  // 2. Profiles, then 3. markets with their positions and status changes.
  const tally: Tally = { profiles: 0, created: 0, positions: 0, volume: 0, transitions: 0, failures: [] };
  if (!target.singleCaller) {
    const profiles = new Progress("profiles", everyone.length);
    await pool(everyone, concurrency, async (user) => {
      await seedProfile(client, target.tokenFor, user, existing, tally);
      profiles.tick();
    });
    profiles.finish();
  }
  const writing = new Progress("markets", plan.markets.length);
  await pool(plan.markets, concurrency, async (market: SeedMarket) => {
    await seedMarket(client, target.tokenFor, plan.moderators, market, existing, tally);
    writing.tick();
  });
  writing.finish();

  const byStatus = new Map<string, number>();
  for (const market of plan.markets) byStatus.set(market.status, (byStatus.get(market.status) ?? 0) + 1);
  const seconds = ((performance.now() - startedAt) / 1000).toFixed(1);
  console.log(`
Seeded ${target.url} in ${seconds} s
  users        ${everyone.length} (${tally.profiles} display names set)
  markets      ${plan.markets.length}: ${[...byStatus].map(([status, count]) => `${count} ${status}`).join(", ")}
               ${tally.created} created now, ${plan.markets.length - tally.created - tally.failures.length} already there
  positions    ${tally.positions} opened now (volume ${tally.volume.toFixed(2)})
  transitions  ${tally.transitions} status changes (closed, resolved)
  rate limit   ${client.rateLimitWaits} waits for a rate-limit window`);
  if (tally.failures.length > 0) {
    throw new CliError(
      `${tally.failures.length} market(s) could not be seeded:\n  ${tally.failures.slice(0, 10).join("\n  ")}`,
    );
  }
});
process.exit(0);
