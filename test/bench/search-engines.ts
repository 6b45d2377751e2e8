/**
 * Both search engines at 1k, 10k and 50k markets: `npx tsx test/bench/search-engines.ts`.
 *
 * - in-process: CompactVectorIndex (what SearchIndex holds) against the exact float32 scan
 *   (VectorIndex, the previous engine) in the same run: median and p99 of a top-10, recall@10,
 *   bytes per vector, time to load the vectors at a cold start. Local-embedder vectors of
 *   synthetic markets (synthetic-markets.ts), queried with six hand-written queries plus every
 *   query of the labeled set (96 in all), and dense 1,024-d vectors (Bedrock-like) for the int8
 *   path.
 * - dynamodb: the adapter (DynamoVectorSearch) through the local SearchVectors emulation in front
 *   of DynamoDB Local at 1k and 10k: these figures measure the adapter, the HTTP hop and the
 *   emulation's exact scan, not AWS. At 50k only the emulation's ranking is timed (loading 50k
 *   that many list items into DynamoDB Local takes longer than the benchmark should).
 * - quality: hit@3 and MRR of the labeled set (main and held-out queries) ranked by each engine.
 * Prints tables and writes test/bench/results/search-engines.json, which search-cost.ts prices.
 */
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import { ensureTable } from "../../infra/local/create-table.ts";
import { startDynamoDbLocal } from "../../infra/local/dynamodb-local.ts";
import { LOCAL_CREDENTIALS, LOCAL_REGION } from "../../infra/local/local-env.ts";
import {
  type IndexedItem,
  parseRequest,
  search,
  toIndexedItem,
} from "../../infra/local/search-vectors-emulation.ts";
import { startSearchVectorsProxy } from "../../infra/local/search-vectors-proxy.ts";
import { DynamoVectorRepository, toIndexList } from "../../shared/repositories/dynamo-vector-repository.ts";
import { marketVectorIndex } from "../../shared/repositories/vector-schema.ts";
import { CompactVectorIndex } from "../../shared/search/compact-vector-index.ts";
import {
  DynamoVectorSearch,
  hitsFromResults,
  searchVectorsRequest,
} from "../../shared/search/dynamo-vector-search.ts";
import { normaliseInPlace } from "../../shared/search/embedder.ts";
import type { EvalSet } from "../../shared/search/evaluate.ts";
import { LocalEmbedder } from "../../shared/search/local-embedder.ts";
import { textForMarket } from "../../shared/search/market-text.ts";
import { VectorIndex } from "../../shared/search/vector-index.ts";
import { syntheticMarketTexts } from "./synthetic-markets.ts";

// Short mode (CI) only proves the benchmark still runs: the smallest size.
const SIZES = process.env.BENCH_SHORT === "1" ? [1_000] : [1_000, 10_000, 50_000];
const DYNAMO_SIZES = [1_000];
const K = 10;
const RUNS = 200;
const QUERIES = [
  "rain in Paris on new year's day",
  "bitcoin above 150k by 2027",
  "who wins the next world cup",
  "fed rate cut in march",
  "snow in new york at christmas",
  "next uk prime minister",
];
const DENSE_QUERIES = 20;
const ALL = ["active", "closed", "resolved"] as const;
const embedder = new LocalEmbedder();
const dims = embedder.dimensions;
const statusOf = (i: number) => (i % 5 === 0 ? "closed" : "active");

function stats(samples: number[]) {
  const sorted = [...samples].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)] as number;
  return { medianMs: at(0.5), p99Ms: at(0.99) };
}

async function time(run: (i: number) => unknown, runs = RUNS) {
  for (let i = 0; i < 5; i++) await run(i);
  const samples: number[] = [];
  for (let i = 0; i < runs; i++) {
    const started = performance.now();
    await run(i);
    samples.push(performance.now() - started);
  }
  return stats(samples);
}

function recallAt(k: number, truth: string[][], found: string[][]): number {
  let hits = 0;
  truth.forEach((ids, q) => {
    const wanted = new Set(ids.slice(0, k));
    hits += (found[q] ?? []).slice(0, k).filter((id) => wanted.has(id)).length;
  });
  return hits / (truth.length * k);
}

function randomDense(count: number, seed: number): Float32Array[] {
  let state = seed;
  const next = () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state / 2 ** 32 - 0.5;
  };
  return Array.from({ length: count }, () => normaliseInPlace(Float32Array.from({ length: dims }, next)));
}

