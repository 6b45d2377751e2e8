/**
 * Moves the stored search vectors into the form DynamoDB's vector index reads, for a table whose
 * vectors were written by the in-process engine (float32 bytes): before or after switching a
 * deployment to SEARCH_ENGINE=dynamodb. `npx tsx scripts/backfill-vector-index.ts [--dry-run]
 * [--checkpoint=FILE]` with the deployed (or local) environment.
 *
 * Walks the vector items shard by shard through the vectorsByIndexedAt index and rewrites each
 * live, searchable one as a list of numbers with the search scope (vector-schema.ts), dropping
 * the bytes. Tombstones and drafts are left alone: they must stay out of the index. Each rewrite
 * is conditional on the item being unchanged since it was read, so a worker write in between wins.
 * Progress goes to stdout per page; the position is saved to the checkpoint file after every
 * page, so an interrupted run resumes where it stopped. Re-running is harmless: converted items
 * no longer carry the bytes and are skipped.
 */
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { type DynamoDBDocumentClient, QueryCommand, UpdateCommand } from "@aws-sdk/lib-dynamodb";
import { isConditionFailed } from "../shared/repositories/dynamo-errors.ts";
import { indexAttributes, VECTOR_SHARDS } from "../shared/repositories/dynamo-vector-repository.ts";
import { keys, VECTORS_BY_INDEXED_AT } from "../shared/repositories/table-schema.ts";
import { VECTOR_INDEX } from "../shared/repositories/vector-schema.ts";
import { decodeVector } from "../shared/search/vector-codec.ts";

/** Where a run got to: per shard, the last evaluated key, or "done". */
export type BackfillCheckpoint = Record<string, Record<string, unknown> | "done">;

export interface BackfillOptions {
  db: DynamoDBDocumentClient;
  table: string;
  dryRun?: boolean;
  checkpoint?: BackfillCheckpoint;
  /** Called after every page with the position to resume from. */
  saveCheckpoint?: (checkpoint: BackfillCheckpoint) => void;
  log?: (line: string) => void;
  pageSize?: number;
  /** Stop after this many pages (tests use it to interrupt a run). */
  maxPages?: number;
}

export interface BackfillResult {
  read: number;
  converted: number;
  skipped: number;
  complete: boolean;
}

export async function backfillVectorIndex(options: BackfillOptions): Promise<BackfillResult> {
  const { db, table, dryRun = false, log = () => {} } = options;
  const checkpoint: BackfillCheckpoint = { ...options.checkpoint };
  const result: BackfillResult = { read: 0, converted: 0, skipped: 0, complete: false };
  let pages = 0;
  for (const shard of VECTOR_SHARDS) {
    const resumeAt = checkpoint[shard];
    if (resumeAt === "done") continue;
    let startKey: Record<string, unknown> | undefined = resumeAt;
    do {
      if (options.maxPages !== undefined && pages >= options.maxPages) return result;
      const page: { Items?: Record<string, unknown>[]; LastEvaluatedKey?: Record<string, unknown> } =
        await db.send(
          new QueryCommand({
            TableName: table,
            IndexName: VECTORS_BY_INDEXED_AT.name,
            KeyConditionExpression: "#shard = :shard",
            ExpressionAttributeNames: { "#shard": VECTORS_BY_INDEXED_AT.partitionKey },
            ExpressionAttributeValues: { ":shard": shard },
            ExclusiveStartKey: startKey,
            Limit: options.pageSize ?? 200,
          }),
        );
      let converted = 0;
      for (const item of page.Items ?? []) {
        result.read++;
        const convertible =
          item.deleted !== true && item.status !== "draft" && item.vector instanceof Uint8Array;
        if (!convertible) {
          result.skipped++;
          continue;
        }
        if (dryRun || (await convert(db, table, item))) converted++;
        else result.skipped++;
      }
      result.converted += converted;
      pages++;
      startKey = page.LastEvaluatedKey;
      checkpoint[shard] = startKey ?? "done";
      if (!dryRun) options.saveCheckpoint?.(checkpoint);
      log(
        `${shard}: ${page.Items?.length ?? 0} read, ${converted} ${dryRun ? "to convert" : "converted"} (total ${result.read} read, ${result.converted})`,
      );
    } while (startKey);
  }
  result.complete = true;
  return result;
}

/** Rewrites one item in the index form; false when a newer write got there first. */
async function convert(
  db: DynamoDBDocumentClient,
  table: string,
  item: Record<string, unknown>,
): Promise<boolean> {
  const vector = decodeVector(item.vector as Uint8Array);
  const attributes = indexAttributes(vector);
  try {
    await db.send(
      new UpdateCommand({
        TableName: table,
        Key: keys.vector(String(item.marketId)),
        UpdateExpression: "SET #embedding = :embedding, #scope = :scope REMOVE #vector",
        ConditionExpression: "#indexedAt = :indexedAt AND attribute_exists(#vector)",
        ExpressionAttributeNames: {
          "#embedding": VECTOR_INDEX.vectorAttribute,
          "#scope": VECTOR_INDEX.hashAttribute,
          "#vector": "vector",
          "#indexedAt": "indexedAt",
        },
        ExpressionAttributeValues: {
          ":embedding": attributes[VECTOR_INDEX.vectorAttribute],
          ":scope": attributes[VECTOR_INDEX.hashAttribute],
          ":indexedAt": item.indexedAt,
        },
      }),
    );
    return true;
  } catch (error) {
    if (isConditionFailed(error)) return false;
    throw error;
  }
}

async function main(): Promise<void> {
  const { config } = await import("../shared/composition/environment.ts");
  const { documentClient } = await import("../shared/composition/clients.ts");
  const dryRun = process.argv.includes("--dry-run");
  const file =
    process.argv.find((arg) => arg.startsWith("--checkpoint="))?.slice(13) ?? ".vector-index-backfill.json";
  const checkpoint = existsSync(file) ? (JSON.parse(readFileSync(file, "utf8")) as BackfillCheckpoint) : {};
  if (Object.keys(checkpoint).length > 0) console.log(`resuming from ${file}`);
  const result = await backfillVectorIndex({
    db: documentClient(),
    table: config().TABLE_NAME,
    dryRun,
    checkpoint,
    saveCheckpoint: (next) => writeFileSync(file, `${JSON.stringify(next)}\n`),
    log: (line) => console.log(line),
  });
  console.log(
    `${dryRun ? "dry run: " : ""}read ${result.read} vector items, ${dryRun ? "would convert" : "converted"} ${result.converted}, skipped ${result.skipped}`,
  );
}

if (process.argv[1] && import.meta.url.endsWith(process.argv[1].replace(/^.*scripts\//, "scripts/"))) {
  await main();
}
