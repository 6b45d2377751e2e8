import { describe, expect, it } from "vitest";
import { ValidationError } from "../../../shared/errors.ts";
import { decodeCursor, encodeCursor } from "../../../shared/repositories/cursor.ts";
import { volumeSortKey } from "../../../shared/repositories/market-item.ts";
import { cursorKeyOf } from "../../../shared/repositories/market-list-order.ts";

const KEY = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z#[A-Za-z0-9_-]{1,128}$/;
const LAST = "2030-01-01T00:00:00.000Z#01JABCDEF";
const b64 = (value: unknown) => Buffer.from(JSON.stringify(value), "utf8").toString("base64url");

function expectInvalid(cursor: string, ordering = "createdAt:desc", pattern = KEY) {
  let thrown: unknown;
  try {
    decodeCursor(cursor, ordering, pattern);
  } catch (error) {
    thrown = error;
  }
  expect(thrown).toBeInstanceOf(ValidationError);
  expect((thrown as ValidationError).code).toBe("VALIDATION_FAILED");
  // Data-layer wording: the repository knows listings and cursors, not HTTP's `meta`.
  expect((thrown as ValidationError).details).toEqual([
    { path: "cursor", message: "Invalid cursor: pass back the nextCursor of the same listing" },
  ]);
}

describe("cursor", () => {
  it("round-trips the last key of its ordering, as URL-safe text", () => {
    const cursor = encodeCursor("createdAt:desc", LAST);
    expect(cursor).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(decodeCursor(cursor, "createdAt:desc", KEY)).toBe(LAST);
  });

  it("rejects a tampered cursor", () => {
    const cursor = encodeCursor("createdAt:desc", LAST);
    expectInvalid(`${cursor.slice(0, -3)}xyz`);
    expectInvalid(`${cursor}!!`);
    expectInvalid("not-a-cursor");
    expectInvalid("");
    expectInvalid(b64({ v: 1, o: "createdAt:desc", k: `${LAST}' OR 1=1` }));
    expectInvalid(b64({ v: 2, o: "createdAt:desc", k: LAST }));
    expectInvalid(b64({ v: 1, o: "createdAt:desc", k: LAST, extra: true }));
    expectInvalid(b64([1, "createdAt:desc", LAST]));
    expectInvalid(b64(null));
  });

  it("rejects a cursor of another ordering", () => {
    expectInvalid(encodeCursor("createdAt:asc", LAST), "createdAt:desc");
    expectInvalid(encodeCursor("closesAt:desc", LAST), "createdAt:desc");
  });

  it("rejects a key of the wrong shape", () => {
    expectInvalid(encodeCursor("createdAt:desc", "2030-01-01#id"));
    expectInvalid(encodeCursor("createdAt:desc", `${LAST}#extra`));
    expectInvalid(encodeCursor("volume:desc", "12.5"), "volume:desc", /^\d{1,20}\.\d{20}$/);
    expectInvalid(encodeCursor("createdAt:desc", "x".repeat(600)));
  });

  it("accepts only volume keys DynamoDB can hold (≤ 38 significant digits, in the stored range)", () => {
    const list = (cursor: string) =>
      cursorKeyOf({ sort: "volume", order: "desc", cursor } as Parameters<typeof cursorKeyOf>[0]);
    const fraction = "1".repeat(20);
    const stored = volumeSortKey(1_000_000, "01JABCDEFGHJKMNPQRSTVWXYZ0");
    expect(list(encodeCursor("volume:desc", stored))).toBe(stored);
    expect(list(encodeCursor("volume:desc", `0.${fraction}`))).toBe(`0.${fraction}`);
    const max = `${Number.MAX_SAFE_INTEGER}.${fraction}`;
    expect(list(encodeCursor("volume:desc", max))).toBe(max);
    for (const forged of [
      `${"9".repeat(20)}.${fraction}`, // 40 digits: DynamoDB's ValidationException, a 500 before
      `${"9".repeat(17)}.${fraction}`, // 37 digits but beyond any stored volume
      `9007199254740992.${fraction}`, // MAX_SAFE_INTEGER + 1 cents
      `007.${fraction}`, // not a form DynamoDB returns
      `-1.${fraction}`,
      `1.${"1".repeat(21)}`,
      "1e5",
    ]) {
      expect(() => list(encodeCursor("volume:desc", forged)), forged).toThrow(ValidationError);
    }
  });
});
