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
} from "../support/api-client.ts";
import { startE2eCloud } from "../support/e2e-cloud.ts";
import { walkPages } from "../support/walk-pages.ts";

type Market = Json;

let cloud: LocalCloud;
let client: ApiClient;
let alice: TestUser;
let bob: TestUser;
let moderator: TestUser;
let admin: TestUser;
/** Every market created in beforeAll, as last seen. */
const markets: Market[] = [];

const nonDrafts = () => markets.filter((market) => market.status !== "draft");

async function create(owner: TestUser, overrides: Record<string, unknown>): Promise<Market> {
  const res = await client.post("/api/markets", marketBody(overrides), { token: owner.token });
  expect(res.status).toBe(201);
  return res.body.data;
}

/** Walk nextCursor from the first page to the last; returns every item and the number of pages. */
async function walk(query: string, token?: string): Promise<{ items: Market[]; pages: number }> {
  const pages = await walkPages<Market>(async (cursor) => {
    const separator = query ? "&" : "";
    const path = `/api/markets?${query}${cursor ? `${separator}cursor=${encodeURIComponent(cursor)}` : ""}`;
    const res = await client.get(path, { token });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    return { items: res.body.data, nextCursor: res.body.meta.nextCursor };
  }, 100);
  return { items: pages.flat(), pages: pages.length };
}

const ids = (items: Market[]) => items.map((market) => market.id);
const byCreatedDesc = (a: Market, b: Market) =>
  `${b.createdAt}#${b.id}`.localeCompare(`${a.createdAt}#${a.id}`);

beforeAll(async () => {
  cloud = await startE2eCloud();
  client = api(cloud);
  alice = await newUser("user");
  bob = await newUser("user");
  moderator = await newUser("moderator");
  admin = await newUser("admin");

  const categories = ["sports", "politics", undefined];
  for (let i = 0; i < 14; i += 1) {
    const owner = i % 2 === 0 ? alice : bob;
    const market = await create(owner, {
      name: `Active market ${i}`,
      closesAt: inDays(5 + ((i * 7) % 14)),
      ...(categories[i % 3] ? { category: categories[i % 3] } : {}),
      ...(i % 4 === 3 ? {} : { initialPosition: { side: i % 2 ? "yes" : "no", amount: 10 + i * 3.5 } }),
    });
    markets.push(market);
  }
  // Three closed, two of them then resolved.
  for (const market of markets.slice(0, 3)) {
    const res = await client.patch(
      `/api/markets/${market.id}`,
      { status: "closed" },
      { token: moderator.token },
    );
    expect(res.status).toBe(200);
    Object.assign(market, res.body.data);
  }
  for (const market of markets.slice(0, 2)) {
    const res = await client.patch(
      `/api/markets/${market.id}`,
      { status: "resolved", outcome: "yes" },
      { token: moderator.token },
    );
    expect(res.status).toBe(200);
    Object.assign(market, res.body.data);
  }
  for (let i = 0; i < 3; i += 1)
    markets.push(await create(alice, { name: `Alice draft ${i}`, status: "draft" }));
  for (let i = 0; i < 2; i += 1) markets.push(await create(bob, { name: `Bob draft ${i}`, status: "draft" }));
}, 120_000);

afterAll(async () => {
  await cloud?.stop();
});

describe("defaults", () => {
  it("lists non-draft markets, newest first, with creator and meta", async () => {
    const res = await client.get("/api/markets");
    expect(res.status).toBe(200);
    expect(res.body.success).toBe(true);
    const expected = nonDrafts().sort(byCreatedDesc);
    expect(ids(res.body.data)).toEqual(ids(expected).slice(0, 20));
    expect(res.body.meta).toEqual({ limit: 20, count: expected.length, nextCursor: null });
    for (const market of res.body.data) {
      expect(market.creator).toEqual({ id: market.creatorId, displayName: market.creatorId });
      expect(market.status).not.toBe("draft");
    }
    const { position: _, ...first } = expected[0] as Market;
    expect(res.body.data[0]).toEqual(first);
  });

  it("meta has limit, count and nextCursor", async () => {
    const res = await client.get("/api/markets?limit=5");
    expect(Object.keys(res.body.meta).sort()).toEqual(["count", "limit", "nextCursor"]);
    expect(res.body.meta.limit).toBe(5);
    expect(res.body.meta.count).toBe(5);
    expect(typeof res.body.meta.nextCursor).toBe("string");
  });
});

