import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { LocalCloud } from "../../infra/local/local-cloud.ts";
import {
  type ApiClient,
  api,
  inDays,
  type Json,
  marketBody,
  newUser,
  type TestUser,
  uniqueSub,
} from "../support/api-client.ts";
import { startE2eCloud } from "../support/e2e-cloud.ts";

let cloud: LocalCloud;
let client: ApiClient;
let alice: TestUser;
let bob: TestUser;
let moderator: TestUser;
let admin: TestUser;

beforeAll(async () => {
  cloud = await startE2eCloud();
  client = api(cloud);
  alice = await newUser("user", { email: "alice.smith@example.com" });
  bob = await newUser("user");
  moderator = await newUser("moderator");
  admin = await newUser("admin");
});

afterAll(async () => {
  await cloud?.stop();
});

async function createMarket(owner: TestUser, overrides: Record<string, unknown> = {}) {
  const res = await client.post("/api/markets", marketBody(overrides), { token: owner.token });
  expect(res.status).toBe(201);
  return res.body.data as Json;
}

/** The ids `GET /api/markets?category=` lists. */
async function idsInCategory(category: string): Promise<string[]> {
  const res = await client.get(`/api/markets?category=${encodeURIComponent(category)}&limit=100`);
  expect(res.status).toBe(200);
  return (res.body.data as Json[]).map((market) => String(market.id));
}

describe("POST /api/markets", () => {
  it("creates a market: 201, Location and the full representation", async () => {
    const closesAt = inDays(10);
    const res = await client.post(
      "/api/markets",
      { name: "  Will it rain in Paris?  ", description: "Rain or shine", category: "weather", closesAt },
      { token: alice.token },
    );
    expect(res.status).toBe(201);
    const market = res.body.data;
    expect(res.body.success).toBe(true);
    expect(res.headers.get("location")).toBe(`/api/markets/${market.id}`);
    expect(market).toMatchObject({
      name: "Will it rain in Paris?",
      description: "Rain or shine",
      category: "weather",
      status: "active",
      outcome: null,
      closesAt,
      volume: 0,
      yesVolume: 0,
      noVolume: 0,
      creatorId: alice.id,
      creator: { id: alice.id, displayName: "alice.smith" },
      version: 1,
    });
    expect(typeof market.id).toBe("string");
    expect(market.id.length).toBeGreaterThan(0);
    expect(new Date(market.createdAt).toISOString()).toBe(market.createdAt);
    expect(market.updatedAt).toBe(market.createdAt);
    expect(market.position).toBeUndefined();
  });

  it("defaults: empty description, no category, active", async () => {
    const market = await createMarket(bob, { name: "Defaults market" });
    expect(market.description).toBe("");
    expect(market.category).toBeNull();
    expect(market.status).toBe("active");
  });

  it("normalises closesAt to UTC ISO", async () => {
    const market = await createMarket(bob, { closesAt: "2099-06-01T12:00:00+02:00" });
    expect(market.closesAt).toBe("2099-06-01T10:00:00.000Z");
  });

  it("validates the body", async () => {
    const cases: Record<string, unknown>[] = [
      { name: "ab", closesAt: inDays(1) },
      { name: "x".repeat(201), closesAt: inDays(1) },
      { name: "Valid name" },
      { name: "Valid name", closesAt: inDays(-1) },
      { name: "Valid name", closesAt: "tomorrow" },
      { name: "Valid name", closesAt: inDays(1), status: "closed" },
      { name: "Valid name", closesAt: inDays(1), category: "" },
      { name: "Valid name", closesAt: inDays(1), category: "c".repeat(51) },
      { name: "Valid name", closesAt: inDays(1), description: "d".repeat(5001) },
      { name: "Valid name", closesAt: inDays(1), creatorId: "someone" },
      { name: "Valid name", closesAt: inDays(1), version: 7 },
    ];
    for (const body of cases) {
      const res = await client.post("/api/markets", body, { token: bob.token });
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(res.body.code).toBe("VALIDATION_FAILED");
    }
  });

  it("a JSON body that is not an object is a 400", async () => {
    for (const body of ["[]", "null", "42", '"text"']) {
      const res = await client.post("/api/markets", body, { token: bob.token });
      expect(res.status, body).toBe(400);
    }
  });
});

