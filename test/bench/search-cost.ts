/**
 * Dollar cost per million searches of each engine at 1k, 10k and 100k markets:
 * `npx tsx test/bench/search-cost.ts`, after search-engines.ts, whose measurements (the in-process
 * engine's median top-k and cold-start load, its bytes per vector, the adapter's round trip
 * through the emulation) it prices. Prints a table and writes test/bench/results/search-cost.json.
 *
 * AWS publishes no price for DynamoDB's vector search that this could be checked against (see
 * PRICES.vectorSearch), so the dynamodb engine's search charge is left in AWS's billed unit,
 * VectorSearchRequestBytes, and the table gives the price per GB at which the two engines cost
 * the same instead of inventing one.
 */
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { searchMarkets } from "../../shared/routes/search-markets.ts";

/** us-east-1, on-demand, as published; `source` and `read` say where and when they were read. */
export const PRICES = {
  lambdaArmGbSecond: {
    usd: 0.0000133334,
    unit: "GB-second, arm64, first 7.5 billion GB-seconds a month",
    source:
      "aws.amazon.com/lambda/pricing (as quoted by pricing guides; the page renders its table client-side)",
    read: "2026-12",
  },
  lambdaRequest: {
    usd: 0.2 / 1e6,
    unit: "request ($0.20 per million)",
    source: "aws.amazon.com/lambda/pricing",
    read: "2026-12",
  },
  readRequestUnit: {
    usd: 0.125 / 1e6,
    unit: "read request unit, on-demand, Standard table class ($0.125 per million, since November 2024)",
    source: "aws.amazon.com/dynamodb/pricing/on-demand (as quoted by pricing guides)",
    read: "2026-12",
  },
  writeRequestUnit: {
    usd: 0.625 / 1e6,
    unit: "write request unit, on-demand, Standard table class ($0.625 per million, since November 2024)",
    source: "aws.amazon.com/dynamodb/pricing/on-demand (as quoted by pricing guides)",
    read: "2026-12",
  },
  vectorSearch: {
    usd: null,
    unit: "VectorSearchRequestBytes (billed unit of SearchVectors)",
    source:
      "no published price found (DynamoDB developer guide, 'Monitoring vector index capacity', documents the unit only)",
    read: "2026-12",
  },
} as const;

const searchMemoryMb = searchMarkets.memoryMb;
if (searchMemoryMb === undefined) throw new Error("the search route declares no memoryMb to price");

/** What the table assumes beyond the prices; each is stated in docs/search.md. */
export const ASSUMPTIONS = {
  /** The search function's configured memory: the same for both engines. */
  memoryMb: searchMemoryMb,
  /** Share of searches that land on a new execution environment. */
  coldStartShares: [0.001, 0.01],
  /** Candidates read per search at the default limit 10 (limit * 3 + 10, search-service.ts). */
  candidatesPerSearch: 40,
  /** A market item is under 4 KB: one eventually consistent read is half a read unit. */
  rruPerCandidate: 0.5,
  /** A stored float32 vector item (4 KB of vector plus keys) read at a cold start, eventually consistent. */
  vectorItemKb: 4.4,
  /** AWS's own example of one SearchVectors call's billed bytes (developer guide). */
  vectorSearchBytesPerSearch: 41_714,
} as const;

const SIZES = [1_000, 10_000, 100_000];
const MILLION = 1e6;

interface EnginesResult {
  measuredAt: string;
  inProcess: {
    size: number;
    local: { engine: { medianMs: number }; loadMs: number; bytesPerVector: number };
  }[];
  dynamodb: { size: number; path: string; medianMs: number }[];
}

const resultsDir = join(dirname(fileURLToPath(import.meta.url)), "results");
const enginesFile = join(resultsDir, "search-engines.json");
let engines: EnginesResult;
try {
  engines = JSON.parse(readFileSync(enginesFile, "utf8")) as EnginesResult;
} catch {
  throw new Error(`${enginesFile} is missing: run test/bench/search-engines.ts first`);
}

/** The in-process figures at `size`: measured, or scaled linearly from the largest measured size. */
function inProcessAt(size: number) {
  const measured = engines.inProcess.find((row) => row.size === size);
  if (measured) return { ...measured.local, scaledFrom: undefined };
  const largest = engines.inProcess.reduce((a, b) => (b.size > a.size ? b : a));
  const factor = size / largest.size;
  return {
    engine: { medianMs: largest.local.engine.medianMs * factor },
    loadMs: largest.local.loadMs * factor,
    bytesPerVector: largest.local.bytesPerVector,
    scaledFrom: largest.size,
  };
}

