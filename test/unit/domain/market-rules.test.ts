import { describe, expect, it } from "vitest";
import { ifNoneMatchHits, parseIfMatch } from "../../../shared/domain/if-match.ts";
import {
  canTransition,
  etagOf,
  isOpenForPositions,
  MARKET_STATUSES,
  type MarketStatus,
} from "../../../shared/domain/market.ts";

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

describe("isOpenForPositions", () => {
  const now = new Date("2030-06-01T12:00:00.000Z");

  it("is open only while active and before closesAt", () => {
    expect(isOpenForPositions({ status: "active", closesAt: "2030-06-01T12:00:00.001Z" }, now)).toBe(true);
    expect(isOpenForPositions({ status: "active", closesAt: "2030-06-01T12:00:00.000Z" }, now)).toBe(false);
    expect(isOpenForPositions({ status: "active", closesAt: "2030-05-01T00:00:00.000Z" }, now)).toBe(false);
    for (const status of ["draft", "closed", "resolved"] as const)
      expect(isOpenForPositions({ status, closesAt: "2031-01-01T00:00:00.000Z" }, now)).toBe(false);
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
