import { describe, expect, it } from "vitest";
import type { Caller } from "../../../shared/auth/permissions.ts";
import { ifNoneMatchHits, parseIfMatch } from "../../../shared/domain/if-match.ts";
import {
  canTransition,
  etagOf,
  MARKET_STATUSES,
  type Market,
  type MarketChanges,
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
  PUBLIC_STATUSES,
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

  // The outcome rules, beside the status steps: `refusal` is what the 409 tells the client, or null.
  it.each<{
    name: string;
    current: Pick<Market, "status" | "outcome">;
    changes: MarketChanges;
    refusal: RegExp | null;
  }>([
    {
      name: "resolving without an outcome (a PUT)",
      current: { status: "closed", outcome: null },
      changes: { status: "resolved" },
      refusal: /from closed to resolved by PUT.*PATCH and an outcome/,
    },
    {
      name: "resolving with an outcome",
      current: { status: "closed", outcome: null },
      changes: { status: "resolved", outcome: "no" },
      refusal: null,
    },
    {
      name: "a PUT that keeps a resolved market resolved",
      current: { status: "resolved", outcome: "yes" },
      changes: { status: "resolved", name: "Renamed" },
      refusal: null,
    },
    {
      name: "another outcome for a resolved market",
      current: { status: "resolved", outcome: "yes" },
      changes: { outcome: "no" },
      refusal: /from resolved to resolved with another outcome/,
    },
    {
      name: "the same outcome again",
      current: { status: "resolved", outcome: "yes" },
      changes: { outcome: "yes" },
      refusal: null,
    },
    {
      name: "a resolved market's text",
      current: { status: "resolved", outcome: "yes" },
      changes: { description: "Clarified" },
      refusal: null,
    },
    {
      name: "a step back",
      current: { status: "closed", outcome: null },
      changes: { status: "active" },
      refusal: /from closed to active/,
    },
  ])("$name: refused with $refusal", ({ current, changes, refusal }) => {
    if (refusal === null) expect(() => assertTransition(current, changes)).not.toThrow();
    else {
      expect(() => assertTransition(current, changes)).toThrow(InvalidTransitionError);
      expect(() => assertTransition(current, changes)).toThrow(refusal);
    }
  });
});

describe("ownership and visibility", () => {
  const user = { id: "u-1", role: "user" as const };
  const other = { id: "u-2", role: "user" as const };
  const moderator = { id: "mod", role: "moderator" as const };
  const draft = { id: "m-1", status: "draft" as const, creatorId: "u-1" } as Market;

  const admin = { id: "root", role: "admin" as const };
  const closed = { ...draft, status: "closed" as const };
  const resolved = { ...draft, status: "resolved" as const };
  const resolve = { status: "resolved", outcome: "no" } as const;

  // `refusal` is what the 403 tells the client, or null when the change is allowed.
  it.each<{ name: string; caller: Caller; market: Market; changes: MarketChanges; refusal: RegExp | null }>([
    { name: "the creator edits", caller: user, market: draft, changes: { name: "x" }, refusal: null },
    {
      name: "another user edits",
      caller: other,
      market: draft,
      changes: { name: "x" },
      refusal: /Only the creator, a moderator or an admin/,
    },
    { name: "a moderator edits", caller: moderator, market: draft, changes: { name: "x" }, refusal: null },
    { name: "an admin edits", caller: admin, market: draft, changes: { name: "x" }, refusal: null },
    {
      name: "the creator resolves",
      caller: user,
      market: closed,
      changes: resolve,
      refusal: /Only moderators and admins may resolve/,
    },
    {
      name: "another user resolves",
      caller: other,
      market: closed,
      changes: resolve,
      refusal: /Only the creator, a moderator or an admin/,
    },
    { name: "a moderator resolves", caller: moderator, market: closed, changes: resolve, refusal: null },
    { name: "an admin resolves", caller: admin, market: closed, changes: resolve, refusal: null },
    {
      // A PUT of a resolved market repeats its status: that is not resolving it again.
      name: "the creator edits a resolved market, status unchanged",
      caller: user,
      market: resolved,
      changes: { status: "resolved", name: "Renamed" },
      refusal: null,
    },
  ])("$name: refused with $refusal", ({ caller, market, changes, refusal }) => {
    if (refusal === null) expect(() => assertMayChange(caller, market, changes)).not.toThrow();
    else {
      expect(() => assertMayChange(caller, market, changes)).toThrow(ForbiddenError);
      expect(() => assertMayChange(caller, market, changes)).toThrow(refusal);
    }
  });

  it("shows drafts to their owners only, and answers others with NOT_FOUND", () => {
    expect(canView(user, draft)).toBe(true);
    expect(canView(moderator, draft)).toBe(true);
    expect(canView(other, draft)).toBe(false);
    expect(canView(undefined, draft)).toBe(false);
    expect(canView(undefined, { ...draft, status: "active" })).toBe(true);
    expect(() => assertVisible(other, draft)).toThrow(NotFoundError);
    expect(() => assertVisible(other, draft)).toThrow("Market not found");
    expect(() => assertVisible(user, undefined)).toThrow(NotFoundError);
    expect(assertVisible(user, draft)).toBe(draft);
    const active = { ...draft, status: "active" as const };
    expect(assertVisible(undefined, active)).toBe(active);
    expect(mayListDraftsOf(user, "u-1")).toBe(true);
    expect(mayListDraftsOf(user, "u-2")).toBe(false);
    expect(mayListDraftsOf(moderator, "u-2")).toBe(true);
  });

  it("lists and searches exactly the statuses an anonymous caller may view", () => {
    const viewable = MARKET_STATUSES.filter((status) => canView(undefined, { status, creatorId: "u-1" }));
    expect([...PUBLIC_STATUSES].sort()).toEqual([...viewable].sort());
    expect(PUBLIC_STATUSES).not.toContain("draft");
  });

  it.each<[MarketChanges, boolean]>([
    [{ name: "x" }, true],
    [{ description: "" }, true],
    [{ description: "longer text" }, true],
    [{ category: "weather" }, true],
    [{ category: null }, true],
    [{ status: "closed" }, true],
    [{ closesAt: "2031-01-01T00:00:00.000Z" }, false],
    [{ outcome: "yes" }, false],
    [{}, false],
  ])("reindexes on changes to text, category or status only: %j → %s", (changes, reindex) => {
    expect(changesSearchableText(changes)).toBe(reindex);
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
    for (const header of ["", "3", '"abc"', '"3', '""', '"-1"', '"1.5"', "**", '"3"x', 'x"3"', '"3" "3"']) {
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
