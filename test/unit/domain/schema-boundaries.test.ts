/** The request schemas at their boundaries: each bound, refinement and default, one case apiece. */
import { describe, expect, it } from "vitest";
import {
  Amount,
  CreateMarketBody,
  FutureDateTime,
  Id,
  IsoDateTime,
  ListMarketsQuery,
  OpenPositionBody,
  PageQuery,
  ReplaceMarketBody,
  SearchQuery,
  UpdateMarketBody,
  UpdateProfileBody,
} from "../../../shared/domain/schemas.ts";
import { defaultDisplayName } from "../../../shared/domain/user.ts";

const ok = (schema: { safeParse(v: unknown): { success: boolean } }, value: unknown) =>
  schema.safeParse(value).success;
const future = "2999-01-01T00:00:00Z";

describe("scalars", () => {
  it("Id: 1–128 characters of letters, digits, - and _", () => {
    expect(ok(Id, "a")).toBe(true);
    expect(ok(Id, "a".repeat(128))).toBe(true);
    expect(ok(Id, "a".repeat(129))).toBe(false);
    expect(ok(Id, "")).toBe(false);
    expect(ok(Id, "a b")).toBe(false);
  });

  it("Amount: 0.01–1,000,000 with at most two decimals", () => {
    expect(ok(Amount, 0.01)).toBe(true);
    expect(ok(Amount, 1_000_000)).toBe(true);
    expect(ok(Amount, 0.009)).toBe(false);
    expect(ok(Amount, 1_000_000.01)).toBe(false);
    expect(ok(Amount, 0.1 + 0.2)).toBe(false);
    expect(ok(Amount, 12.34)).toBe(true);
  });

  it("dates: ISO with offset, normalised to UTC; FutureDateTime must be ahead", () => {
    expect(IsoDateTime.parse("2030-01-01T01:00:00+01:00")).toBe("2030-01-01T00:00:00.000Z");
    expect(ok(IsoDateTime, "tomorrow")).toBe(false);
    expect(ok(FutureDateTime, future)).toBe(true);
    expect(ok(FutureDateTime, "2001-01-01T00:00:00Z")).toBe(false);
  });
});

describe("bodies", () => {
  it("create: name 3–200 after trimming, defaults, draft without initialPosition", () => {
    expect(CreateMarketBody.parse({ name: "  abc  ", closesAt: future })).toMatchObject({
      name: "abc",
      description: "",
      status: "active",
    });
    expect(ok(CreateMarketBody, { name: " ab ", closesAt: future })).toBe(false);
    expect(ok(CreateMarketBody, { name: "x".repeat(200), closesAt: future })).toBe(true);
    expect(ok(CreateMarketBody, { name: "x".repeat(201), closesAt: future })).toBe(false);
    expect(ok(CreateMarketBody, { name: "abc", closesAt: future, description: "d".repeat(5001) })).toBe(
      false,
    );
    expect(ok(CreateMarketBody, { name: "abc", closesAt: future, category: "c".repeat(51) })).toBe(false);
    expect(ok(CreateMarketBody, { name: "abc", closesAt: future, status: "closed" })).toBe(false);
    const position = { side: "yes", amount: 1 };
    expect(ok(CreateMarketBody, { name: "abc", closesAt: future, initialPosition: position })).toBe(true);
    expect(
      ok(CreateMarketBody, { name: "abc", closesAt: future, status: "draft", initialPosition: position }),
    ).toBe(false);
    expect(ok(CreateMarketBody, { name: "abc", closesAt: future, extra: 1 })).toBe(false);
  });

  it("replace needs every field but category", () => {
    const full = { name: "abc", description: "", closesAt: future, status: "active" };
    expect(ok(ReplaceMarketBody, full)).toBe(true);
    for (const key of Object.keys(full)) {
      const { [key]: _dropped, ...rest } = full as Record<string, unknown>;
      expect(ok(ReplaceMarketBody, rest), key).toBe(false);
    }
  });

  it("update: non-empty, outcome only with resolved and resolved only with outcome", () => {
    expect(ok(UpdateMarketBody, {})).toBe(false);
    expect(ok(UpdateMarketBody, { category: null })).toBe(true);
    expect(ok(UpdateMarketBody, { status: "resolved", outcome: "no" })).toBe(true);
    expect(ok(UpdateMarketBody, { status: "resolved" })).toBe(false);
    expect(ok(UpdateMarketBody, { outcome: "yes" })).toBe(false);
    expect(ok(UpdateMarketBody, { status: "closed", outcome: "yes" })).toBe(false);
  });

  it("positions and profiles", () => {
    expect(ok(OpenPositionBody, { side: "no", amount: 5 })).toBe(true);
    expect(ok(OpenPositionBody, { side: "maybe", amount: 5 })).toBe(false);
    expect(ok(UpdateProfileBody, { displayName: "x".repeat(50) })).toBe(true);
    expect(ok(UpdateProfileBody, { displayName: "x".repeat(51) })).toBe(false);
    expect(ok(UpdateProfileBody, { displayName: "   " })).toBe(false);
  });
});

describe("queries", () => {
  it("list: defaults, limit 1–100, offset 0–1000, not both cursor and offset, fields", () => {
    expect(ListMarketsQuery.parse({})).toMatchObject({ sort: "createdAt", limit: 20 });
    expect(ok(ListMarketsQuery, { limit: "0" })).toBe(false);
    expect(ok(ListMarketsQuery, { limit: "100" })).toBe(true);
    expect(ok(ListMarketsQuery, { limit: "101" })).toBe(false);
    expect(ok(ListMarketsQuery, { limit: "1.5" })).toBe(false);
    expect(ok(ListMarketsQuery, { offset: "1000" })).toBe(true);
    expect(ok(ListMarketsQuery, { offset: "1001" })).toBe(false);
    expect(ok(ListMarketsQuery, { offset: "1", cursor: "abc" })).toBe(false);
    expect(ListMarketsQuery.parse({ fields: "id, name" }).fields).toEqual(["id", "name"]);
    expect(ok(ListMarketsQuery, { fields: "password" })).toBe(false);
    expect(ok(ListMarketsQuery, { fields: "" })).toBe(false);
    expect(ok(ListMarketsQuery, { cursor: "c".repeat(1025) })).toBe(false);
    expect(ok(ListMarketsQuery, { creatorId: "" })).toBe(false);
  });

  it("page and search", () => {
    expect(PageQuery.parse({})).toEqual({ limit: 20 });
    expect(SearchQuery.parse({ q: " rain " })).toEqual({ q: "rain", limit: 10 });
    expect(ok(SearchQuery, { q: "   " })).toBe(false);
    expect(ok(SearchQuery, { q: "x".repeat(201) })).toBe(false);
    expect(ok(SearchQuery, { q: "x", limit: "51" })).toBe(false);
    expect(ok(SearchQuery, { q: "x", limit: "50" })).toBe(true);
  });
});

describe("defaultDisplayName", () => {
  it("is the part of the email before @, else the subject, at most 50 characters", () => {
    expect(defaultDisplayName("u-1", "alice@example.com")).toBe("alice");
    expect(defaultDisplayName("u-1", " @example.com")).toBe("u-1");
    expect(defaultDisplayName("u-1")).toBe("u-1");
    expect(defaultDisplayName("s".repeat(60))).toBe("s".repeat(50));
    expect(defaultDisplayName("u-1", `${"e".repeat(60)}@x`)).toBe("e".repeat(50));
  });
});
