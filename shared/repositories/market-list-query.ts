/**
 * The market list: keyset pagination over the listing indexes. Every list reads one partition per
 * status it asks for: the status's partition (`STATUS#<status>`), or with `creatorId` the creator's
 * (`CREATOR#<id>#<status>`), or with only `category` the category's (`CATEGORY#<name>#<status>`), each
 * on the index sorted the way the list is. A list over several statuses queries them in parallel and
 * merges by sort value. The cursor is the last returned sort value, so walking it returns every
 * market exactly once even while others are inserted. Only `creatorId` with `category` filters
 * (the category, within the creator's partitions); otherwise each partition reads just one more item
 * than the page needs, whatever the size of the partition.
 */
import { type DynamoDBDocumentClient, NumberValue, QueryCommand } from "@aws-sdk/lib-dynamodb";
import type { Market } from "../domain/market.ts";
import type { Page } from "../domain/page.ts";
import { encodeCursor } from "./cursor.ts";
import { categoryPartition, creatorPartition, listPartition } from "./market-item.ts";
import { cursorKeyOf, orderingOf, precedes, project, SORT_SOURCE, sortKeyOf } from "./market-list-order.ts";
import type { MarketListQuery, MarketSort } from "./market-repository.ts";
import {
  type IndexDefinition,
  MARKETS_BY_CATEGORY,
  MARKETS_BY_CATEGORY_CLOSES,
  MARKETS_BY_CATEGORY_VOLUME,
  MARKETS_BY_CLOSES,
  MARKETS_BY_CREATED,
  MARKETS_BY_CREATOR,
  MARKETS_BY_CREATOR_CLOSES,
  MARKETS_BY_CREATOR_VOLUME,
  MARKETS_BY_VOLUME,
} from "./table-schema.ts";

type IndexFamily = Record<MarketSort, IndexDefinition>;
const BY_STATUS: IndexFamily = {
  createdAt: MARKETS_BY_CREATED,
  volume: MARKETS_BY_VOLUME,
  closesAt: MARKETS_BY_CLOSES,
};
const BY_CREATOR: IndexFamily = {
  createdAt: MARKETS_BY_CREATOR,
  volume: MARKETS_BY_CREATOR_VOLUME,
  closesAt: MARKETS_BY_CREATOR_CLOSES,
};
const BY_CATEGORY: IndexFamily = {
  createdAt: MARKETS_BY_CATEGORY,
  volume: MARKETS_BY_CATEGORY_VOLUME,
  closesAt: MARKETS_BY_CATEGORY_CLOSES,
};

/** What a list reads: one partition per status on the index of its sort, maybe filtered by category. */
interface ListSource {
  index: IndexDefinition;
  partitions: string[];
  category?: string;
}

/**
 * The creator's partitions when `creatorId` is given (with `category` too, the category is filtered
 * in them: a creator has few markets per category compared with a whole category), else the
 * category's, else the statuses'.
 */
export function sourceOf(query: MarketListQuery): ListSource {
  const { creatorId, category, statuses, sort } = query;
  if (creatorId !== undefined)
    return {
      index: BY_CREATOR[sort],
      partitions: statuses.map((status) => creatorPartition(creatorId, status)),
      category,
    };
  if (category !== undefined)
    return {
      index: BY_CATEGORY[sort],
      partitions: statuses.map((status) => categoryPartition(category, status)),
    };
  return { index: BY_STATUS[sort], partitions: statuses.map(listPartition) };
}

interface PartitionRead {
  items: { key: string; item: Record<string, unknown> }[];
  /** Sort value of the last item read, when the partition has more; undefined when exhausted. */
  watermark?: string;
}

export async function listMarkets(
  db: DynamoDBDocumentClient,
  table: string,
  query: MarketListQuery,
): Promise<Page<Partial<Market>>> {
  const source = sourceOf(query);
  const ordering = orderingOf(query);
  const after = cursorKeyOf(query);
  const wanted = (query.offset ?? 0) + query.limit;
  const partitions = await Promise.all(
    source.partitions.map((partition) => readPartition(db, table, query, source, partition, wanted, after)),
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

async function readPartition(
  db: DynamoDBDocumentClient,
  table: string,
  query: MarketListQuery,
  source: ListSource,
  partition: string,
  wanted: number,
  after: string | undefined,
): Promise<PartitionRead> {
  const { index } = source;
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
  if (source.category !== undefined) {
    names["#category"] = "category";
    values[":category"] = source.category;
  }

  const scanned: PartitionRead = { items: [] };
  let startKey: Record<string, unknown> | undefined;
  // A page stops short of its Limit only at 1 MB (or, filtering a creator's partition by category,
  // when markets of other categories took its places), so this loop rarely takes a second round trip.
  do {
    const result = await db.send(
      new QueryCommand({
        TableName: table,
        IndexName: index.name,
        KeyConditionExpression: condition,
        ExpressionAttributeNames: names,
        ExpressionAttributeValues: values,
        ...(projection ? { ProjectionExpression: projection.map((_, i) => `#a${i}`).join(",") } : {}),
        ...(source.category !== undefined ? { FilterExpression: "#category = :category" } : {}),
        ScanIndexForward: query.order === "asc",
        // One extra item tells whether there is a next page without another round trip. A filtered
        // read evaluates a few times more, as other categories take some of the places.
        Limit: (wanted + 1 - scanned.items.length) * (source.category === undefined ? 1 : 4),
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