describe("GET /api/markets/{id}", () => {
  it("returns the market with creator and a strong ETag", async () => {
    const created = await createMarket(alice);
    const res = await client.get(`/api/markets/${created.id}`);
    expect(res.status).toBe(200);
    expect(res.body.data).toEqual(created);
    expect(res.headers.get("etag")).toBe('"1"');
  });

  it("If-None-Match with the current ETag is a 304 without a body", async () => {
    const created = await createMarket(alice);
    const res = await client.get(`/api/markets/${created.id}`, { headers: { "if-none-match": '"1"' } });
    expect(res.status).toBe(304);
    expect(res.text).toBe("");
    expect(res.headers.get("etag")).toBe('"1"');
    const stale = await client.get(`/api/markets/${created.id}`, { headers: { "if-none-match": '"0"' } });
    expect(stale.status).toBe(200);
  });

  it("a missing market is a 404", async () => {
    const res = await client.get("/api/markets/01HZZZZZZZZZZZZZZZZZZZZZZZ");
    expect(res.status).toBe(404);
    expect(res.body.code).toBe("NOT_FOUND");
  });

  it("drafts are visible only to their owner, moderators and admins", async () => {
    const draft = await createMarket(alice, { status: "draft" });
    expect(draft.status).toBe("draft");
    const path = `/api/markets/${draft.id}`;
    expect((await client.get(path, { token: alice.token })).status).toBe(200);
    expect((await client.get(path, { token: moderator.token })).status).toBe(200);
    expect((await client.get(path, { token: admin.token })).status).toBe(200);
    const other = await client.get(path, { token: bob.token });
    expect(other.status).toBe(404);
    expect(other.body.code).toBe("NOT_FOUND");
    expect((await client.get(path)).status).toBe(404);
    // Nor can another user change or see positions of it.
    expect((await client.patch(path, { name: "Sneaky" }, { token: bob.token })).status).toBe(404);
    expect((await client.get(`${path}/positions`)).status).toBe(404);
  });
});

describe("PUT /api/markets/{id}", () => {
  it("replaces the mutable fields and clears a missing category", async () => {
    const created = await createMarket(alice, { category: "sports", description: "old" });
    const closesAt = inDays(20);
    const res = await client.put(
      `/api/markets/${created.id}`,
      { name: "Replaced name", description: "new", closesAt, status: "active" },
      { token: alice.token },
    );
    expect(res.status).toBe(200);
    expect(res.body.data).toMatchObject({
      id: created.id,
      name: "Replaced name",
      description: "new",
      category: null,
      closesAt,
      status: "active",
      version: 2,
      creator: { id: alice.id },
      createdAt: created.createdAt,
    });
    expect(res.headers.get("etag")).toBe('"2"');
    expect(res.body.data.updatedAt >= created.updatedAt).toBe(true);
    const got = await client.get(`/api/markets/${created.id}`);
    expect(got.body.data.category).toBeNull();
    expect(got.body.data.version).toBe(2);
  });

  it("a PUT without category takes the market out of its category's list; one with a category moves it", async () => {
    const category = uniqueSub("put");
    const market = await createMarket(alice, { category });
    expect(await idsInCategory(category)).toEqual([market.id]);
    const full = { name: "Replaced", description: "", closesAt: inDays(20), status: "active" };
    expect((await client.put(`/api/markets/${market.id}`, full, { token: alice.token })).status).toBe(200);
    expect(await idsInCategory(category)).toEqual([]);
    const other = `${category}-other`;
    const res = await client.put(
      `/api/markets/${market.id}`,
      { ...full, category: other },
      { token: alice.token },
    );
    expect(res.status).toBe(200);
    expect(await idsInCategory(other)).toEqual([market.id]);
  });

  it("needs every field but category", async () => {
    const created = await createMarket(alice);
    const res = await client.put(
      `/api/markets/${created.id}`,
      { name: "Only a name" },
      { token: alice.token },
    );
    expect(res.status).toBe(400);
    expect(res.body.code).toBe("VALIDATION_FAILED");
    const paths = res.body.details.map((d: { path: string }) => d.path);
    expect(paths).toEqual(expect.arrayContaining(["description", "closesAt", "status"]));
  });

  it("never writes volume, creatorId, version or timestamps", async () => {
    const created = await createMarket(alice);
    const full = { name: "Name", description: "", closesAt: inDays(3), status: "active" };
    for (const extra of [{ volume: 5 }, { creatorId: bob.id }, { version: 9 }, { createdAt: inDays(0) }]) {
      const res = await client.put(
        `/api/markets/${created.id}`,
        { ...full, ...extra },
        { token: alice.token },
      );
      expect(res.status, JSON.stringify(extra)).toBe(400);
    }
    const got = await client.get(`/api/markets/${created.id}`);
    expect(got.body.data.version).toBe(1);
  });
});

