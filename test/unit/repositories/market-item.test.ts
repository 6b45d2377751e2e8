import { describe, expect, it } from "vitest";
import { listingKeys, volumeSortKey } from "../../../shared/repositories/market-item.ts";

/** Compare two non-negative decimal strings exactly, as DynamoDB orders numbers. */
function compareDecimal(a: string, b: string): number {
  const [ai = "0", af = ""] = a.split(".");
  const [bi = "0", bf = ""] = b.split(".");
  const width = Math.max(af.length, bf.length);
  const big = (i: string, f: string) => BigInt(i + f.padEnd(width, "0"));
  const x = big(ai, af);
  const y = big(bi, bf);
  return x < y ? -1 : x > y ? 1 : 0;
}

const ids = Array.from({ length: 2000 }, (_, i) => `01J${i.toString(36).toUpperCase().padStart(8, "0")}`);

describe("volumeSortKey", () => {
  it("orders like the volumes themselves", () => {
    const volumes = [0, 0.01, 0.1, 0.29, 0.3, 1, 9.99, 10, 99.99, 100, 123.45, 1000, 999_999.99, 1e9];
    const shuffled = volumes.map((volume, i) => ({ volume, key: volumeSortKey(volume, ids[i] ?? "x") }));
    shuffled.reverse();
    const sorted = [...shuffled].sort((a, b) => compareDecimal(a.key, b.key));
    expect(sorted.map(({ volume }) => volume)).toEqual(volumes);
  });

  it("keeps the integer part in cents, rounding binary noise away", () => {
    expect(volumeSortKey(0.29, "a").split(".")[0]).toBe("29");
    expect(volumeSortKey(150.5, "a").split(".")[0]).toBe("15050");
    expect(volumeSortKey(0, "a").split(".")[0]).toBe("0");
  });

  it("is unique per id at equal volume and stable for one id", () => {
    const keys = ids.map((id) => volumeSortKey(42, id));
    expect(new Set(keys).size).toBe(ids.length);
    expect(volumeSortKey(42, "same")).toBe(volumeSortKey(42, "same"));
  });

  it("always has 20 fraction digits ending in a non-zero digit (the cursor's shape)", () => {
    for (const id of ids) {
      const key = volumeSortKey(17.5, id);
      expect(key).toMatch(/^\d{1,20}\.\d{19}[1-9]$/);
    }
  });

  it("is what listingKeys stores, next to the other sort keys and the creator keys", () => {
    const market = {
      id: "01JX",
      status: "active" as const,
      creatorId: "u-ann",
      category: null,
      createdAt: "2030-01-01T00:00:00.000Z",
      closesAt: "2031-01-01T00:00:00.000Z",
      volume: 12.34,
    };
    expect(listingKeys(market)).toEqual({
      listPk: "STATUS#active",
      createdKey: "2030-01-01T00:00:00.000Z#01JX",
      closesKey: "2031-01-01T00:00:00.000Z#01JX",
      volumeKey: volumeSortKey(12.34, "01JX"),
      creatorKey: "CREATOR#u-ann#active",
      creatorSort: "2030-01-01T00:00:00.000Z#01JX",
    });
  });

  it("adds the category keys only when the market has a category", () => {
    const market = {
      id: "01JX",
      status: "draft" as const,
      creatorId: "u-ann",
      category: "weather",
      createdAt: "2030-01-01T00:00:00.000Z",
      closesAt: "2031-01-01T00:00:00.000Z",
      volume: 0,
    };
    expect(listingKeys(market)).toMatchObject({
      categoryKey: "CATEGORY#weather#draft",
      categorySort: "2030-01-01T00:00:00.000Z#01JX",
    });
    const keys = listingKeys({ ...market, category: null });
    expect(keys).not.toHaveProperty("categoryKey");
    expect(keys).not.toHaveProperty("categorySort");
  });
});
