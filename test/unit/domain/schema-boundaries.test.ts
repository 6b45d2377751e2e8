/** The request schemas at their boundaries: each bound, refinement and default, one case apiece. */
import { afterEach, describe, expect, it, vi } from "vitest";
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

describe("what a refusal names", () => {
  type Parser = { safeParse(v: unknown): unknown };
  /** The first issue of a refused value, as the 400's `details` will show it. */
  const firstIssue = (schema: Parser, value: unknown) => {
    const result = schema.safeParse(value) as {
      success: boolean;
      error?: { issues: { path: PropertyKey[]; message: string }[] };
    };
    const [issue] = result.error?.issues ?? [];
    return { success: result.success, path: issue?.path.join("."), message: issue?.message ?? "" };
  };
  const position = { side: "yes", amount: 1 };

  it.each<{ name: string; schema: Parser; value: unknown; path: string; message: RegExp }>([
    {
      name: "a draft with an initial position",
      schema: CreateMarketBody,
      value: { name: "abc", closesAt: future, status: "draft", initialPosition: position },
      path: "initialPosition",
      message: /initialPosition is not allowed on a draft market/,
    },
    { name: "an empty PATCH", schema: UpdateMarketBody, value: {}, path: "", message: /at least one field/ },
    {
      name: "an outcome without resolving",
      schema: UpdateMarketBody,
      value: { status: "closed", outcome: "yes" },
      path: "outcome",
      message: /outcome is only accepted with status "resolved"/,
    },
    {
      name: "resolving without an outcome",
      schema: UpdateMarketBody,
      value: { status: "resolved" },
      path: "outcome",
      message: /status "resolved" needs an outcome/,
    },
    {
      name: "cursor and offset together",
      schema: ListMarketsQuery,
      value: { cursor: "abc", offset: "1" },
      path: "offset",
      message: /either cursor or offset/,
    },
    {
      name: "an amount with three decimals",
      schema: Amount,
      value: 1.234,
      path: "",
      message: /at most 2 decimals/,
    },
    {
      name: "a closing time in the past",
      schema: FutureDateTime,
      value: "2001-01-01T00:00:00Z",
      path: "",
      message: /in the future/,
    },
    {
      name: "a limit that is no whole number",
      schema: ListMarketsQuery,
      value: { limit: "ten" },
      path: "limit",
      message: /whole number/,
    },
    {
      name: "a category with a control character",
      schema: ListMarketsQuery,
      value: { category: "rain\u0000" },
      path: "category",
      message: /well-formed Unicode without control characters/,
    },
    {
      name: "a creatorId with a lone surrogate",
      schema: ListMarketsQuery,
      value: { creatorId: "victim\uD800" },
      path: "creatorId",
      message: /1-128 characters, must be well-formed Unicode/,
    },
  ])("$name: refused at $path", ({ schema, value, path, message }) => {
    const issue = firstIssue(schema, value);
    expect(issue.success).toBe(false);
    expect(issue.path).toBe(path);
    expect(issue.message).toMatch(message);
  });
});

describe("enumerations and query numbers", () => {
  type Parser = { safeParse(v: unknown): { success: boolean } };
  const row = (name: string, schema: Parser, value: unknown, accepted: boolean) => ({
    name,
    schema,
    value,
    accepted,
  });

  it.each([
    row("create as draft", CreateMarketBody, { name: "abc", closesAt: future, status: "draft" }, true),
    row("create as active", CreateMarketBody, { name: "abc", closesAt: future, status: "active" }, true),
    row("resolve as yes", UpdateMarketBody, { status: "resolved", outcome: "yes" }, true),
    row("resolve as no", UpdateMarketBody, { status: "resolved", outcome: "no" }, true),
    row("resolve as maybe", UpdateMarketBody, { status: "resolved", outcome: "maybe" }, false),
    ...["volume", "createdAt", "closesAt"].map((sort) =>
      row(`sort by ${sort}`, ListMarketsQuery, { sort }, true),
    ),
    row("sort by name", ListMarketsQuery, { sort: "name" }, false),
    row("order asc", ListMarketsQuery, { order: "asc" }, true),
    row("order desc", ListMarketsQuery, { order: "desc" }, true),
    row("order up", ListMarketsQuery, { order: "up" }, false),
    row("a cursor alone", ListMarketsQuery, { cursor: "abc" }, true),
    row("an offset alone", ListMarketsQuery, { offset: "20" }, true),
    row("a creatorId", ListMarketsQuery, { creatorId: "u-1" }, true),
    row("a creatorId of 128 emoji", ListMarketsQuery, { creatorId: "\u{1F600}".repeat(128) }, true),
    row("a creatorId of 129 characters", ListMarketsQuery, { creatorId: "u".repeat(129) }, false),
    // Number() would read all of these; the API takes digits only.
    ...[" 5", "5 ", "+5", "-1", "1e1", "0x10", "5.0", ""].map((limit) =>
      row(`limit ${JSON.stringify(limit)}`, ListMarketsQuery, { limit }, false),
    ),
    row("limit 5", ListMarketsQuery, { limit: "5" }, true),
  ])("$name: accepted $accepted", ({ schema, value, accepted }) => {
    expect(schema.safeParse(value).success).toBe(accepted);
  });
});

describe("FutureDateTime at the present moment", () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it("refuses now itself and accepts a millisecond later", () => {
    vi.useFakeTimers({ now: new Date("2030-06-01T12:00:00.000Z") });
    expect(ok(FutureDateTime, "2030-06-01T12:00:00.000Z")).toBe(false);
    expect(ok(FutureDateTime, "2030-06-01T12:00:00.001Z")).toBe(true);
  });
});
