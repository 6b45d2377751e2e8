import { describe, expect, it } from "vitest";
import { Amount, CreateMarketBody, UpdateProfileBody } from "../../../shared/domain/schemas.ts";

describe("Amount", () => {
  it("accepts 0.01 to 1,000,000 with at most two decimals", () => {
    for (const value of [0.01, 0.1, 0.3, 1.1, 2.5, 123456.78, 999999.99, 1_000_000]) {
      expect(Amount.safeParse(value).success, String(value)).toBe(true);
    }
  });

  it("rejects more decimals exactly, with no float tolerance", () => {
    for (const value of [0.30000000000000004, 1.0000000001, 1.999999999, 0.7999999999999999, 1.005, 2.675]) {
      expect(Amount.safeParse(value).success, String(value)).toBe(false);
    }
  });

  it("rejects out-of-range values", () => {
    for (const value of [0, 0.001, -1, 1_000_000.01, Number.NaN, Number.POSITIVE_INFINITY]) {
      expect(Amount.safeParse(value).success, String(value)).toBe(false);
    }
  });
});

describe("trimmed strings", () => {
  it("trim before checking the length", () => {
    expect(UpdateProfileBody.parse({ displayName: "  alice  " })).toEqual({ displayName: "alice" });
    expect(UpdateProfileBody.safeParse({ displayName: "   " }).success).toBe(false);
    const tooShort = CreateMarketBody.safeParse({ name: "  ab  ", closesAt: "2099-01-01T00:00:00Z" });
    expect(tooShort.success).toBe(false);
  });
});
