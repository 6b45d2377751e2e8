/**
 * Brings the stored search vectors to what the current code reads, in two steps on every vector
 * item, both run by default. `npx tsx scripts/backfill-vector-index.ts [--dry-run] [--move-only]
 * [--checkpoint=FILE]` with the deployed (or local) environment.
 *
 * 1. Move: a vector stored at its old key, beside its market (`MARKET#<id>` / `VECTOR`), goes to
 *    its own partition (`VECTOR#<id>` / `VECTOR`, table-schema.ts), in one transaction that puts
 *    the new item only if none is there yet and deletes the old one only if it is unchanged since it
 *    was read. If the worker has already written the new key, that write is current and the old
 *    item is just deleted. If the market is gone (deleted after the new code was deployed, when the
 *    worker no longer saw the old vector), a tombstone is written in its place, so search Lambdas
 *    drop it. The moved item keeps its `indexedAt`: search Lambdas that hold the vector already
 *    have nothing to reload.
 * 2. Convert (unless `--move-only`): a live, searchable vector of float32 bytes, as the in-process
 *    engine writes them, becomes the list of numbers with the search scope that DynamoDB's vector
 *    index reads (vector-schema.ts), for a switch to SEARCH_ENGINE=dynamodb. Tombstones and drafts
 *    are left alone: they must stay out of the index. Each rewrite is conditional on the item being
 *    unchanged since it was read, so a worker write in between wins. An item that is moved and
 *    converted is written once. A deployment staying on the in-process engine runs `--move-only`.
 *
 * Walks the vector items shard by shard through the vectorsByIndexedAt index. Progress goes to
 * stdout per page; the position is saved to the checkpoint file after every page, so an
 * interrupted run resumes where it stopped. Re-running is harmless: moved items are no longer at
 * the old key and converted items no longer carry the bytes, so both are skipped.
 */
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import {
  DeleteCommand,
  type DynamoDBDocumentClient,
  QueryCommand,
  TransactWriteCommand,
  UpdateCommand,
} from "@aws-sdk/lib-dynamodb";
import {
  cancellationReasons,
  isConditionFailed,
  isTransactionCanceled,
} from "../shared/repositories/dynamo-errors.ts";
import {
  indexAttributes,
  VECTOR_SHARDS,
  vectorTombstone,
} from "../shared/repositories/dynamo-vector-repository.ts";
import {
  KEY_PREFIXES,
  keys,
  PARTITION_KEY,
  SORT_KEY,
  VECTORS_BY_INDEXED_AT,
} from "../shared/repositories/table-schema.ts";
import { VECTOR_INDEX } from "../shared/repositories/vector-schema.ts";
import { decodeVector } from "../shared/search/vector-codec.ts";

/** Where a run got to: per shard, the last evaluated key, or "done". */
export type BackfillCheckpoint = Record<string, Record<string, unknown> | "done">;

export interface BackfillOptions {
  db: DynamoDBDocumentClient;
  table: string;
  dryRun?: boolean;
  /** Also rewrite byte vectors in the vector index's form; default true (`--move-only`: false). */
  convert?: boolean;
  checkpoint?: BackfillCheckpoint;
  /** Called after every page with the position to resume from. */
  saveCheckpoint?: (checkpoint: BackfillCheckpoint) => void;
  log?: (line: string) => void;
  pageSize?: number;
  /** Stop after this many pages (tests use it to interrupt a run). */
  maxPages?: number;
  /** The time tombstones are written at. */
  now?: () => Date;
}

export interface BackfillResult {
  read: number;
  /** Items taken off the old key: moved, replaced by the worker's newer write, or tombstoned. */
  moved: number;
  converted: number;
  skipped: number;
  complete: boolean;
}

type Item = Record<string, unknown>;

/** What became of an item at the old key. */
type MoveOutcome = "moved" | "replaced" | "removed" | "changed";

const isAtOldKey = (item: Item): boolean => String(item[PARTITION_KEY]).startsWith(KEY_PREFIXES.market);

const isConvertible = (item: Item): boolean =>
  item.deleted !== true && item.status !== "draft" && item.vector instanceof Uint8Array;

