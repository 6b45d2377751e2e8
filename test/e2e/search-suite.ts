/**
 * Search end to end, for one engine: writes go through the real queue, the real poller and the
 * real worker bundle, and the search route answers from the vectors the worker stored (read into
 * the search Lambda for `in-process`, through SearchVectors on the emulated vector index for
 * `dynamodb`). search.test.ts and search-dynamodb.test.ts run it once per engine, each in its own
 * process, since a local cloud owns its process's environment.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { LocalCloud } from "../../infra/local/local-cloud.ts";
import type { SearchEngineName } from "../../shared/search/search-engine.ts";
import { type ApiClient, api, inDays, newUser, type TestUser } from "../support/api-client.ts";
import { startE2eCloud } from "../support/e2e-cloud.ts";

export function describeSearch(engine: SearchEngineName): void {
  let cloud: LocalCloud;
  let client: ApiClient;
  let admin: TestUser;

  /** Poll the search route until `check` accepts the results or `timeoutMs` passes; returns the elapsed ms. */
  async function searchUntil(
    query: string,
    check: (ids: string[]) => boolean,
    timeoutMs = 10_000,
    params = "",
  ): Promise<{ elapsedMs: number; ids: string[] }> {
    const started = Date.now();
    let ids: string[] = [];
    while (Date.now() - started < timeoutMs) {
      const response = await client.get(`/api/markets/search?q=${encodeURIComponent(query)}${params}`);
      expect(response.status).toBe(200);
      ids = response.body.data.map((market: { id: string }) => market.id);
      if (check(ids)) return { elapsedMs: Date.now() - started, ids };
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    return { elapsedMs: Number.POSITIVE_INFINITY, ids };
  }

  async function createMarket(body: Record<string, unknown>): Promise<string> {
    const response = await client.post(
      "/api/markets",
      { closesAt: inDays(60), ...body },
      { token: admin.token },
    );
    expect(response.status).toBe(201);
    return response.body.data.id;
  }

  beforeAll(async () => {
    cloud = await startE2eCloud({ env: { SEARCH_ENGINE: engine } });
    client = api(cloud);
    admin = await newUser("admin");
    // Unrelated markets, so ranking has something to beat.
    await createMarket({ name: "Will Bitcoin close above $150k in 2027?", category: "crypto" });
    await createMarket({ name: "Will the Lakers win the NBA championship?", category: "sports" });
    await createMarket({ name: "Will the Fed cut interest rates in March?", category: "economics" });
  });

  afterAll(async () => {
    await cloud?.stop();
  });

  describe(`GET /api/markets/search (${engine})`, () => {
    // How fast (well under 2 s locally) is measured by test/bench/search-freshness.ts, not asserted
    // here: a timed assertion would fail whenever the machine is busy.
    it("finds a new market once the worker has indexed it, best first, with scores in (0, 1]", async () => {
      const id = await createMarket({ name: "Will it snow in Oslo on Christmas Day?", category: "weather" });
      const { ids } = await searchUntil("snowfall in oslo over christmas", (found) => found[0] === id);
      expect(ids[0]).toBe(id);

      const response = await client.get("/api/markets/search?q=snow%20oslo%20christmas&limit=3");
      expect(response.body.data).toHaveLength(3);
      const scores = response.body.data.map((market: { score: number }) => market.score);
      for (const score of scores) expect(score > 0 && score <= 1).toBe(true);
      expect([...scores].sort((a, b) => b - a)).toEqual(scores);
      expect(response.body.data[0].creator).toEqual({ id: admin.id, displayName: expect.any(String) });
    });

    it("follows updates: the new text finds the market, the old text no longer ranks it first", async () => {
      const id = await createMarket({ name: "Will the Eiffel Tower reopen its summit in June?" });
      // A competitor about the same landmark, which should rank first once the market is renamed.
      const competitor = await createMarket({ name: "Will the Eiffel Tower be repainted gold?" });
      await searchUntil("Eiffel Tower summit reopening", (found) => found[0] === id);
      const patched = await client.patch(
        `/api/markets/${id}`,
        { name: "Will a volcano erupt in Iceland this winter?" },
        { token: admin.token },
      );
      expect(patched.status).toBe(200);
      const found = await searchUntil("Icelandic volcanic eruption", (ids) => ids[0] === id);
      expect(found.ids[0]).toBe(id);
      const old = await searchUntil("Eiffel Tower summit reopening", (ids) => ids[0] === competitor);
      expect(old.ids[0]).toBe(competitor);
    });

    it("drops deleted markets and never returns drafts", async () => {
      const id = await createMarket({ name: "Will the Mars sample return mission launch?" });
      await searchUntil("Mars sample return launch", (found) => found[0] === id);
      expect((await client.delete(`/api/markets/${id}`, { token: admin.token })).status).toBe(204);
      const gone = await searchUntil("Mars sample return launch", (found) => !found.includes(id));
      expect(gone.ids).not.toContain(id);

      const draft = await createMarket({
        name: "Secret draft about quantum computing supremacy",
        status: "draft",
      });
      await new Promise((resolve) => setTimeout(resolve, 1000));
      const drafts = await client.get("/api/markets/search?q=quantum%20computing%20supremacy&status=draft");
      expect(drafts.status).toBe(200);
      expect(drafts.body.data).toEqual([]);
      const all = await client.get("/api/markets/search?q=quantum%20computing%20supremacy");
      expect(all.body.data.map((market: { id: string }) => market.id)).not.toContain(draft);
    });

    it("filters by status", async () => {
      const id = await createMarket({ name: "Will the Amazon river reach a record low level?" });
      await searchUntil("Amazon river record low", (found) => found[0] === id);
      await client.patch(`/api/markets/${id}`, { status: "closed" }, { token: admin.token });
      const closed = await searchUntil(
        "Amazon river record low",
        (found) => found[0] === id,
        10_000,
        "&status=closed",
      );
      expect(closed.ids[0]).toBe(id);
      const active = await searchUntil(
        "Amazon river record low",
        (found) => !found.includes(id),
        10_000,
        "&status=active",
      );
      expect(active.ids).not.toContain(id);
    });

    it("validates q, limit and status", async () => {
      expect((await client.get("/api/markets/search")).status).toBe(400);
      expect((await client.get(`/api/markets/search?q=${"x".repeat(201)}`)).status).toBe(400);
      expect((await client.get("/api/markets/search?q=rain&limit=0")).status).toBe(400);
      expect((await client.get("/api/markets/search?q=rain&limit=51")).status).toBe(400);
      expect((await client.get("/api/markets/search?q=rain&status=open")).status).toBe(400);
      const error = await client.get("/api/markets/search?q=rain&limit=abc");
      expect(error.body).toMatchObject({ success: false, code: "VALIDATION_FAILED" });
    });
  });

  describe(`POST /api/markets/{id}/index (${engine})`, () => {
    it("queues a re-index for admins: 202 with a job id", async () => {
      const id = await createMarket({ name: "Will the Thames freeze over this year?" });
      const response = await client.post(`/api/markets/${id}/index`, undefined, { token: admin.token });
      expect(response.status).toBe(202);
      expect(response.body).toEqual({
        success: true,
        message: "Job queued",
        data: { jobId: expect.any(String) },
      });
    });

    it("is admin only and 404s a missing market", async () => {
      const user = await newUser("user");
      const moderator = await newUser("moderator");
      const id = await createMarket({ name: "Will the river Seine flood in spring?" });
      expect((await client.post(`/api/markets/${id}/index`, undefined, { token: user.token })).status).toBe(
        403,
      );
      expect(
        (await client.post(`/api/markets/${id}/index`, undefined, { token: moderator.token })).status,
      ).toBe(403);
      expect((await client.post(`/api/markets/${id}/index`)).status).toBe(401);
      const missing = await client.post("/api/markets/01NOSUCHMARKET0000000000/index", undefined, {
        token: admin.token,
      });
      expect(missing.status).toBe(404);
      expect(missing.body.code).toBe("NOT_FOUND");
    });
  });
}