describe("filters", () => {
  it("status", async () => {
    for (const status of ["active", "closed", "resolved"]) {
      const res = await client.get(`/api/markets?status=${status}&limit=100`);
      expect(res.status).toBe(200);
      const expected = markets.filter((market) => market.status === status).sort(byCreatedDesc);
      expect(ids(res.body.data)).toEqual(ids(expected));
    }
    expect((await client.get("/api/markets?status=open")).status).toBe(400);
  });

  it("creatorId", async () => {
    const res = await client.get(`/api/markets?creatorId=${encodeURIComponent(bob.id)}&limit=100`);
    const expected = nonDrafts()
      .filter((market) => market.creatorId === bob.id)
      .sort(byCreatedDesc);
    expect(ids(res.body.data)).toEqual(ids(expected));
    const none = await client.get("/api/markets?creatorId=nobody");
    expect(none.body.data).toEqual([]);
    expect(none.body.meta.nextCursor).toBeNull();
  });

  it("category", async () => {
    const res = await client.get("/api/markets?category=sports&limit=100");
    const expected = nonDrafts()
      .filter((market) => market.category === "sports")
      .sort(byCreatedDesc);
    expect(expected.length).toBeGreaterThan(2);
    expect(ids(res.body.data)).toEqual(ids(expected));
  });

  it("status, creatorId and category together", async () => {
    const res = await client.get(
      `/api/markets?status=active&category=politics&creatorId=${encodeURIComponent(alice.id)}`,
    );
    const expected = markets
      .filter((m) => m.status === "active" && m.category === "politics" && m.creatorId === alice.id)
      .sort(byCreatedDesc);
    expect(ids(res.body.data)).toEqual(ids(expected));
  });
});

describe("sorting", () => {
  it("volume: descending by default, ascending on request", async () => {
    const desc = await client.get("/api/markets?sort=volume&limit=100");
    const volumes = desc.body.data.map((market: Market) => market.volume);
    expect(volumes).toEqual([...volumes].sort((a, b) => b - a));
    expect(desc.body.data).toHaveLength(nonDrafts().length);
    const asc = await client.get("/api/markets?sort=volume&order=asc&limit=100");
    expect(ids(asc.body.data)).toEqual(ids(desc.body.data).reverse());
  });

  it("createdAt: descending by default, ascending on request", async () => {
    const asc = await client.get("/api/markets?sort=createdAt&order=asc&limit=100");
    expect(ids(asc.body.data)).toEqual(ids(nonDrafts().sort(byCreatedDesc)).reverse());
  });

  it("closesAt: ascending by default", async () => {
    const res = await client.get("/api/markets?sort=closesAt&limit=100");
    const keys = res.body.data.map((market: Market) => `${market.closesAt}#${market.id}`);
    expect(keys).toEqual([...keys].sort());
    expect(keys).toHaveLength(nonDrafts().length);
    const desc = await client.get("/api/markets?sort=closesAt&order=desc&limit=100");
    expect(ids(desc.body.data)).toEqual(ids(res.body.data).reverse());
  });

  it("an unknown sort or order is a 400", async () => {
    expect((await client.get("/api/markets?sort=name")).status).toBe(400);
    expect((await client.get("/api/markets?order=up")).status).toBe(400);
  });
});

describe("limit", () => {
  it("1 to 100", async () => {
    for (const limit of ["0", "101", "-1", "abc", "1.5", ""]) {
      const res = await client.get(`/api/markets?limit=${limit}`);
      expect(res.status, limit).toBe(400);
      expect(res.body.code).toBe("VALIDATION_FAILED");
    }
    expect((await client.get("/api/markets?limit=1")).body.data).toHaveLength(1);
    expect((await client.get("/api/markets?limit=100")).status).toBe(200);
  });
});