export async function backfillVectorIndex(options: BackfillOptions): Promise<BackfillResult> {
  const { db, table, dryRun = false, convert = true, log = () => {} } = options;
  const now = options.now ?? (() => new Date());
  const checkpoint: BackfillCheckpoint = { ...options.checkpoint };
  const result: BackfillResult = { read: 0, moved: 0, converted: 0, skipped: 0, complete: false };
  let pages = 0;
  for (const shard of VECTOR_SHARDS) {
    const resumeAt = checkpoint[shard];
    if (resumeAt === "done") continue;
    let startKey: Record<string, unknown> | undefined = resumeAt;
    do {
      if (options.maxPages !== undefined && pages >= options.maxPages) return result;
      const page: { Items?: Item[]; LastEvaluatedKey?: Record<string, unknown> } = await db.send(
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
      let moved = 0;
      let converted = 0;
      for (const item of page.Items ?? []) {
        result.read++;
        const toIndexForm = convert && isConvertible(item);
        if (isAtOldKey(item)) {
          const outcome = dryRun ? "moved" : await move(db, table, item, toIndexForm, now());
          if (outcome === "changed") result.skipped++;
          else moved++;
          if (outcome === "moved" && toIndexForm) converted++;
        } else if (toIndexForm) {
          if (dryRun || (await convertInPlace(db, table, item))) converted++;
          else result.skipped++;
        } else {
          result.skipped++;
        }
      }
      result.moved += moved;
      result.converted += converted;
      pages++;
      startKey = page.LastEvaluatedKey;
      checkpoint[shard] = startKey ?? "done";
      if (!dryRun) options.saveCheckpoint?.(checkpoint);
      const verb = dryRun ? "to " : "";
      log(
        `${shard}: ${page.Items?.length ?? 0} read, ${moved} ${verb}move${dryRun ? "" : "d"}, ${converted} ${verb}convert${dryRun ? "" : "ed"} (total ${result.read} read, ${result.moved} moved, ${result.converted} converted)`,
      );
    } while (startKey);
  }
  result.complete = true;
  return result;
}

/** The vector attributes in the index's form: the list and the scope, without the bytes. */
function inIndexForm(item: Item): Item {
  const { vector, ...rest } = item;
  return { ...rest, ...indexAttributes(decodeVector(vector as Uint8Array)) };
}

const oldKeyOf = (item: Item) => ({ [PARTITION_KEY]: item[PARTITION_KEY], [SORT_KEY]: item[SORT_KEY] });
const ABSENT = {
  ConditionExpression: "attribute_not_exists(#pk)",
  ExpressionAttributeNames: { "#pk": PARTITION_KEY },
};

/** Takes one item off the old key, in one transaction with what replaces it. */
async function move(
  db: DynamoDBDocumentClient,
  table: string,
  item: Item,
  toIndexForm: boolean,
  now: Date,
): Promise<MoveOutcome> {
  const marketId = String(item.marketId);
  const deleteOld = {
    Delete: {
      TableName: table,
      Key: oldKeyOf(item),
      ConditionExpression: "#indexedAt = :indexedAt",
      ExpressionAttributeNames: { "#indexedAt": "indexedAt" },
      ExpressionAttributeValues: { ":indexedAt": item.indexedAt },
    },
  };
  const moved = { ...(toIndexForm ? inIndexForm(item) : item), ...keys.vector(marketId) };
  const live = item.deleted !== true;
  try {
    await db.send(
      new TransactWriteCommand({
        TransactItems: [
          { Put: { TableName: table, Item: moved, ...ABSENT } },
          deleteOld,
          // A live vector moves only beside its market; a tombstone needs no market.
          ...(live
            ? [
                {
                  ConditionCheck: {
                    TableName: table,
                    Key: keys.market(marketId),
                    ConditionExpression: "attribute_exists(#pk)",
                    ExpressionAttributeNames: { "#pk": PARTITION_KEY },
                  },
                },
              ]
            : []),
        ],
      }),
    );
    return "moved";
  } catch (error) {
    if (!isTransactionCanceled(error)) throw error;
    const [newKey, oldKey, market] = cancellationReasons(error).map((reason) => reason.Code);
    const failed = (code: string | undefined) => code === "ConditionalCheckFailed";
    // Changed since it was read (or gone): a later run sees it again.
    if (failed(oldKey)) return "changed";
    if (failed(newKey)) return (await deleteIfUnchanged(db, deleteOld.Delete)) ? "replaced" : "changed";
    if (failed(market)) {
      await db.send(
        new TransactWriteCommand({
          TransactItems: [
            { Put: { TableName: table, Item: vectorTombstone(marketId, now), ...ABSENT } },
            deleteOld,
          ],
        }),
      );
      return "removed";
    }
    throw error;
  }
}

/** The worker has written the new key: the old item is out of date. False when it changed meanwhile. */
async function deleteIfUnchanged(
  db: DynamoDBDocumentClient,
  request: ConstructorParameters<typeof DeleteCommand>[0],
): Promise<boolean> {
  try {
    await db.send(new DeleteCommand(request));
    return true;
  } catch (error) {
    if (isConditionFailed(error)) return false;
    throw error;
  }
}

/** Rewrites one item in the index form; false when a newer write got there first. */
async function convertInPlace(db: DynamoDBDocumentClient, table: string, item: Item): Promise<boolean> {
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
  const convert = !process.argv.includes("--move-only");
  const file =
    process.argv.find((arg) => arg.startsWith("--checkpoint="))?.slice(13) ?? ".vector-index-backfill.json";
  const checkpoint = existsSync(file) ? (JSON.parse(readFileSync(file, "utf8")) as BackfillCheckpoint) : {};
  if (Object.keys(checkpoint).length > 0) console.log(`resuming from ${file}`);
  const result = await backfillVectorIndex({
    db: documentClient(),
    table: config().TABLE_NAME,
    dryRun,
    convert,
    checkpoint,
    saveCheckpoint: (next) => writeFileSync(file, `${JSON.stringify(next)}\n`),
    log: (line) => console.log(line),
  });
  console.log(
    `${dryRun ? "dry run: " : ""}read ${result.read} vector items, ${dryRun ? "would move" : "moved"} ${result.moved}, ${dryRun ? "would convert" : "converted"} ${result.converted}, skipped ${result.skipped}`,
  );
}

if (process.argv[1] && import.meta.url.endsWith(process.argv[1].replace(/^.*scripts\//, "scripts/"))) {
  await main();
}