const gb = ASSUMPTIONS.memoryMb / 1024;
const lambdaSeconds = (ms: number) => (ms / 1000) * gb * PRICES.lambdaArmGbSecond.usd;
const adapterRoundTripMs =
  engines.dynamodb.find((row) => row.path.startsWith("adapter"))?.medianMs ?? Number.NaN;

/** Paid by both engines on every search: the invocation and the candidates' BatchGetItem. */
const commonPerSearch =
  PRICES.lambdaRequest.usd +
  ASSUMPTIONS.candidatesPerSearch * ASSUMPTIONS.rruPerCandidate * PRICES.readRequestUnit.usd;

const rows = SIZES.map((markets) => {
  const figures = inProcessAt(markets);
  const coldStartRru = Math.round((markets * ASSUMPTIONS.vectorItemKb) / 4 / 2);
  const perColdStart = coldStartRru * PRICES.readRequestUnit.usd + lambdaSeconds(figures.loadMs);
  const warmRanking = lambdaSeconds(figures.engine.medianMs);
  const inProcess = ASSUMPTIONS.coldStartShares.map(
    (share) => MILLION * (commonPerSearch + warmRanking + share * perColdStart),
  );
  // The dynamodb engine waits on SearchVectors instead of ranking; AWS bills the wait as duration.
  const dynamodbKnown = MILLION * (commonPerSearch + lambdaSeconds(adapterRoundTripMs));
  const searchGb = (MILLION * ASSUMPTIONS.vectorSearchBytesPerSearch) / 1e9;
  return {
    markets,
    scaledFrom: figures.scaledFrom,
    vectorMb: (markets * figures.bytesPerVector) / 2 ** 20,
    coldStartRru,
    perColdStartUsd: perColdStart,
    inProcessUsd: inProcess,
    dynamodbKnownUsd: dynamodbKnown,
    dynamodbSearchGb: searchGb,
    /** What SearchVectors may charge per million searches before dynamodb costs more than in-process. */
    breakEvenUsd: inProcess.map((usd) => Math.max(0, usd - dynamodbKnown)),
    /** The same as a price per GB of VectorSearchRequestBytes. */
    breakEvenUsdPerSearchGb: inProcess.map((usd) => Math.max(0, usd - dynamodbKnown) / searchGb),
  };
});

const usd = (value: number) => `$${value < 10 ? value.toFixed(2) : value.toFixed(1)}`;
console.log(
  `search cost per million searches, us-east-1, arm64 at ${ASSUMPTIONS.memoryMb} MB; ` +
    `prices read ${PRICES.lambdaArmGbSecond.read}; measurements of ${engines.measuredAt}`,
);
console.table(
  rows.map((row) => ({
    markets: row.markets + (row.scaledFrom ? ` (scaled from ${row.scaledFrom})` : ""),
    "in-process MB": row.vectorMb.toFixed(1),
    "RRU per cold start": row.coldStartRru,
    ...Object.fromEntries(
      ASSUMPTIONS.coldStartShares.map((share, i) => [
        `in-process, ${share * 100}% cold`,
        usd(row.inProcessUsd[i] as number),
      ]),
    ),
    "dynamodb without VS bytes": usd(row.dynamodbKnownUsd),
    "dynamodb VS GB": row.dynamodbSearchGb.toFixed(1),
    ...Object.fromEntries(
      ASSUMPTIONS.coldStartShares.map((share, i) => [
        `SearchVectors break-even, ${share * 100}% cold`,
        `${usd(row.breakEvenUsd[i] as number)} ($${(row.breakEvenUsdPerSearchGb[i] as number).toFixed(4)}/GB)`,
      ]),
    ),
  })),
);
console.log(
  `both engines include ${usd(MILLION * commonPerSearch)} of requests and candidate reads; ` +
    `dynamodb's wait on SearchVectors is the emulated round trip (${adapterRoundTripMs.toFixed(1)} ms); ` +
    "VS bytes per search are AWS's documented example. No VectorSearchRequestBytes price is published.",
);

mkdirSync(resultsDir, { recursive: true });
writeFileSync(
  join(resultsDir, "search-cost.json"),
  `${JSON.stringify(
    {
      computedAt: new Date().toISOString(),
      measurementsFrom: engines.measuredAt,
      prices: PRICES,
      assumptions: { ...ASSUMPTIONS, adapterRoundTripMs },
      commonPerMillionUsd: MILLION * commonPerSearch,
      rows,
    },
    null,
    2,
  )}\n`,
);