describe("PATCH /api/markets/{id}", () => {
  it("changes only the given fields", async () => {
    const created = await createMarket(alice, { category: "politics", description: "keep me" });
    const res = await client.patch(
      `/api/markets/${created.id}`,
      { name: "Patched name" },
      { token: alice.token },
    );
    expect(res.status).toBe(200);
    expect(res.body.data).toMatchObject({
      name: "Patched name",
      description: "keep me",
      category: "politics",
      closesAt: created.closesAt,
      version: 2,
    });
    expect(res.headers.get("etag")).toBe('"2"');
  });

  it("category null clears it", async () => {
    const created = await createMarket(alice, { category: "politics" });
    const res = await client.patch(`/api/markets/${created.id}`, { category: null }, { token: alice.token });
    expect(res.status).toBe(200);
    expect(res.body.data.category).toBeNull();
  });

  it("moves the market between category lists, and category null takes it out of them", async () => {
    const from = uniqueSub("patch");
    const to = `${from}-to`;
    const market = await createMarket(alice, { category: from });
    expect(await idsInCategory(from)).toEqual([market.id]);
    const moved = await client.patch(`/api/markets/${market.id}`, { category: to }, { token: alice.token });
    expect(moved.status).toBe(200);
    expect(await idsInCategory(from)).toEqual([]);
    expect(await idsInCategory(to)).toEqual([market.id]);
    // Other changes leave the category keys alone.
    await client.patch(`/api/markets/${market.id}`, { name: "Still here" }, { token: alice.token });
    expect(await idsInCategory(to)).toEqual([market.id]);
    const cleared = await client.patch(
      `/api/markets/${market.id}`,
      { category: null },
      { token: alice.token },
    );
    expect(cleared.status).toBe(200);
    expect(await idsInCategory(to)).toEqual([]);
  });

  it("an empty body or a read-only field is a 400", async () => {
    const created = await createMarket(alice);
    for (const body of [{}, { volume: 1 }, { version: 2 }, { updatedAt: inDays(0) }, { name: "no" }]) {
      const res = await client.patch(`/api/markets/${created.id}`, body, { token: alice.token });
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(res.body.code).toBe("VALIDATION_FAILED");
    }
  });

  it("a PATCH without a body is a 400", async () => {
    const created = await createMarket(alice);
    const res = await client.request("PATCH", `/api/markets/${created.id}`, { token: alice.token });
    expect(res.status).toBe(400);
  });

  it("concurrent PATCHes of different fields keep both", async () => {
    const created = await createMarket(alice);
    const [a, b] = await Promise.all([
      client.patch(`/api/markets/${created.id}`, { name: "Concurrent name" }, { token: alice.token }),
      client.patch(
        `/api/markets/${created.id}`,
        { description: "Concurrent description" },
        { token: alice.token },
      ),
    ]);
    expect(a.status).toBe(200);
    expect(b.status).toBe(200);
    const got = await client.get(`/api/markets/${created.id}`);
    expect(got.body.data).toMatchObject({
      name: "Concurrent name",
      description: "Concurrent description",
      version: 3,
    });
  });
});

