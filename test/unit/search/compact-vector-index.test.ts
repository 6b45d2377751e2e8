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

    // 16-bit fixed point moves a cosine by ~1e-5: every score agrees with the exact one to 1e-4,
    // and only near-ties may change places.
    const active = (status: string) => status === "active";
    let found = 0;
    let wanted = 0;
    for (const query of sparseVectors(30, dimensions, 10, 4)) {
      for (const filter of [undefined, active]) {
        const exactScores = new Map(exact.topK(query, exact.size, filter).map((hit) => [hit.id, hit.score]));
        const truth = new Set(ids(exact.topK(query, 10, filter)));
        const hits = compact.topK(query, 10, filter);
        for (const hit of hits)
          expect(Math.abs(hit.score - (exactScores.get(hit.id) ?? -1))).toBeLessThan(1e-4);
        found += hits.filter((hit) => truth.has(hit.id)).length;
        wanted += truth.size;
      }
    }
    expect(found / wanted).toBeGreaterThanOrEqual(0.99);
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

  it("keeps slots beyond 65,536 apart (posting blocks) and scores in (0, 1]", () => {
    const dimensions = 16;
    const index = new CompactVectorIndex(dimensions);
    const vectors = sparseVectors(70_000, dimensions, 2, 5);
    vectors.forEach((vector, i) => {
      index.upsert({ id: `m${String(i).padStart(5, "0")}`, status: "active", vector });
    });
    index.trim();
    const target = vectors[69_999] as Float32Array;
    const [best] = index.topK(target, 1, undefined);
    expect(index.topK(target, 3).every((hit) => hit.score > 0 && hit.score <= 1)).toBe(true);
    expect(best?.score).toBeCloseTo(1, 3);
  });

  it("holds a sparse vector in 4 bytes per non-zero, a quarter of float32 or less", () => {
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