describe("cursor", () => {
  for (const [name, query] of [
    ["createdAt", "limit=4"],
    ["volume", "sort=volume&limit=3"],
    ["volume asc", "sort=volume&order=asc&limit=5"],
    ["closesAt", "sort=closesAt&limit=4"],
    ["closesAt desc", "sort=closesAt&order=desc&limit=2"],
    ["a filter", "category=sports&limit=2"],
    ["one status", "status=active&sort=volume&limit=3"],
  ] as const) {
    it(`walking nextCursor returns every market once, in order (${name})`, async () => {
      const all = await client.get(`/api/markets?${query.replace(/limit=\d+/, "limit=100")}`);
      const { items, pages } = await walk(query);
      expect(ids(items)).toEqual(ids(all.body.data));
      expect(new Set(ids(items)).size).toBe(items.length);
      expect(pages).toBeGreaterThan(1);
    });
  }

  it("walking while other markets are written still returns every market once", async () => {
    const before = await client.get("/api/markets?limit=100");
    const expected = ids(before.body.data);
    const pages = await walkPages<Market>(async (cursor) => {
      const res = await client.get(
        `/api/markets?limit=3${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ""}`,
      );
      await create(bob, { name: "Written during the walk" });
      return { items: res.body.data, nextCursor: res.body.meta.nextCursor };
    });
    expect(ids(pages.flat())).toEqual(expected);
  });

  it("a tampered or foreign cursor is a 400", async () => {
    const first = await client.get("/api/markets?limit=2");
    const cursor: string = first.body.meta.nextCursor;
    const decoded = JSON.parse(Buffer.from(cursor, "base64url").toString("utf8"));
    const tampered = Buffer.from(JSON.stringify({ ...decoded, k: "' OR 1=1" })).toString("base64url");
    for (const bad of [
      "garbage",
      tampered,
      `${cursor.slice(0, -3)}xyz`,
      Buffer.from("{}").toString("base64url"),
    ]) {
      const res = await client.get(`/api/markets?limit=2&cursor=${encodeURIComponent(bad)}`);
      expect(res.status, bad).toBe(400);
      expect(res.body.code).toBe("VALIDATION_FAILED");
    }
    const foreign = await client.get(`/api/markets?sort=volume&cursor=${encodeURIComponent(cursor)}`);
    expect(foreign.status).toBe(400);
  });

  it("cursor and offset together are a 400", async () => {
    const first = await client.get("/api/markets?limit=2");
    const res = await client.get(
      `/api/markets?limit=2&offset=2&cursor=${encodeURIComponent(first.body.meta.nextCursor)}`,
    );
    expect(res.status).toBe(400);
    expect(res.body.code).toBe("VALIDATION_FAILED");
  });
});

describe("offset", () => {
  it("skips that many markets", async () => {
    const all = await client.get("/api/markets?limit=100");
    const res = await client.get("/api/markets?offset=3&limit=4");
    expect(res.status).toBe(200);
    expect(ids(res.body.data)).toEqual(ids(all.body.data).slice(3, 7));
    const sorted = await client.get("/api/markets?sort=volume&offset=2&limit=3");
    const allByVolume = await client.get("/api/markets?sort=volume&limit=100");
    expect(ids(sorted.body.data)).toEqual(ids(allByVolume.body.data).slice(2, 5));
  });

  it("works up to 1000; 1001 is a 400", async () => {
    const res = await client.get("/api/markets?offset=1000");
    expect(res.status).toBe(200);
    expect(res.body.data).toEqual([]);
    expect(res.body.meta.nextCursor).toBeNull();
    const zero = await client.get("/api/markets?offset=0&limit=1");
    expect(zero.status).toBe(200);
    const over = await client.get("/api/markets?offset=1001");
    expect(over.status).toBe(400);
    expect(over.body.code).toBe("VALIDATION_FAILED");
    expect((await client.get("/api/markets?offset=-1")).status).toBe(400);
  });
});

