import { describe, expect, it } from "vitest";
import { ifNoneMatchHits, parseIfMatch } from "../../../shared/domain/if-match.ts";
import {
  canTransition,
  etagOf,
  MARKET_STATUSES,
  type Market,
  type MarketStatus,
} from "../../../shared/domain/market.ts";
import {
  assertMayChange,
  assertOpenForPositions,
  assertTransition,
  assertVisible,
  canView,
  changesSearchableText,
  mayListDraftsOf,
} from "../../../shared/domain/market-rules.ts";
import {
  ForbiddenError,
  InvalidTransitionError,
  MarketNotActiveError,
  NotFoundError,
} from "../../../shared/errors.ts";
import { OPEN_FOR_POSITIONS_CASES, TRANSITION_CASES } from "../../support/market-rule-cases.ts";

describe("canTransition", () => {
  const allowed = new Set(["draft>active", "active>closed", "closed>resolved"]);

  it("allows exactly one step forward, or staying", () => {
    for (const from of MARKET_STATUSES) {
      for (const to of MARKET_STATUSES) {
        const expected = from === to || allowed.has(`${from}>${to}`);
        expect(canTransition(from, to), `${from} → ${to}`).toBe(expected);
      }
    }
  });

  it.each([
    ["active", "draft"],
    ["resolved", "active"],
    ["draft", "closed"],
    ["draft", "resolved"],
    ["active", "resolved"],
  ] as [MarketStatus, MarketStatus][])("refuses %s → %s", (from, to) => {
    expect(canTransition(from, to)).toBe(false);
  });
});

describe("assertOpenForPositions", () => {
  const now = new Date("2030-06-01T12:00:00.000Z");

  it.each(OPEN_FOR_POSITIONS_CASES)("$name: open is $open", ({ status, closesInMs, open }) => {
    const market = { id: "m-1", status, closesAt: new Date(now.getTime() + closesInMs).toISOString() };
    if (open) expect(() => assertOpenForPositions(market, now)).not.toThrow();
    else expect(() => assertOpenForPositions(market, now)).toThrow(MarketNotActiveError);
  });
});

describe("assertTransition", () => {
  it.each(TRANSITION_CASES)("$from → $to allowed: $allowed", ({ from, to, allowed }) => {
    const changes = to === "resolved" ? { status: to, outcome: "yes" as const } : { status: to };
    const current = { status: from, outcome: from === "resolved" ? ("yes" as const) : null };
    if (allowed) expect(() => assertTransition(current, changes)).not.toThrow();
    else expect(() => assertTransition(current, changes)).toThrow(InvalidTransitionError);
  });

  it("needs an outcome to resolve, and keeps a resolved market's outcome", () => {
    expect(() => assertTransition({ status: "closed", outcome: null }, { status: "resolved" })).toThrow(
      InvalidTransitionError,
    );
    expect(() => assertTransition({ status: "resolved", outcome: "yes" }, { outcome: "no" })).toThrow(
      InvalidTransitionError,
    );
    expect(() => assertTransition({ status: "resolved", outcome: "yes" }, { outcome: "yes" })).not.toThrow();
  });
});