describe("If-Match", () => {
  it("guards DELETE too: a stale version is a 412 and the market stays", async () => {
    const created = await createMarket(alice);
    await client.patch(`/api/markets/${created.id}`, { description: "v2" }, { token: alice.token });
    const stale = await client.delete(`/api/markets/${created.id}`, {
      token: moderator.token,
      headers: { "if-match": '"1"' },
    });
    expect(stale.status).toBe(412);
    expect((await client.get(`/api/markets/${created.id}`)).status).toBe(200);
    const current = await client.delete(`/api/markets/${created.id}`, {
      token: moderator.token,
      headers: { "if-match": '"2"' },
    });
    expect(current.status).toBe(204);
  });

  it("a stale version is a 412 and nothing is written", async () => {
    const created = await createMarket(alice);
    await client.patch(`/api/markets/${created.id}`, { description: "v2" }, { token: alice.token });
    const res = await client.patch(
      `/api/markets/${created.id}`,
      { name: "Should not land" },
      { token: alice.token, headers: { "if-match": '"1"' } },
    );
    expect(res.status).toBe(412);
    expect(res.body.code).toBe("PRECONDITION_FAILED");
    const got = await client.get(`/api/markets/${created.id}`);
    expect(got.body.data.name).toBe(created.name);
    expect(got.body.data.version).toBe(2);
    const put = await client.put(
      `/api/markets/${created.id}`,
      { name: "Should not land", description: "", closesAt: inDays(3), status: "active" },
      { token: alice.token, headers: { "if-match": '"1"' } },
    );
    expect(put.status).toBe(412);
  });

  it("the current version matches", async () => {
    const created = await createMarket(alice);
    const res = await client.patch(
      `/api/markets/${created.id}`,
      { name: "Matched name" },
      { token: alice.token, headers: { "if-match": '"1"' } },
    );
    expect(res.status).toBe(200);
    expect(res.body.data.version).toBe(2);
  });

  it("a weak tag never matches", async () => {
    const created = await createMarket(alice);
    const res = await client.patch(
      `/api/markets/${created.id}`,
      { name: "Weak name" },
      { token: alice.token, headers: { "if-match": 'W/"1"' } },
    );
    expect(res.status).toBe(412);
    expect((await client.get(`/api/markets/${created.id}`)).body.data.name).toBe(created.name);
  });

  it("* matches any version", async () => {
    const created = await createMarket(alice);
    const res = await client.patch(
      `/api/markets/${created.id}`,
      { name: "Star name" },
      { token: alice.token, headers: { "if-match": "*" } },
    );
    expect(res.status).toBe(200);
  });

  it("one of a list of tags matches", async () => {
    const created = await createMarket(alice);
    const res = await client.patch(
      `/api/markets/${created.id}`,
      { name: "Listed name" },
      { token: alice.token, headers: { "if-match": '"7", "1"' } },
    );
    expect(res.status).toBe(200);
  });

  it("If-Match on a missing market is a 404", async () => {
    const res = await client.patch(
      "/api/markets/01HMISSINGMARKETID0000000",
      { name: "Any name" },
      { token: alice.token, headers: { "if-match": '"1"' } },
    );
    expect(res.status).toBe(404);
  });
});