describe("fields", () => {
  it("returns only id and the named fields, without creator", async () => {
    const res = await client.get("/api/markets?fields=name,volume&sort=volume&limit=100");
    expect(res.status).toBe(200);
    const full = await client.get("/api/markets?sort=volume&limit=100");
    expect(res.body.data).toHaveLength(full.body.data.length);
    res.body.data.forEach((market: Market, index: number) => {
      expect(Object.keys(market).sort()).toEqual(["id", "name", "volume"]);
      const same = full.body.data[index];
      expect(market).toEqual({ id: same.id, name: same.name, volume: same.volume });
    });
  });

  it("fields=creator returns id and creator", async () => {
    const res = await client.get("/api/markets?fields=creator&limit=3");
    expect(res.status).toBe(200);
    for (const market of res.body.data) {
      expect(Object.keys(market).sort()).toEqual(["creator", "id"]);
      expect(typeof market.creator.id).toBe("string");
      expect(typeof market.creator.displayName).toBe("string");
    }
  });

  it("fields with creatorId keeps it", async () => {
    const res = await client.get("/api/markets?fields=creatorId,status&limit=2");
    for (const market of res.body.data)
      expect(Object.keys(market).sort()).toEqual(["creatorId", "id", "status"]);
  });

  it("fields work with a cursor walk and filters", async () => {
    const { items } = await walk(`fields=name&category=politics&limit=2`);
    const expected = nonDrafts().filter((market) => market.category === "politics");
    expect(new Set(ids(items))).toEqual(new Set(ids(expected)));
    for (const market of items) expect(Object.keys(market).sort()).toEqual(["id", "name"]);
  });

  it("an unknown field is a 400", async () => {
    const res = await client.get("/api/markets?fields=name,secret");
    expect(res.status).toBe(400);
    expect(res.body.code).toBe("VALIDATION_FAILED");
    expect((await client.get("/api/markets?fields=")).status).toBe(400);
  });
});

describe("drafts", () => {
  it("status=draft needs a token", async () => {
    const res = await client.get("/api/markets?status=draft");
    expect(res.status).toBe(401);
    expect(res.body.code).toBe("UNAUTHORIZED");
    expect(res.headers.get("www-authenticate")).toMatch(/^Bearer/);
  });

  it("a user sees only its own drafts", async () => {
    const res = await client.get("/api/markets?status=draft", { token: alice.token });
    expect(res.status).toBe(200);
    const expected = markets
      .filter((m) => m.status === "draft" && m.creatorId === alice.id)
      .sort(byCreatedDesc);
    expect(ids(res.body.data)).toEqual(ids(expected));
    const others = await client.get(`/api/markets?status=draft&creatorId=${encodeURIComponent(bob.id)}`, {
      token: alice.token,
    });
    expect(others.status).toBe(200);
    expect(others.body.data).toEqual([]);
    const stranger = await newUser("user");
    expect((await client.get("/api/markets?status=draft", { token: stranger.token })).body.data).toEqual([]);
  });

  it("moderators and admins see all drafts", async () => {
    const expected = markets.filter((m) => m.status === "draft").sort(byCreatedDesc);
    for (const caller of [moderator, admin]) {
      const res = await client.get("/api/markets?status=draft", { token: caller.token });
      expect(ids(res.body.data)).toEqual(ids(expected));
    }
    const onlyBob = await client.get(`/api/markets?status=draft&creatorId=${encodeURIComponent(bob.id)}`, {
      token: admin.token,
    });
    expect(onlyBob.body.data).toHaveLength(2);
  });

  it("drafts never show up without status=draft, even for their owner", async () => {
    const res = await client.get("/api/markets?limit=100", { token: alice.token });
    expect(res.body.data.some((market: Market) => market.status === "draft")).toBe(false);
  });
});
