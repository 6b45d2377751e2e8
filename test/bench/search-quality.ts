/**
 * Search quality and embed speed benchmark: `npx tsx test/bench/search-quality.ts`.
 * Prints a table and writes test/bench/results/search-quality.json. The baseline is measured in the same
 * run on the same set, so the ratio column compares like with like.
 */
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import type { Embedder } from "../../shared/search/embedder.ts";
import { type EvalResult, type EvalSet, evaluate, rankQueries } from "../../shared/search/evaluate.ts";
import { LocalEmbedder } from "../../shared/search/local-embedder.ts";
import { textForMarket } from "../../shared/search/market-text.ts";
import { VectorIndex } from "../../shared/search/vector-index.ts";
import { BagOfWordsEmbedder } from "./bag-of-words-embedder.ts";

const here = dirname(fileURLToPath(import.meta.url));
const set = JSON.parse(readFileSync(join(here, "../fixtures/search-eval-set.json"), "utf8")) as EvalSet;
const holdout: EvalSet = { markets: set.markets, queries: set.holdoutQueries ?? [] };

const SPEED_BUDGET_MS = 1000;
const INDEX_SIZE = 10_000;

/** Texts per second over repeated passes of the market and query texts, after a warm-up pass. */
async function embedThroughput(embedder: Embedder): Promise<number> {
  const texts = [...set.markets.map(textForMarket), ...set.queries.map((query) => query.query)];
  await embedder.embed(texts);
  let embedded = 0;
  const started = performance.now();
  while (performance.now() - started < SPEED_BUDGET_MS) {
    await embedder.embed(texts);
    embedded += texts.length;
  }
  return embedded / ((performance.now() - started) / 1000);
}

/** Mean topK latency over a synthetic index the size of a large market catalogue. */
function topKLatencyMs(dimensions: number): number {
  const index = new VectorIndex(dimensions);
  let seed = 42;
  const random = () => {
    seed = (Math.imul(seed, 1664525) + 1013904223) >>> 0;
    return seed / 2 ** 32 - 0.5;
  };
  const randomVector = () => Float32Array.from({ length: dimensions }, random);
  for (let i = 0; i < INDEX_SIZE; i++) index.upsert({ id: `m${i}`, status: "open", vector: randomVector() });
  const query = randomVector();
  const runs = 50;
  const started = performance.now();
  for (let i = 0; i < runs; i++) index.topK(query, 20, (status) => status === "open");
  return (performance.now() - started) / runs;
}

interface Row {
  embedder: string;
  dimensions: number;
  main: EvalResult;
  holdout: EvalResult;
  textsPerSecond: number;
}

async function measure(embedder: Embedder): Promise<Row> {
  return {
    embedder: embedder.model,
    dimensions: embedder.dimensions,
    main: await evaluate(embedder, set),
    holdout: await evaluate(embedder, holdout),
    textsPerSecond: await embedThroughput(embedder),
  };
}

const local = new LocalEmbedder();
const rows = [await measure(local), await measure(new BagOfWordsEmbedder(local.dimensions))];
const [ours, baseline] = rows as [Row, Row];

const pct = (value: number) => `${(value * 100).toFixed(1)}%`;
console.log(
  `markets=${set.markets.length} queries=${set.queries.length} holdout=${holdout.queries.length}\n`,
);
console.table(
  rows.map((row) => ({
    embedder: row.embedder,
    dims: row.dimensions,
    "hit@1": pct(row.main.hitAt1),
    "hit@3": pct(row.main.hitAt3),
    MRR: row.main.mrr.toFixed(3),
    "holdout hit@3": pct(row.holdout.hitAt3),
    "holdout MRR": row.holdout.mrr.toFixed(3),
    "texts/s": Math.round(row.textsPerSecond),
  })),
);
const ratio = {
  hitAt1: ours.main.hitAt1 / baseline.main.hitAt1,
  hitAt3: ours.main.hitAt3 / baseline.main.hitAt3,
  mrr: ours.main.mrr / baseline.main.mrr,
  holdoutMrr: ours.holdout.mrr / baseline.holdout.mrr,
};
console.log(
  `local / baseline: hit@1 x${ratio.hitAt1.toFixed(2)}, hit@3 x${ratio.hitAt3.toFixed(2)}, ` +
    `MRR x${ratio.mrr.toFixed(2)}, holdout MRR x${ratio.holdoutMrr.toFixed(2)}`,
);

const misses = (await rankQueries(local, set)).filter((ranking) => ranking.rank > 1);
for (const miss of misses) console.log(`  rank ${miss.rank}: "${miss.query}" → ${miss.top.join(", ")}`);

const topKMs = topKLatencyMs(local.dimensions);
console.log(`topK(20) over ${INDEX_SIZE} x ${local.dimensions}-d vectors: ${topKMs.toFixed(2)} ms`);

const resultsDir = join(here, "results");
mkdirSync(resultsDir, { recursive: true });
const output = {
  measuredAt: new Date().toISOString(),
  rows,
  ratio,
  misses,
  topK: { size: INDEX_SIZE, ms: topKMs },
};
writeFileSync(join(resultsDir, "search-quality.json"), `${JSON.stringify(output, null, 2)}\n`);
