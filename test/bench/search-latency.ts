/**
 * In-process search latency: `npx tsx test/bench/search-latency.ts`. For 1k, 10k and 50k stored
 * vectors at the embedder's dimension, times a warm search (embed the query + SearchIndex.topK, the
 * CPU part of every request) and topK alone, against a brute-force baseline measured in the same
 * run: score every vector, sort them all, take the first k. Prints a table and writes
 * test/bench/results/search-latency.json.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import type { VectorRecord } from "../../shared/repositories/vector-repository.ts";
import { normaliseInPlace } from "../../shared/search/embedder.ts";
import { LocalEmbedder } from "../../shared/search/local-embedder.ts";
import { SearchIndex } from "../../shared/search/search-index.ts";
import { MIN_SCORE, type ScoredId } from "../../shared/search/vector-index.ts";

// Short mode (CI) only proves the benchmark still runs: the smallest size.
const SIZES = process.env.BENCH_SHORT === "1" ? [1_000] : [1_000, 10_000, 50_000];
/** What the search service asks for at the default limit of 10: limit * 3 + 10. */
const K = 40;
const WARMUP_RUNS = 5;
/** Enough samples for a p99 that is not just the maximum. */
const RUNS = 200;
const QUERIES = [
  "rain in Paris on new year's day",
  "bitcoin above 150k by 2027",
  "who wins the next world cup",
  "fed rate cut in march",
];

const embedder = new LocalEmbedder();
const dimensions = embedder.dimensions;

/** Seeded LCG: the same vectors every run, so runs compare. */
function randomUnitVectors(count: number, seed: number): Float32Array[] {
  let state = seed;
  const next = () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state / 2 ** 32 - 0.5;
  };
  return Array.from({ length: count }, () =>
    normaliseInPlace(Float32Array.from({ length: dimensions }, next)),
  );
}

/** The obvious implementation: score every vector into an array, sort it whole, slice. */
function bruteForceTopK(vectors: readonly Float32Array[], query: Float32Array, k: number): ScoredId[] {
  const scored = vectors.map((vector, i) => {
    let cosine = 0;
    for (let d = 0; d < dimensions; d++) cosine += (query[d] as number) * (vector[d] as number);
    return { id: `m${i}`, score: Math.max(MIN_SCORE, (1 + cosine) / 2) };
  });
  return scored.sort((a, b) => b.score - a.score).slice(0, k);
}

async function timeRuns(run: (i: number) => unknown): Promise<{ medianMs: number; p99Ms: number }> {
  for (let i = 0; i < WARMUP_RUNS; i++) await run(i);
  const samples: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const started = performance.now();
    await run(i);
    samples.push(performance.now() - started);
  }
  samples.sort((a, b) => a - b);
  const at = (q: number) =>
    samples[Math.min(samples.length - 1, Math.ceil(q * samples.length) - 1)] as number;
  return { medianMs: at(0.5), p99Ms: at(0.99) };
}

async function measure(size: number) {
  const vectors = randomUnitVectors(size, size);
  const records: VectorRecord[] = vectors.map((vector, i) => ({
    marketId: `m${i}`,
    status: i % 5 === 0 ? "closed" : "active",
    model: embedder.model,
    dims: dimensions,
    contentHash: "",
    vector,
    indexedAt: "2030-01-01T00:00:00.000Z",
  }));
  const index = new SearchIndex({
    vectors: {
      changedSince: async (cursors) =>
        cursors.S ? { records: [], cursors } : { records, cursors: { S: "x" } },
    },
    model: embedder.model,
    dimensions,
    refreshMs: Number.POSITIVE_INFINITY,
  });
  await index.ensureFresh();
  const queryVectors = await embedder.embed(QUERIES);
  const queryOf = (i: number) => queryVectors[i % queryVectors.length] as Float32Array;
  const searchable = (status: string) => status !== "draft";

  const search = await timeRuns(async (i) => {
    const [query] = await embedder.embed([QUERIES[i % QUERIES.length] as string]);
    return index.topK(query as Float32Array, K, searchable);
  });
  const topK = await timeRuns((i) => index.topK(queryOf(i), K, searchable));
  const bruteForce = await timeRuns((i) => bruteForceTopK(vectors, queryOf(i), K));
  return {
    size,
    dimensions,
    k: K,
    runs: RUNS,
    search,
    topK,
    bruteForce,
    speedup: bruteForce.medianMs / topK.medianMs,
  };
}

const rows = [];
for (const size of SIZES) rows.push(await measure(size));

const ms = (value: number) => value.toFixed(2);
console.log(`embedder=${embedder.model} k=${K} runs=${RUNS} node=${process.version}\n`);
console.table(
  rows.map((row) => ({
    vectors: row.size,
    "search p50 ms": ms(row.search.medianMs),
    "search p99 ms": ms(row.search.p99Ms),
    "topK p50 ms": ms(row.topK.medianMs),
    "topK p99 ms": ms(row.topK.p99Ms),
    "sort p50 ms": ms(row.bruteForce.medianMs),
    "sort p99 ms": ms(row.bruteForce.p99Ms),
    "topK vs sort": `x${row.speedup.toFixed(2)}`,
  })),
);

const resultsDir = join(dirname(fileURLToPath(import.meta.url)), "results");
mkdirSync(resultsDir, { recursive: true });
const output = {
  measuredAt: new Date().toISOString(),
  node: process.version,
  embedder: embedder.model,
  rows,
};
writeFileSync(join(resultsDir, "search-latency.json"), `${JSON.stringify(output, null, 2)}\n`);
