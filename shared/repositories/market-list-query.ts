/**
 * The market list: keyset pagination over the listing indexes. Each status is one index partition;
 * a list over several statuses queries them in parallel and merges by sort value. The cursor is the
 * last returned sort value, so walking it returns every market exactly once even while others are
 * inserted. The category filter is applied to what a bounded number of pages read; when it rejects
 * a lot, a page may come back short with a cursor to continue, rather than reading without limit.
 * A list by creator is a key condition on its own index instead (market-list-by-creator.ts).
 */
import { type DynamoDBDocumentClient, NumberValue, QueryCommand } from "@aws-sdk/lib-dynamodb";
import type { Market } from "../domain/market.ts";
import type { Page } from "../domain/page.ts";
import { encodeCursor } from "./cursor.ts";
import { listPartition } from "./market-item.ts";
import { listMarketsByCreator } from "./market-list-by-creator.ts";
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
/**
 * Read budget per status partition and request. Unfiltered pages stop as soon as they have enough;
 * category-filtered ones read large pages so that pages come back full at any realistic
 * selectivity, and stop after about ten thousand markets per partition with a cursor to continue
 * (see docs/table-design.md).
 */
const MAX_PAGES_PER_PARTITION = 10;
const FILTERED_PAGE_SIZE = 1000;

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
  if (query.creatorId !== undefined)
    return listMarketsByCreator(db, table, { ...query, creatorId: query.creatorId });
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
  const more = merged.length > wanted || horizon !== undefined;
  // Resume after the last item consumed: the page's, else the last one offset skipped (an offset
  // may use up all a filtered, bounded read found), else the horizon (the read matched nothing).
  const lastKey = page.at(-1)?.key ?? merged.at(-1)?.key ?? horizon;
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
  for (let page = 0; page < MAX_PAGES_PER_PARTITION; page++) {
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
        Limit: query.category !== undefined ? FILTERED_PAGE_SIZE : wanted + 1 - scanned.items.length,
        ExclusiveStartKey: startKey,
      }),
    );
    let lastKey: string | undefined;
    for (const item of result.Items ?? []) {
      lastKey = sortKeyOf(query.sort, item);
      if (matches(item, query)) scanned.items.push({ key: lastKey, item });
    }
    startKey = result.LastEvaluatedKey;
    if (!startKey) return scanned;
    scanned.watermark = lastKey;
    if (scanned.items.length > wanted) return scanned;
  }
  return scanned;
}

const matches = (item: Record<string, unknown>, query: MarketListQuery): boolean =>
  query.category === undefined || item.category === query.category;

/** The attributes to read: those asked for, plus what sorting and filtering need. */
function projectionFor(query: MarketListQuery): string[] | undefined {
  if (!query.attributes) return undefined;
  const needed = new Set<string>(["id", SORT_SOURCE[query.sort], ...query.attributes]);
  if (query.category !== undefined) needed.add("category");
  return [...needed];
}
