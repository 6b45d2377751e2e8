import { describe, expect, it } from "vitest";
import { Int8Rows, QUERY_MAX, simdScanAvailable } from "../../../shared/search/int8-rows.ts";

/** Seeded LCG so failures reproduce. */
function lcg(seed: number) {
  let state = seed;
  return () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
}

function filled(dimensions: number, rows: number, seed: number): Int8Rows {
  const next = lcg(seed);
  const store = new Int8Rows(dimensions);
  for (let row = 0; row < rows; row++) {
    store.reserve(row + 1);
    for (let d = 0; d < dimensions; d++) store.codes[row * dimensions + d] = Math.round(next() * 254) - 127;
  }
  return store;
}

/** The dot products in plain arithmetic, with the query rounded as the kernel rounds it. */
function reference(store: Int8Rows, dimensions: number, rows: number, query: Float32Array): number[] {
  const max = Math.max(...Array.from(query, Math.abs));
  const scale = max / QUERY_MAX;
  const rounded = Array.from(query, (value) => Math.round(value / scale));
  return Array.from({ length: rows }, (_, row) => {
    let dot = 0;
    for (let d = 0; d < dimensions; d++)
      dot += (store.codes[row * dimensions + d] as number) * (rounded[d] as number);
    return dot * scale;
  });
}

describe("Int8Rows", () => {
  it("scans with the SIMD kernel here, exactly as integer arithmetic does, across growth and chunks", () => {
    expect(simdScanAvailable(1024)).toBe(true);
    const rows = 9000; // more than one kernel call's chunk, and several memory growths
    const store = filled(64, rows, 1);
    expect(store.simd).toBe(true);
    const next = lcg(2);
    const query = Float32Array.from({ length: 64 }, () => next() - 0.5);
    const dots = Array.from(store.dots(rows, query).subarray(0, rows));
    const expected = reference(store, 64, rows, query);
    dots.forEach((dot, row) => {
      expect(dot).toBeCloseTo(expected[row] as number, 9);
    });
  });

  it("falls back to JavaScript where the kernel cannot run, with the same products up to the query's rounding", () => {
    expect(simdScanAvailable(24)).toBe(false);
    const store = filled(24, 300, 3);
    expect(store.simd).toBe(false);
    const next = lcg(4);
    const query = Float32Array.from({ length: 24 }, () => next() - 0.5);
    const dots = store.dots(300, query);
    const expected = reference(store, 24, 300, query);
    for (let row = 0; row < 300; row++)
      expect(Math.abs((dots[row] as number) - (expected[row] as number))).toBeLessThan(0.01);
  });

  it("keeps its rows through trim, which releases the headroom", () => {
    const store = filled(32, 1000, 5);
    const before = Array.from(store.codes.subarray(0, 32 * 1000));
    const grown = store.byteLength;
    store.trim(1000);
    expect(Array.from(store.codes.subarray(0, 32 * 1000))).toEqual(before);
    expect(store.byteLength).toBeLessThanOrEqual(grown);
    expect(store.byteLength).toBeLessThan(32 * 1000 + 65_536 + 32 * 2 + 4096 * 8);
  });
});
