import { describe, expect, it } from "vitest";
import { normaliseInPlace } from "../../../shared/search/embedder.ts";
import { MIN_SCORE, type ScoredId, VectorIndex } from "../../../shared/search/vector-index.ts";

const DIMENSIONS = 16;

/** Seeded LCG so failures reproduce. */
function randomUnitVectors(count: number, seed: number): Float32Array[] {
  let state = seed;
  const next = () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state / 2 ** 32 - 0.5;
  };
  return Array.from({ length: count }, () =>
    normaliseInPlace(Float32Array.from({ length: DIMENSIONS }, next)),
  );
}

function bruteForce(entries: Map<string, Float32Array>, query: Float32Array, k: number): ScoredId[] {
  return [...entries]
    .map(([id, vector]) => ({
      id,
      score: Math.max(
        MIN_SCORE,
        (1 + vector.reduce((sum, value, d) => sum + value * (query[d] as number), 0)) / 2,
      ),
    }))
    .sort((a, b) => b.score - a.score || a.id.localeCompare(b.id))
    .slice(0, k);
}

describe("VectorIndex", () => {
  it("matches a brute-force ranking through inserts, updates and removals", () => {
    const index = new VectorIndex(DIMENSIONS);
    const live = new Map<string, Float32Array>();
    const vectors = randomUnitVectors(300, 7);
    vectors.forEach((vector, i) => {
      index.upsert({ id: `m${i}`, status: "open", vector });
      live.set(`m${i}`, vector);
    });
    for (let i = 0; i < 300; i += 3) {
      expect(index.remove(`m${i}`)).toBe(true);
      live.delete(`m${i}`);
    }
    const replacement = randomUnitVectors(1, 99)[0] as Float32Array;
    index.upsert({ id: "m1", status: "open", vector: replacement });
    live.set("m1", replacement);
    expect(index.size).toBe(live.size);

    for (const query of randomUnitVectors(20, 11)) {
      const expected = bruteForce(live, query, 10);
      const actual = index.topK(query, 10);
      expect(actual.map((hit) => hit.id)).toEqual(expected.map((hit) => hit.id));
      actual.forEach((hit, i) => {
        expect(hit.score).toBeCloseTo(expected[i]?.score ?? Number.NaN, 5);
      });
    }
  });

  it("returns scores in (0, 1], best first, ties broken by id", () => {
    const index = new VectorIndex(2);
    const east = Float32Array.from([1, 0]);
    index.upsert({ id: "b", status: "open", vector: east });
    index.upsert({ id: "a", status: "open", vector: east });
    index.upsert({ id: "opposite", status: "open", vector: Float32Array.from([-1, 0]) });
    index.upsert({ id: "orthogonal", status: "open", vector: Float32Array.from([0, 1]) });
    const hits = index.topK(east, 10);
    expect(hits.map((hit) => hit.id)).toEqual(["a", "b", "orthogonal", "opposite"]);
    expect(hits[0]?.score).toBe(1);
    expect(hits[2]?.score).toBeCloseTo(0.5, 6);
    expect(hits[3]?.score).toBe(MIN_SCORE);
    for (const hit of hits) expect(hit.score > 0 && hit.score <= 1).toBe(true);
  });

  it("filters by status and keeps statuses correct after swap-remove", () => {
    const index = new VectorIndex(DIMENSIONS);
    const vectors = randomUnitVectors(6, 3);
    vectors.forEach((vector, i) => {
      index.upsert({ id: `m${i}`, status: i % 2 === 0 ? "open" : "closed", vector });
    });
    index.remove("m0"); // m5 (closed) is swapped into slot 0
    index.upsert({ id: "m3", status: "open", vector: vectors[3] as Float32Array });
    const open = index.topK(vectors[0] as Float32Array, 10, (status) => status === "open");
    expect(open.map((hit) => hit.id).sort()).toEqual(["m2", "m3", "m4"]);
    expect(index.topK(vectors[5] as Float32Array, 1)[0]?.id).toBe("m5");
  });

  it("handles k larger than the index, k of zero, unknown ids and wrong dimensions", () => {
    const index = new VectorIndex(DIMENSIONS);
    const [vector] = randomUnitVectors(1, 5) as [Float32Array];
    index.upsert({ id: "only", status: "open", vector });
    expect(index.topK(vector, 50)).toHaveLength(1);
    expect(index.topK(vector, 0)).toEqual([]);
    expect(index.remove("missing")).toBe(false);
    expect(() => index.topK(new Float32Array(3), 1)).toThrow(RangeError);
    expect(() => index.upsert({ id: "x", status: "open", vector: new Float32Array(3) })).toThrow(RangeError);
  });

  it("grows past its initial capacity without losing vectors", () => {
    const index = new VectorIndex(DIMENSIONS);
    const vectors = randomUnitVectors(1000, 13);
    vectors.forEach((vector, i) => {
      index.upsert({ id: `m${i}`, status: "open", vector });
    });
    expect(index.size).toBe(1000);
    expect(index.topK(vectors[777] as Float32Array, 1)[0]).toEqual({
      id: "m777",
      score: expect.closeTo(1, 5),
    });
  });
});