describe("ownership and visibility", () => {
  const user = { id: "u-1", role: "user" as const };
  const other = { id: "u-2", role: "user" as const };
  const moderator = { id: "mod", role: "moderator" as const };
  const draft = { id: "m-1", status: "draft" as const, creatorId: "u-1" } as Market;

  it("lets the creator, moderators and admins change a market, and only the last two resolve it", () => {
    expect(() => assertMayChange(user, draft, { name: "x" })).not.toThrow();
    expect(() => assertMayChange(other, draft, { name: "x" })).toThrow(ForbiddenError);
    expect(() => assertMayChange(moderator, draft, { name: "x" })).not.toThrow();
    const closed = { ...draft, status: "closed" as const };
    expect(() => assertMayChange(user, closed, { status: "resolved", outcome: "no" })).toThrow(
      ForbiddenError,
    );
    expect(() => assertMayChange(moderator, closed, { status: "resolved", outcome: "no" })).not.toThrow();
  });

  it("shows drafts to their owners only, and answers others with NOT_FOUND", () => {
    expect(canView(user, draft)).toBe(true);
    expect(canView(moderator, draft)).toBe(true);
    expect(canView(other, draft)).toBe(false);
    expect(canView(undefined, draft)).toBe(false);
    expect(canView(undefined, { ...draft, status: "active" })).toBe(true);
    expect(() => assertVisible(other, draft)).toThrow(NotFoundError);
    expect(() => assertVisible(user, undefined)).toThrow(NotFoundError);
    expect(mayListDraftsOf(user, "u-1")).toBe(true);
    expect(mayListDraftsOf(user, "u-2")).toBe(false);
    expect(mayListDraftsOf(moderator, "u-2")).toBe(true);
  });

  it("reindexes on changes to text, category or status only", () => {
    expect(changesSearchableText({ name: "x" })).toBe(true);
    expect(changesSearchableText({ category: null })).toBe(true);
    expect(changesSearchableText({ status: "closed" })).toBe(true);
    expect(changesSearchableText({ closesAt: "2031-01-01T00:00:00.000Z" })).toBe(false);
  });
});

describe("parseIfMatch", () => {
  it("is undefined without a header (unconditional)", () => {
    expect(parseIfMatch(undefined)).toBeUndefined();
  });

  it("matches a strong tag of the version only", () => {
    const condition = parseIfMatch('"3"');
    expect(condition?.matches(3)).toBe(true);
    expect(condition?.matches(4)).toBe(false);
    expect(condition?.matches(30)).toBe(false);
    expect(condition?.wildcard).toBe(false);
  });

  it("matches any tag of a list", () => {
    const condition = parseIfMatch('"1", "5" ,"7"');
    expect([1, 5, 7].map((v) => condition?.matches(v))).toEqual([true, true, true]);
    expect(condition?.matches(2)).toBe(false);
  });

  it("never matches a weak tag", () => {
    const condition = parseIfMatch('W/"3"');
    expect(condition).toBeDefined();
    expect(condition?.matches(3)).toBe(false);
    expect(parseIfMatch('W/"3", "4"')?.matches(3)).toBe(false);
    expect(parseIfMatch('W/"3", "4"')?.matches(4)).toBe(true);
  });

  it("matches anything for *, as a wildcard that pins no version", () => {
    expect(parseIfMatch("*")?.matches(1)).toBe(true);
    expect(parseIfMatch("*")?.matches(99)).toBe(true);
    expect(parseIfMatch(' "2", * ')?.matches(5)).toBe(true);
    expect(parseIfMatch("*")?.wildcard).toBe(true);
    expect(parseIfMatch(' "2", * ')?.wildcard).toBe(true);
  });

  it("never matches garbage", () => {
    for (const header of ["", "3", '"abc"', '"3', '""', '"-1"', '"1.5"', "**"]) {
      expect(parseIfMatch(header)?.matches(3), header).toBe(false);
      expect(parseIfMatch(header)?.wildcard, header).toBe(false);
    }
  });

  it("uses the same spelling as the ETag", () => {
    expect(parseIfMatch(etagOf(12))?.matches(12)).toBe(true);
  });
});

describe("ifNoneMatchHits", () => {
  it("hits on the current tag, weak or strong, and on *", () => {
    expect(ifNoneMatchHits('"2"', 2)).toBe(true);
    expect(ifNoneMatchHits('W/"2"', 2)).toBe(true);
    expect(ifNoneMatchHits('"1", "2"', 2)).toBe(true);
    expect(ifNoneMatchHits("*", 2)).toBe(true);
    expect(ifNoneMatchHits('"1"', 2)).toBe(false);
    expect(ifNoneMatchHits(undefined, 2)).toBe(false);
  });
});
