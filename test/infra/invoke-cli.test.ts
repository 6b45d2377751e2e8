/**
 * `npm run invoke` as a user runs it: every event fixture answers with the status documented in
 * test/fixtures/events/README.md, no SDK notice is printed, and beside a running local cloud (found
 * through its state file) an invoked create lands in that cloud's database and queue, so the
 * cloud's own worker indexes it and it becomes searchable there.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { stateFileFor, writeCloudState } from "../../infra/local/cloud-state.ts";
import type { LocalCloud } from "../../infra/local/local-cloud.ts";
import { api } from "../support/api-client.ts";
import { startE2eCloud } from "../support/e2e-cloud.ts";
import { runCli } from "../support/run-cli.ts";

const FIXTURES = "test/fixtures/events";
let cloud: LocalCloud;
let dataDir: string;

const invoke = (args: string[]) =>
  runCli("infra/local/invoke.ts", args, { LOCAL_DATA: dataDir, JWT_SECRET: cloud.env.JWT_SECRET ?? "" });

beforeAll(async () => {
  cloud = await startE2eCloud();
  dataDir = mkdtempSync(join(tmpdir(), "invoke-cli-"));
  // What npm start writes once it is ready; this test process stands in for it.
  writeCloudState(stateFileFor(dataDir), {
    pid: process.pid,
    url: cloud.url,
    dynamodbEndpoint: cloud.dynamodbEndpoint,
    sqsEndpoint: cloud.sqsEndpoint,
    tableName: cloud.tableName,
    queueUrl: cloud.queueUrl,
    dlqUrl: cloud.dlqUrl,
    startedAt: new Date().toISOString(),
  });
});

afterAll(async () => {
  await cloud?.stop();
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
});

/** The documented status of each fixture (test/fixtures/events/README.md). */
const DOCUMENTED: [fixture: string, status: number][] = [
  ["health.json", 200],
  ["create-market.json", 201],
  ["get-market.json", 200],
  ["list-markets.json", 200],
  ["search-markets.json", 200],
];

// Each case starts a CLI process (tsx, the SDK, a cold bundle): seconds each on a busy machine.
describe("npm run invoke beside a running local cloud", { timeout: 90_000 }, () => {
  it.each(DOCUMENTED)("%s answers %i, with no SDK notice", async (fixture, status) => {
    const run = await invoke([join(FIXTURES, fixture)]);
    expect(run.code, run.stderr).toBe(0);
    expect(JSON.parse(run.stdout).statusCode).toBe(status);
    expect(run.stderr).toContain(`using the running local cloud at ${cloud.url}`);
    expect(run.stderr).not.toMatch(/NodeVersionSupport|DeprecationWarning|Warning:/);
  });

  it("index-markets-sqs.json indexes its market: no failed record", async () => {
    const run = await invoke([join(FIXTURES, "index-markets-sqs.json")]);
    expect(run.code, run.stderr).toBe(0);
    expect(JSON.parse(run.stdout)).toEqual({ batchItemFailures: [] });
  });

  it("a generated create is written to the running cloud and indexed by its worker", async () => {
    const name = `Will the invoked market ${Date.now()} be searchable?`;
    const run = await invoke([
      "POST /api/markets",
      "--body",
      JSON.stringify({ name, closesAt: "2030-01-01T00:00:00Z" }),
    ]);
    expect(run.code, run.stderr).toBe(0);
    const result = JSON.parse(run.stdout);
    expect(result.statusCode).toBe(201);
    const id = JSON.parse(result.body).data.id as string;
    expect((await api(cloud).get(`/api/markets/${id}`)).status).toBe(200);

    let found = false;
    for (let attempt = 0; attempt < 100 && !found; attempt += 1) {
      const search = await api(cloud).get(`/api/markets/search?q=${encodeURIComponent(name)}&limit=50`);
      found = search.body.data.some((market: { id: string }) => market.id === id);
      if (!found) await new Promise((resolve) => setTimeout(resolve, 100));
    }
    expect(found).toBe(true);
  });

  it("--as none sends no token (a clean 401 on a write route); a bad role or bundle is a clear error", async () => {
    const anonymous = await invoke([join(FIXTURES, "create-market.json"), "--as", "none"]);
    expect(JSON.parse(anonymous.stdout).statusCode).toBe(401);
    const badRole = await invoke([join(FIXTURES, "health.json"), "--as", "root"]);
    expect(badRole.code).toBe(1);
    expect(badRole.stderr).toContain("--as must be user, moderator, admin or none");
    const badBundle = await invoke(["markets-nope", join(FIXTURES, "health.json")]);
    expect(badBundle.code).toBe(1);
    expect(badBundle.stderr).toContain('Unknown bundle "markets-nope"');
    const noRoute = await invoke(["GET /api/nowhere"]);
    expect(noRoute.code).toBe(1);
    expect(noRoute.stderr).toContain("No route matches GET /api/nowhere");
  });

  it("--help lists the bundles and exits 0", async () => {
    const run = await invoke(["--help"]);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain("markets-create");
    expect(run.stdout).toContain("--as <role>");
  });
});