describe("status transitions", () => {
  it("go forward one step at a time", async () => {
    const draft = await createMarket(alice, { status: "draft" });
    const path = `/api/markets/${draft.id}`;
    const skip = await client.patch(path, { status: "closed" }, { token: alice.token });
    expect(skip.status).toBe(409);
    expect(skip.body.code).toBe("INVALID_TRANSITION");
    expect((await client.patch(path, { status: "active" }, { token: alice.token })).status).toBe(200);
    const back = await client.patch(path, { status: "draft" }, { token: alice.token });
    expect(back.status).toBe(409);
    expect(back.body.code).toBe("INVALID_TRANSITION");
    const skipResolve = await client.patch(
      path,
      { status: "resolved", outcome: "yes" },
      { token: moderator.token },
    );
    expect(skipResolve.status).toBe(409);
    expect(skipResolve.body.code).toBe("INVALID_TRANSITION");
    expect((await client.patch(path, { status: "closed" }, { token: alice.token })).status).toBe(200);
    const reopen = await client.put(
      path,
      { name: draft.name, description: "", closesAt: draft.closesAt, status: "active" },
      { token: alice.token },
    );
    expect(reopen.status).toBe(409);
    expect(reopen.body.code).toBe("INVALID_TRANSITION");
  });

  it("resolving needs a moderator or admin and an outcome", async () => {
    const market = await createMarket(alice);
    const path = `/api/markets/${market.id}`;
    await client.patch(path, { status: "closed" }, { token: alice.token });
    const byOwner = await client.patch(path, { status: "resolved", outcome: "yes" }, { token: alice.token });
    expect(byOwner.status).toBe(403);
    expect(byOwner.body.code).toBe("FORBIDDEN");
    const noOutcome = await client.patch(path, { status: "resolved" }, { token: moderator.token });
    expect(noOutcome.status).toBe(400);
    const badOutcome = await client.patch(
      path,
      { status: "resolved", outcome: "maybe" },
      { token: moderator.token },
    );
    expect(badOutcome.status).toBe(400);
    const outcomeAlone = await client.patch(path, { outcome: "yes" }, { token: moderator.token });
    expect(outcomeAlone.status).toBe(400);
    const resolved = await client.patch(
      path,
      { status: "resolved", outcome: "no" },
      { token: moderator.token },
    );
    expect(resolved.status).toBe(200);
    expect(resolved.body.data).toMatchObject({ status: "resolved", outcome: "no" });
    const again = await client.patch(path, { status: "resolved", outcome: "no" }, { token: admin.token });
    expect(again.status).toBe(200);
    const flip = await client.patch(path, { status: "resolved", outcome: "yes" }, { token: admin.token });
    expect(flip.status).toBe(409);
    expect((await client.get(path)).body.data.outcome).toBe("no");
  });
});

describe("PUT cannot resolve", () => {
  it("PUT to resolved is a 409 INVALID_TRANSITION (it takes no outcome); a resolved market keeps its outcome under PUT", async () => {
    const market = await createMarket(alice);
    const path = `/api/markets/${market.id}`;
    await client.patch(path, { status: "closed" }, { token: alice.token });
    const body = { name: market.name, description: "", closesAt: market.closesAt, status: "resolved" };
    const res = await client.put(path, body, { token: moderator.token });
    expect(res.status).toBe(409);
    expect(res.body.code).toBe("INVALID_TRANSITION");
    expect(res.body.error).toMatch(/PATCH and an outcome/);
    // State rules come after existence: a PUT to resolved on a missing market is still a 404.
    const missing = await client.put("/api/markets/no-such-market", body, { token: moderator.token });
    expect(missing.status).toBe(404);
    // …and If-Match (412) before it.
    const stale = await client.put(path, body, { token: moderator.token, headers: { "if-match": '"99"' } });
    expect(stale.status).toBe(412);
    expect((await client.get(path)).body.data).toMatchObject({ status: "closed", outcome: null, version: 2 });
    await client.patch(path, { status: "resolved", outcome: "yes" }, { token: moderator.token });
    const edit = await client.put(path, { ...body, description: "Settled" }, { token: moderator.token });
    expect(edit.status).toBe(200);
    expect(edit.body.data).toMatchObject({ status: "resolved", outcome: "yes", description: "Settled" });
  });
});

describe("ownership", () => {
  it("another user may not change a market: 403, nothing written", async () => {
    const market = await createMarket(alice);
    const path = `/api/markets/${market.id}`;
    const patch = await client.patch(path, { name: "Bob was here" }, { token: bob.token });
    expect(patch.status).toBe(403);
    expect(patch.body.code).toBe("FORBIDDEN");
    const put = await client.put(
      path,
      { name: "Bob was here", description: "", closesAt: inDays(4), status: "active" },
      { token: bob.token },
    );
    expect(put.status).toBe(403);
    expect((await client.get(path)).body.data.version).toBe(1);
  });

  it("moderators and admins may change any market", async () => {
    const market = await createMarket(alice);
    const path = `/api/markets/${market.id}`;
    const byModerator = await client.patch(path, { name: "Moderated" }, { token: moderator.token });
    expect(byModerator.status).toBe(200);
    expect(byModerator.body.data.creatorId).toBe(alice.id);
    const byAdmin = await client.patch(path, { description: "Administered" }, { token: admin.token });
    expect(byAdmin.status).toBe(200);
    expect(byAdmin.body.data.version).toBe(3);
  });
});

