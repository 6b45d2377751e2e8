import { describe, expect, it } from "vitest";
import { CompactVectorIndex } from "../../../shared/search/compact-vector-index.ts";
import { normaliseInPlace } from "../../../shared/search/embedder.ts";
import { VectorIndex } from "../../../shared/search/vector-index.ts";

/** Seeded LCG so failures reproduce. */
function lcg(seed: number) {
  let state = seed;
  return () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
}

/** Unit vectors with `nonZero` random non-zero dimensions: sparse like the local embedder's. */
function sparseVectors(count: number, dimensions: number, nonZero: number, seed: number): Float32Array[] {
  const next = lcg(seed);
  return Array.from({ length: count }, () => {
    const vector = new Float32Array(dimensions);
    for (let i = 0; i < nonZero; i++) vector[Math.floor(next() * dimensions)] = next() - 0.5;
    return normaliseInPlace(vector);
  });
}

const ids = (hits: { id: string }[]) => hits.map((hit) => hit.id);

describe("CompactVectorIndex", () => {
  it("ranks like the exact float index through inserts, updates, removals and compaction", () => {
    const dimensions = 64;
    const compact = new CompactVectorIndex(dimensions);
    const exact = new VectorIndex(dimensions);
    const both = (id: string, status: string, vector: Float32Array) => {
      compact.upsert({ id, status, vector });
      exact.upsert({ id, status, vector });
    };
    sparseVectors(1500, dimensions, 6, 1).forEach((vector, i) => {
      both(`s${i}`, i % 3 ? "active" : "closed", vector);
    });
    for (let i = 0; i < 1500; i += 2) {
      compact.remove(`s${i}`);
      exact.remove(`s${i}`);
    }
    sparseVectors(100, dimensions, 6, 3).forEach((vector, i) => {
      both(`s${i * 4 + 1}`, "resolved", vector);
    });
    expect(compact.size).toBe(exact.size);

    // Sparse vectors keep their float32 values and are summed in the scan's order: the same
    // scores to the last bit, so the same ranking, ties included.
    const active = (status: string) => status === "active";
    for (const query of sparseVectors(30, dimensions, 10, 4)) {
      for (const filter of [undefined, active]) {
        expect(compact.topK(query, 10, filter)).toEqual(exact.topK(query, 10, filter));
      }
    }
  });

  it("ranks near-duplicates exactly like the float scan, whatever order they were inserted in", () => {
    const dimensions = 128;
    const compact = new CompactVectorIndex(dimensions);
    const exact = new VectorIndex(dimensions);
    const base = sparseVectors(1, dimensions, 20, 7)[0] as Float32Array;
    const next = lcg(8);
    for (let i = 0; i < 400; i++) {
      // Perturbations around float32 precision: far below any fixed-point step.
      const vector = base.map((value) => (value === 0 ? 0 : value * (1 + (next() - 0.5) * 1e-6)));
      const id = `n${(i * 7919) % 400}`;
      compact.upsert({ id, status: "active", vector });
      exact.upsert({ id, status: "active", vector });
    }
    expect(compact.topK(base, 25)).toEqual(exact.topK(base, 25));
  });

  it("ranks dense vectors from int8 rows with a recall@10 of at least 0.9 against the float scan", () => {
    const dimensions = 64;
    const compact = new CompactVectorIndex(dimensions);
    const exact = new VectorIndex(dimensions);
    sparseVectors(2000, dimensions, 200, 2).forEach((vector, i) => {
      compact.upsert({ id: `d${i}`, status: "active", vector });
      exact.upsert({ id: `d${i}`, status: "active", vector });
    });
    compact.remove("d0");
    exact.remove("d0");
    let found = 0;
    const queries = sparseVectors(30, dimensions, 200, 4);
    for (const query of queries) {
      const truth = new Set(ids(exact.topK(query, 10)));
      found += ids(compact.topK(query, 10)).filter((id) => truth.has(id)).length;
    }
    expect(found / (queries.length * 10)).toBeGreaterThanOrEqual(0.9);
  });

  it("keeps dense rows and their ranking through removals and compaction", () => {
    const dimensions = 32;
    const compact = new CompactVectorIndex(dimensions);
    const exact = new VectorIndex(dimensions);
    const both = (id: string, vector: Float32Array) => {
      compact.upsert({ id, status: "active", vector });
      exact.upsert({ id, status: "active", vector });
    };
    sparseVectors(600, dimensions, 100, 9).forEach((vector, i) => {
      both(`d${i}`, vector);
    });
    sparseVectors(3000, dimensions, 3, 10).forEach((vector, i) => {
      both(`s${i}`, vector);
    });
    compact.trim();
    // Enough sparse removals to compact, and every other dense row gone before it.
    const removeFromBoth = (id: string) => {
      compact.remove(id);
      exact.remove(id);
    };
    for (let i = 0; i < 600; i += 2) removeFromBoth(`d${i}`);
    for (let i = 0; i < 3000; i += 2) removeFromBoth(`s${i}`);
    expect(compact.size).toBe(exact.size);
    let found = 0;
    const queries = sparseVectors(20, dimensions, 100, 11);
    for (const query of queries) {
      const truth = new Set(ids(exact.topK(query, 10)));
      found += ids(compact.topK(query, 10)).filter((id) => truth.has(id)).length;
    }
    expect(found / (queries.length * 10)).toBeGreaterThanOrEqual(0.9);
  });

  it("finds slots far apart in one posting list (gaps beyond one byte) and scores in (0, 1]", () => {
    const dimensions = 16;
    const index = new CompactVectorIndex(dimensions);
    const vectors = sparseVectors(70_000, dimensions, 2, 5);
    // Dimension 15 only on a few slots, 255, 256, 510 and ~70,000 apart: every kind of skip.
    const rare = [3, 258, 514, 1024, 70_000 - 1];
    vectors.forEach((vector, i) => {
      vector[15] = 0;
      if (rare.includes(i)) {
        vector.fill(0);
        vector[15] = 1;
        vector[i % 15] = 0.5;
      }
      index.upsert({
        id: `m${String(i).padStart(5, "0")}`,
        status: "active",
        vector: normaliseInPlace(vector),
      });
    });
    index.trim();
    const onlyRare = new Float32Array(dimensions);
    onlyRare[15] = 1;
    expect(ids(index.topK(onlyRare, rare.length)).sort()).toEqual(
      rare.map((i) => `m${String(i).padStart(5, "0")}`),
    );
    const target = vectors[69_998] as Float32Array;
    const [best] = index.topK(target, 1, undefined);
    expect(index.topK(target, 3).every((hit) => hit.score > 0 && hit.score <= 1)).toBe(true);
    expect(best?.score).toBeCloseTo(1, 6);
  });

  it("holds a sparse vector in about 5 bytes per non-zero, a quarter of float32 or less", () => {
    const index = new CompactVectorIndex(1024);
    sparseVectors(200, 1024, 150, 6).forEach((vector, i) => {
      index.upsert({ id: `m${i}`, status: "active", vector });
    });
    index.trim();
    expect(index.vectorBytes() / 200).toBeLessThanOrEqual(1024);
    expect(() => index.topK(new Float32Array(3), 1)).toThrow(RangeError);
    expect(index.remove("unknown")).toBe(false);
  });
});
