/**
 * Data-access patterns against DynamoDB Local, each next to its naive baseline in the same run:
 * - a list page of 50 markets with creators: one BatchGetItem (the repository) vs one GetItem per
 *   market (N+1);
 * - single-market reads: cache-aside (in-process LRU) vs always reading the table;
 * - a list page with `fields=id,name` (ProjectionExpression) vs reading whole items.
 * Latencies are local round trips (no network), so the ratios understate the gap on AWS.
 *
 *   npx tsx test/bench/data-access.ts [rounds]
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { DynamoDBDocumentClient, GetCommand } from "@aws-sdk/lib-dynamodb";
import { ensureTable } from "../../infra/local/create-table.ts";
import { startDynamoDbLocal } from "../../infra/local/dynamodb-local.ts";
import { LOCAL_CREDENTIALS, LOCAL_REGION } from "../../infra/local/local-env.ts";
import { MemoryCache } from "../../shared/cache/memory-cache.ts";
import type { Market } from "../../shared/domain/market.ts";
import { CachedMarketRepository } from "../../shared/repositories/cached-market-repository.ts";
import { DynamoMarketRepository } from "../../shared/repositories/dynamo-market-repository.ts";
import { DynamoUserRepository } from "../../shared/repositories/dynamo-user-repository.ts";
import { keys } from "../../shared/repositories/table-schema.ts";
import { CreatorDirectory } from "../../shared/services/creator-directory.ts";
import { median, percentile } from "./stats.ts";

const ROUNDS = Number(process.argv[2] ?? 30);
const TABLE = "bench-data-access";

async function time(run: () => Promise<unknown>): Promise<number[]> {
  const samples: number[] = [];
  for (let i = 0; i < ROUNDS; i++) {
    const started = performance.now();
    await run();
    samples.push(performance.now() - started);
  }
  return samples;
}

const dynamo = await startDynamoDbLocal({ dataDir: "memory" });
try {
  const client = new DynamoDBClient({
    endpoint: dynamo.endpoint,
    region: LOCAL_REGION,
    credentials: LOCAL_CREDENTIALS,
  });
  const db = DynamoDBDocumentClient.from(client, { marshallOptions: { removeUndefinedValues: true } });
  await ensureTable(client, TABLE);
  const markets = new DynamoMarketRepository({ table: TABLE, db });
  const users = new DynamoUserRepository({ table: TABLE, db });
  const now = new Date().toISOString();
  for (let i = 0; i < 50; i++) {
    await users.ensure(`user-${i}`, { displayName: `User ${i}`, email: null }, now);
    const market: Market = {
      id: `m${String(i).padStart(4, "0")}`,
      name: `Benchmark market number ${i} with a realistic length of title`,
      description: "A description of a few hundred characters. ".repeat(8),
      category: "bench",
      status: "active",
      outcome: null,
      closesAt: "2030-01-01T00:00:00.000Z",
      volume: i,
      yesVolume: i,
      noVolume: 0,
      creatorId: `user-${i}`,
      createdAt: new Date(Date.now() + i).toISOString(),
      updatedAt: now,
      version: 1,
    };
    await markets.create(market);
  }
  const creators = new CreatorDirectory({ users });
  const page = (await markets.list({ statuses: ["active"], sort: "createdAt", order: "desc", limit: 50 }))
    .items as Market[];

  const batch = await time(() => creators.embed(page));
  const nPlusOne = await time(() =>
    Promise.all(page.map((m) => db.send(new GetCommand({ TableName: TABLE, Key: keys.user(m.creatorId) })))),
  );
  const nPlusOneSequential = await time(async () => {
    for (const m of page) await db.send(new GetCommand({ TableName: TABLE, Key: keys.user(m.creatorId) }));
  });

  const cached = new CachedMarketRepository({
    inner: markets,
    cache: new MemoryCache({ ttlSeconds: 300, maxEntries: 1000 }),
  });
  const cacheHits = await time(() => cached.get("m0001"));
  const tableReads = await time(() => markets.get("m0001"));

  const projected = await time(() =>
    markets.list({
      statuses: ["active"],
      sort: "createdAt",
      order: "desc",
      limit: 50,
      attributes: ["id", "name"],
    }),
  );
  const wholeItems = await time(() =>
    markets.list({ statuses: ["active"], sort: "createdAt", order: "desc", limit: 50 }),
  );

  const row = (pattern: string, variant: string, samples: number[], baseline: number[]) => ({
    pattern,
    variant,
    "median ms": median(samples).toFixed(2),
    "p90 ms": percentile(samples, 90).toFixed(2),
    "× baseline": (median(samples) / median(baseline)).toFixed(2),
  });
  const rows = [
    row(
      "creators of 50 markets",
      "N+1 sequential GetItem (baseline)",
      nPlusOneSequential,
      nPlusOneSequential,
    ),
    row("creators of 50 markets", "N+1 parallel GetItem", nPlusOne, nPlusOneSequential),
    row("creators of 50 markets", "one BatchGetItem", batch, nPlusOneSequential),
    row("get one market", "table read (baseline)", tableReads, tableReads),
    row("get one market", "cache-aside hit (LRU)", cacheHits, tableReads),
    row("list 50 markets", "whole items (baseline)", wholeItems, wholeItems),
    row("list 50 markets", "fields=id,name projection", projected, wholeItems),
  ];
  console.table(rows);
  console.log(`${ROUNDS} rounds each against DynamoDB Local on loopback.`);
  const out = join(import.meta.dirname, "results");
  mkdirSync(out, { recursive: true });
  writeFileSync(join(out, "data-access.json"), JSON.stringify({ rounds: ROUNDS, rows }, null, 2));
  client.destroy();
} finally {
  await dynamo.stop();
}