describe("DELETE /api/markets/{id}", () => {
  it("needs the delete permission", async () => {
    const market = await createMarket(alice);
    const res = await client.delete(`/api/markets/${market.id}`, { token: alice.token });
    expect(res.status).toBe(403);
    expect(res.body.code).toBe("FORBIDDEN");
  });

  it("204, then the market is gone", async () => {
    const market = await createMarket(alice);
    const res = await client.delete(`/api/markets/${market.id}`, { token: moderator.token });
    expect(res.status).toBe(204);
    expect(res.text).toBe("");
    expect(res.headers.get("x-request-id")).toBeTruthy();
    expect((await client.get(`/api/markets/${market.id}`)).status).toBe(404);
    expect((await client.delete(`/api/markets/${market.id}`, { token: moderator.token })).status).toBe(404);
  });

  it("409 MARKET_HAS_POSITIONS while positions exist", async () => {
    const market = await createMarket(alice);
    const position = await client.post(
      `/api/markets/${market.id}/positions`,
      { side: "yes", amount: 5 },
      { token: bob.token },
    );
    expect(position.status).toBe(201);
    const res = await client.delete(`/api/markets/${market.id}`, { token: admin.token });
    expect(res.status).toBe(409);
    expect(res.body.code).toBe("MARKET_HAS_POSITIONS");
    expect((await client.get(`/api/markets/${market.id}`)).status).toBe(200);
  });
});

describe("profiles", () => {
  it("the default display name is the email's local part, else the sub", async () => {
    const withEmail = await createMarket(alice);
    expect(withEmail.creator).toEqual({ id: alice.id, displayName: "alice.smith" });
    const noEmail = await newUser("user");
    const market = await createMarket(noEmail);
    expect(market.creator).toEqual({ id: noEmail.id, displayName: noEmail.id });
  });

  it("PUT /api/me upserts the display name, which shows as creator.displayName", async () => {
    const carol = await newUser("user", { email: "carol@example.com" });
    const market = await createMarket(carol);
    expect(market.creator.displayName).toBe("carol");
    const res = await client.put("/api/me", { displayName: "  Carol C.  " }, { token: carol.token });
    expect(res.status).toBe(200);
    expect(res.body.success).toBe(true);
    expect(res.body.data).toMatchObject({ id: carol.id, displayName: "Carol C." });
    const got = await client.get(`/api/markets/${market.id}`);
    expect(got.body.data.creator).toEqual({ id: carol.id, displayName: "Carol C." });
    const listed = await client.get(`/api/markets?creatorId=${encodeURIComponent(carol.id)}`);
    expect(listed.body.data[0].creator.displayName).toBe("Carol C.");
    // The create response of a later market shows the new name too.
    const next = await createMarket(carol);
    expect(next.creator).toEqual({ id: carol.id, displayName: "Carol C." });
    await client.put("/api/me", { displayName: "Carol D." }, { token: carol.token });
    expect((await createMarket(carol)).creator.displayName).toBe("Carol D.");
  });

  it("PUT /api/me creates a profile before any other write", async () => {
    const dave = await newUser("user");
    const res = await client.put("/api/me", { displayName: "Dave" }, { token: dave.token });
    expect(res.status).toBe(200);
    const market = await createMarket(dave);
    expect(market.creator.displayName).toBe("Dave");
  });

  it("validates the display name", async () => {
    for (const body of [
      {},
      { displayName: "" },
      { displayName: "   " },
      { displayName: "x".repeat(51) },
      { displayName: "ok", extra: 1 },
    ]) {
      const res = await client.put("/api/me", body, { token: bob.token });
      expect(res.status, JSON.stringify(body)).toBe(400);
    }
    expect((await client.put("/api/me", { displayName: "ok" })).status).toBe(401);
  });
});