/** The in-process engine against the exact scan, for one set of vectors. */
async function inProcess(vectors: Float32Array[], queries: Float32Array[]) {
  const loadStarted = performance.now();
  const compact = new CompactVectorIndex(dims);
  vectors.forEach((vector, i) => {
    compact.upsert({ id: `m${i}`, status: statusOf(i), vector });
  });
  compact.trim();
  const loadMs = performance.now() - loadStarted;
  const exact = new VectorIndex(dims);
  vectors.forEach((vector, i) => {
    exact.upsert({ id: `m${i}`, status: statusOf(i), vector });
  });
  const searchable = (status: string) => status !== "draft";
  const engine = await time((i) => compact.topK(queries[i % queries.length] as Float32Array, K, searchable));
  const scan = await time((i) => exact.topK(queries[i % queries.length] as Float32Array, K, searchable), 40);
  const truth = queries.map((q) => exact.topK(q, K, searchable).map((hit) => hit.id));
  const found = queries.map((q) => compact.topK(q, K, searchable).map((hit) => hit.id));
  return {
    engine,
    exactScan: scan,
    speedup: scan.medianMs / engine.medianMs,
    recallAt10: recallAt(K, truth, found),
    bytesPerVector: compact.vectorBytes() / vectors.length,
    float32BytesPerVector: dims * 4,
    loadMs,
  };
}

/** The adapter through the proxy and DynamoDB Local. */
async function dynamodbEngine(vectors: Float32Array[], queries: Float32Array[], endpoint: string) {
  const client = new DynamoDBClient({ endpoint, region: LOCAL_REGION, credentials: LOCAL_CREDENTIALS });
  const db = DynamoDBDocumentClient.from(client, { marshallOptions: { removeUndefinedValues: true } });
  const table = `bench-${vectors.length}-${Date.now()}`;
  await ensureTable(client, table);
  const repository = new DynamoVectorRepository({ table, db, form: "list" });
  const at = new Date().toISOString();
  for (let start = 0; start < vectors.length; start += 32) {
    await Promise.all(
      vectors.slice(start, start + 32).map((vector, j) =>
        repository.put({
          marketId: `m${start + j}`,
          status: statusOf(start + j),
          model: embedder.model,
          dims,
          contentHash: "",
          vector,
          indexedAt: at,
        }),
      ),
    );
  }
  const engine = new DynamoVectorSearch({ table, db });
  await engine.nearest(queries[0] as Float32Array, K, ALL); // first search loads the table
  const timed = await time((i) => engine.nearest(queries[i % queries.length] as Float32Array, K, ALL), 100);
  client.destroy();
  return timed;
}

/** The emulation's ranking and the adapter's mapping, without HTTP or DynamoDB Local. */
function emulationCore(vectors: Float32Array[], queries: Float32Array[]) {
  const index = marketVectorIndex(dims);
  const items: IndexedItem[] = [];
  vectors.forEach((vector, i) => {
    const entry = toIndexedItem(index, {
      pk: { S: `VECTOR#m${i}` },
      sk: { S: "VECTOR" },
      marketId: { S: `m${i}` },
      status: { S: statusOf(i) },
      searchScope: { S: "MARKET" },
      embedding: { L: toIndexList(vector).map((n) => ({ N: String(n) })) },
    });
    if (entry) items.push(entry);
  });
  return time((i) => {
    const request = searchVectorsRequest("t", queries[i % queries.length] as Float32Array, K);
    const wire = {
      ...request,
      SearchVector: (request.SearchVector as number[]).map((n) => ({ N: String(n) })),
      ExpressionAttributeValues: { ":scope": { S: "MARKET" } },
    };
    const results = search(index, ["pk", "sk"], items, parseRequest(wire as never, index));
    return hitsFromResults(results.map((r) => ({ Score: r.Score, Item: { marketId: r.Item.marketId?.S } })));
  }, 10);
}

/** hit@3 and MRR of the labeled set when `rank` orders the markets. */
function quality(set: EvalSet, rank: (query: Float32Array) => string[]) {
  const run = (queries: EvalSet["queries"]) => {
    let hit3 = 0;
    let mrr = 0;
    for (const query of queries) {
      const ranked = rank(embedder.embedOne(query.query));
      const position = ranked.findIndex((id) => query.relevant.includes(id));
      if (position >= 0 && position < 3) hit3++;
      if (position >= 0) mrr += 1 / (position + 1);
    }
    return { hitAt3: hit3 / queries.length, mrr: mrr / queries.length };
  };
  return { main: run(set.queries), holdout: run(set.holdoutQueries ?? []) };
}

function qualityByEngine() {
  const set = JSON.parse(
    readFileSync(fileURLToPath(new URL("../fixtures/search-eval-set.json", import.meta.url)), "utf8"),
  ) as EvalSet;
  const vectors = set.markets.map((market) => embedder.embedOne(textForMarket(market)));
  const exact = new VectorIndex(dims);
  const compact = new CompactVectorIndex(dims);
  const index = marketVectorIndex(dims);
  const items: IndexedItem[] = [];
  set.markets.forEach((market, i) => {
    const vector = vectors[i] as Float32Array;
    exact.upsert({ id: market.id, status: "active", vector });
    compact.upsert({ id: market.id, status: "active", vector });
    const entry = toIndexedItem(index, {
      pk: { S: `VECTOR#${market.id}` },
      sk: { S: "VECTOR" },
      marketId: { S: market.id },
      searchScope: { S: "MARKET" },
      embedding: { L: toIndexList(vector).map((n) => ({ N: String(n) })) },
    });
    if (entry) items.push(entry);
  });
  const all = set.markets.length;
  const viaEmulation = (query: Float32Array) => {
    const wire = {
      TableName: "t",
      IndexName: index.IndexName,
      SearchVector: toIndexList(query).map((n) => ({ N: String(n) })),
      TopK: Math.min(100, all),
      SearchConditionExpression: "searchScope = :s",
      ExpressionAttributeValues: { ":s": { S: "MARKET" } },
    };
    return search(index, ["pk", "sk"], items, parseRequest(wire, index)).map((r) =>
      String(r.Item.marketId?.S),
    );
  };
  return {
    exactScan: quality(set, (q) => exact.topK(q, all).map((hit) => hit.id)),
    inProcess: quality(set, (q) => compact.topK(q, all).map((hit) => hit.id)),
    dynamodbEmulation: quality(set, viaEmulation),
  };
}

