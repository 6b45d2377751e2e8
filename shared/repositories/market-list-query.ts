/**
 * The market list: keyset pagination over the listing indexes. Each status is one index partition;
 * a list over several statuses queries them in parallel and merges by sort value. The cursor is the
 * last returned sort value, so walking it returns every market exactly once even while others are
 * inserted. Nothing is filtered here, so each partition reads just one more item than the page needs.
 * A list by creator or by category is a key condition on its own sparse index instead
 * (market-list-by-partition.ts).
 */
import { type DynamoDBDocumentClient, NumberValue, QueryCommand } from "@aws-sdk/lib-dynamodb";
import type { Market } from "../domain/market.ts";
import type { Page } from "../domain/page.ts";
import { encodeCursor } from "./cursor.ts";
import { listPartition } from "./market-item.ts";
import { listMarketsByPartition, secondaryPartitionOf } from "./market-list-by-partition.ts";
import { cursorKeyOf, orderingOf, precedes, project, SORT_SOURCE, sortKeyOf } from "./market-list-order.ts";
import type { MarketListQuery, MarketSort } from "./market-repository.ts";
import {
  type IndexDefinition,
  MARKETS_BY_CLOSES,
  MARKETS_BY_CREATED,
  MARKETS_BY_VOLUME,
} from "./table-schema.ts";

const INDEX_FOR: Record<MarketSort, IndexDefinition> = {
  createdAt: MARKETS_BY_CREATED,
  volume: MARKETS_BY_VOLUME,
  closesAt: MARKETS_BY_CLOSES,
};
interface Scanned {
  items: { key: string; item: Record<string, unknown> }[];
  /** Sort value of the last item read, when the partition has more; undefined when exhausted. */
  watermark?: string;
}

export async function listMarkets(
  db: DynamoDBDocumentClient,
  table: string,
  query: MarketListQuery,
): Promise<Page<Partial<Market>>> {
  const secondary = secondaryPartitionOf(query);
  if (secondary) return listMarketsByPartition(db, table, query, secondary);
  const ordering = orderingOf(query);
  const after = cursorKeyOf(query);
  const wanted = (query.offset ?? 0) + query.limit;
  const partitions = await Promise.all(
    query.statuses.map((status) => scanPartition(db, table, query, listPartition(status), wanted, after)),
  );

  const before = precedes(query);
  // Only items up to the lowest watermark are certain to be in order across partitions.
  const limits = partitions.flatMap((p) => (p.watermark === undefined ? [] : [p.watermark]));
  const horizon = limits.reduce<string | undefined>(
    (low, key) => (low === undefined || before(key, low) ? key : low),
    undefined,
  );
  const merged = partitions
    .flatMap((p) => p.items)
    .filter(({ key }) => horizon === undefined || !before(horizon, key))
    .sort((a, b) => (before(a.key, b.key) ? -1 : before(b.key, a.key) ? 1 : 0));

  const page = merged.slice(query.offset ?? 0, wanted);
  // A partition with more has read over `wanted` items up to its watermark, so below the horizon
  // there are always more than `wanted`: a page that is not the last is full, its last key the cursor.
  const more = merged.length > wanted || horizon !== undefined;
  const lastKey = page.at(-1)?.key;
  return {
    items: page.map(({ item }) => project(item, query.attributes)),
    nextCursor: more && lastKey !== undefined ? encodeCursor(ordering, lastKey) : null,
  };
}

async function scanPartition(
  db: DynamoDBDocumentClient,
  table: string,
  query: MarketListQuery,
  partition: string,
  wanted: number,
  after: string | undefined,
): Promise<Scanned> {
  const index = INDEX_FOR[query.sort];
  const names: Record<string, string> = { "#pk": index.partitionKey };
  const values: Record<string, unknown> = { ":pk": partition };
  let condition = "#pk = :pk";
  if (after !== undefined) {
    names["#sk"] = index.sortKey;
    values[":after"] = index.sortKeyType === "N" ? NumberValue.from(after) : after;
    condition += query.order === "asc" ? " AND #sk > :after" : " AND #sk < :after";
  }
  const projection = projectionFor(query);
  projection?.forEach((name, i) => {
    names[`#a${i}`] = name;
  });

  const scanned: Scanned = { items: [] };
  let startKey: Record<string, unknown> | undefined;
  // A page stops short of its Limit only at 1 MB, so this loop rarely takes a second round trip.
  do {
    const result = await db.send(
      new QueryCommand({
        TableName: table,
        IndexName: index.name,
        KeyConditionExpression: condition,
        ExpressionAttributeNames: names,
        ExpressionAttributeValues: values,
        ...(projection ? { ProjectionExpression: projection.map((_, i) => `#a${i}`).join(",") } : {}),
        ScanIndexForward: query.order === "asc",
        // One extra item tells whether there is a next page without another round trip.
        Limit: wanted + 1 - scanned.items.length,
        ExclusiveStartKey: startKey,
      }),
    );
    for (const item of result.Items ?? []) scanned.items.push({ key: sortKeyOf(query.sort, item), item });
    startKey = result.LastEvaluatedKey;
    scanned.watermark = startKey ? scanned.items.at(-1)?.key : undefined;
  } while (startKey && scanned.items.length <= wanted);
  return scanned;
}

/** The attributes to read: those asked for, plus what sorting needs. */
function projectionFor(query: MarketListQuery): string[] | undefined {
  if (!query.attributes) return undefined;
  return [...new Set<string>(["id", SORT_SOURCE[query.sort], ...query.attributes])];
}
