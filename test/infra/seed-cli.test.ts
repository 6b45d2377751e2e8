/**
 * `npm run seed` against a fresh local cloud with the API's default rate limits (100 reads and 20
 * writes a minute per caller): it loads the set through the HTTP API, and a second run adds
 * nothing. A smaller set than the default keeps the file quick; the code path is the same.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { LocalCloud } from "../../infra/local/local-cloud.ts";
import { api } from "../support/api-client.ts";
import { startE2eCloud } from "../support/e2e-cloud.ts";
import { runCli } from "../support/run-cli.ts";

let cloud: LocalCloud;

const seed = (args: string[] = []) =>
  runCli("scripts/seed/seed.ts", ["--url", cloud.url, "--markets", "80", "--users", "30", ...args], {
    JWT_SECRET: cloud.env.JWT_SECRET ?? "",
  });

/** Every non-draft market, walking the cursor. */
async function countMarkets(): Promise<number> {
  let count = 0;
  let cursor: string | null = null;
  do {
    const page = await api(cloud).get(
      `/api/markets?limit=100${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ""}`,
    );
    count += page.body.data.length;
    cursor = page.body.meta.nextCursor;
  } while (cursor);
  return count;
}

beforeAll(async () => {
  cloud = await startE2eCloud({
    env: { RATE_LIMIT_READS_PER_MINUTE: "100", RATE_LIMIT_WRITES_PER_MINUTE: "20" },
  });
});
afterAll(() => cloud?.stop());

describe("npm run seed", { timeout: 300_000 }, () => {
  let firstCount = 0;

  it("loads markets in every status, profiles and positions through the API, with a progress bar and a summary", async () => {
    const run = await seed();
    expect(run.code, run.stderr).toBe(0);
    expect(run.stderr).toMatch(/markets\s+\[#+\] 80\/80/);
    expect(run.stdout).toMatch(/markets\s+80: \d+ draft|markets\s+80:/);
    expect(run.stdout).toContain("80 created now");

    firstCount = await countMarkets();
    expect(firstCount).toBeGreaterThan(60);
    for (const status of ["active", "closed", "resolved"]) {
      const listed = await api(cloud).get(`/api/markets?status=${status}&limit=1`);
      expect(listed.body.data.length, status).toBe(1);
    }
    const resolved = await api(cloud).get("/api/markets?status=resolved&limit=1");
    expect(resolved.body.data[0].outcome).toMatch(/^(yes|no)$/);
    // Display names came from PUT /api/me, not the default (the sub).
    const byVolume = await api(cloud).get("/api/markets?sort=volume&limit=1");
    expect(byVolume.body.data[0].volume).toBeGreaterThan(0);
    expect(byVolume.body.data[0].creator.displayName).not.toMatch(/^seed-user-/);
    const positions = await api(cloud).get(`/api/markets/${byVolume.body.data[0].id}/positions`);
    expect(positions.body.data.length).toBeGreaterThan(0);
  });

  it("a second run adds nothing", async () => {
    const run = await seed();
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toContain("0 created now, 80 already there");
    expect(run.stdout).toContain("positions    0 opened now");
    expect(run.stdout).toContain("transitions  0 status changes");
    expect(run.stdout).toContain("(0 display names set)");
    expect(await countMarkets()).toBe(firstCount);
  });

  it("says what is wrong: no API at the URL, a bad number, --token without --url", async () => {
    const unreachable = await runCli("scripts/seed/seed.ts", ["--url", "http://127.0.0.1:9"]);
    expect(unreachable.code).toBe(1);
    expect(unreachable.stderr).toContain("Cannot reach the API at http://127.0.0.1:9");
    const badNumber = await seed(["--markets", "lots"]);
    expect(badNumber.code).toBe(1);
    expect(badNumber.stderr).toContain("--markets must be a whole number");
    const tokenOnly = await runCli("scripts/seed/seed.ts", ["--token", "a.b.c"]);
    expect(tokenOnly.code).toBe(1);
  });
});