const labeled = JSON.parse(
  readFileSync(fileURLToPath(new URL("../fixtures/search-eval-set.json", import.meta.url)), "utf8"),
) as EvalSet;
const queryTexts = [
  ...QUERIES,
  ...labeled.queries.map((q) => q.query),
  ...(labeled.holdoutQueries ?? []).map((q) => q.query),
];
const queries = queryTexts.map((query) => embedder.embedOne(query));
const allTexts = syntheticMarketTexts(Math.max(...SIZES), 7);
const allVectors = allTexts.map((text) => embedder.embedOne(text));
const dense = randomDense(50_000, 11);
const denseQueries = randomDense(DENSE_QUERIES, 13);

const rows: {
  size: number;
  local: Awaited<ReturnType<typeof inProcess>>;
  dense?: Awaited<ReturnType<typeof inProcess>>;
}[] = [];
for (const size of SIZES) {
  const local = await inProcess(allVectors.slice(0, size), queries);
  const denseRow = size === 50_000 ? await inProcess(dense, denseQueries) : undefined;
  rows.push({ size, local, dense: denseRow });
}

const dynamo = await startDynamoDbLocal({ dataDir: "memory" });
const proxy = await startSearchVectorsProxy({ target: dynamo.endpoint, indexes: [marketVectorIndex(dims)] });
const dynamoRows = [];
try {
  for (const size of DYNAMO_SIZES) {
    dynamoRows.push({
      size,
      path: "adapter + proxy + DynamoDB Local",
      ...(await dynamodbEngine(allVectors.slice(0, size), queries, proxy.endpoint)),
    });
  }
} finally {
  await proxy.stop();
  await dynamo.stop();
}
for (const size of SIZES) {
  dynamoRows.push({
    size,
    path: "emulation ranking only",
    ...(await emulationCore(allVectors.slice(0, size), queries)),
  });
}

const qualities = qualityByEngine();

const ms = (value: number) => value.toFixed(2);
console.log(
  `embedder=${embedder.model} k=${K} runs=${RUNS} queries=${queries.length} node=${process.version}\n`,
);
console.log("in-process engine (CompactVectorIndex) vs the exact float32 scan, same run:");
console.table(
  rows.flatMap((row) => [
    { vectors: row.size, kind: "local embedder", ...summary(row.local) },
    ...(row.dense ? [{ vectors: row.size, kind: "dense 1024-d (int8)", ...summary(row.dense) }] : []),
  ]),
);
function summary(r: Awaited<ReturnType<typeof inProcess>>) {
  return {
    "p50 ms": ms(r.engine.medianMs),
    "p99 ms": ms(r.engine.p99Ms),
    "exact p50 ms": ms(r.exactScan.medianMs),
    speedup: `x${r.speedup.toFixed(1)}`,
    "recall@10": r.recallAt10.toFixed(3),
    "bytes/vector": Math.round(r.bytesPerVector),
    "vs float32": (r.bytesPerVector / r.float32BytesPerVector).toFixed(3),
    "load ms": Math.round(r.loadMs),
  };
}
console.log("dynamodb engine through the local emulation (measures the adapter, not AWS):");
console.table(
  dynamoRows.map((row) => ({
    vectors: row.size,
    path: row.path,
    "p50 ms": ms(row.medianMs),
    "p99 ms": ms(row.p99Ms),
  })),
);
console.log("labeled set quality by engine:");
console.table(
  Object.entries(qualities).map(([engine, q]) => ({
    engine,
    "hit@3": q.main.hitAt3.toFixed(3),
    MRR: q.main.mrr.toFixed(3),
    "holdout hit@3": q.holdout.hitAt3.toFixed(3),
    "holdout MRR": q.holdout.mrr.toFixed(3),
  })),
);

const resultsDir = join(dirname(fileURLToPath(import.meta.url)), "results");
mkdirSync(resultsDir, { recursive: true });
writeFileSync(
  join(resultsDir, "search-engines.json"),
  `${JSON.stringify({ measuredAt: new Date().toISOString(), node: process.version, embedder: embedder.model, inProcess: rows, dynamodb: dynamoRows, quality: qualities, queries: queries.length }, null, 2)}\n`,
);
