/**
 * A list from one secondary partition: a creator's markets (`creatorId=`, and a user's own drafts) on
 * the sparse `marketsByCreator` index, or a category's markets (`category=`) on the sparse
 * `marketsByCategory` index. One key condition reads that partition's markets and nobody else's. A
 * partition is read whole (up to a generous cap), filtered by status (and by category when listing a
 * creator), sorted by the requested sort value and paged with the same cursors as the
 * status-partition lists: a cursor is the last returned sort value, tagged with its ordering, and the
 * next page starts strictly after it.
 */
import { type DynamoDBDocumentClient, QueryCommand } from "@aws-sdk/lib-dynamodb";
import type { Market } from "../domain/market.ts";
import type { Page } from "../domain/page.ts";
import { encodeCursor } from "./cursor.ts";
import { categoryPartition, creatorPartition } from "./market-item.ts";
import { cursorKeyOf, orderingOf, precedes, project, SORT_SOURCE, sortKeyOf } from "./market-list-order.ts";
import type { MarketListQuery } from "./market-repository.ts";
import { type IndexDefinition, MARKETS_BY_CATEGORY, MARKETS_BY_CREATOR } from "./table-schema.ts";

/**
 * Pages of up to 1 MB each: with the projection, tens of thousands of one partition's markets. The
 * index is read newest first, so a partition beyond the cap is listed from its newest markets.
 */
const MAX_PAGES = 10;

/** The secondary partition a query reads: its index and partition key value. */
export interface SecondaryPartition {
  index: IndexDefinition;
  key: string;
}

/**
 * The partition that serves a query, if any: the creator's when `creatorId` is given (category is
 * then filtered in memory), else the category's when `category` is given, else none (the status
 * partitions serve it).
 */
export function secondaryPartitionOf(query: MarketListQuery): SecondaryPartition | undefined {
  if (query.creatorId !== undefined)
    return { index: MARKETS_BY_CREATOR, key: creatorPartition(query.creatorId) };
  if (query.category !== undefined)
    return { index: MARKETS_BY_CATEGORY, key: categoryPartition(query.category) };
  return undefined;
}

export async function listMarketsByPartition(
  db: DynamoDBDocumentClient,
  table: string,
  query: MarketListQuery,
  partition: SecondaryPartition,
): Promise<Page<Partial<Market>>> {
  const after = cursorKeyOf(query);
  const before = precedes(query);
  const statuses = new Set<unknown>(query.statuses);
  const found: { key: string; item: Record<string, unknown> }[] = [];
  for (const item of await readPartition(db, table, query, partition)) {
    if (!statuses.has(item.status)) continue;
    if (query.category !== undefined && item.category !== query.category) continue;
    const key = sortKeyOf(query.sort, item);
    if (after === undefined || before(after, key)) found.push({ key, item });
  }
  found.sort((a, b) => (before(a.key, b.key) ? -1 : before(b.key, a.key) ? 1 : 0));

  const offset = query.offset ?? 0;
  const wanted = offset + query.limit;
  const page = found.slice(offset, wanted);
  const lastKey = page.at(-1)?.key;
  return {
    items: page.map(({ item }) => project(item, query.attributes)),
    nextCursor:
      found.length > wanted && lastKey !== undefined ? encodeCursor(orderingOf(query), lastKey) : null,
  };
}

/** The partition's markets, reading only what the list needs: id, status, category, sort source, fields. */
async function readPartition(
  db: DynamoDBDocumentClient,
  table: string,
  query: MarketListQuery,
  partition: SecondaryPartition,
): Promise<Record<string, unknown>[]> {
  const names: Record<string, string> = { "#pk": partition.index.partitionKey };
  const projection = query.attributes
    ? [...new Set<string>(["id", "status", "category", SORT_SOURCE[query.sort], ...query.attributes])]
    : undefined;
  projection?.forEach((name, i) => {
    names[`#a${i}`] = name;
  });
  const items: Record<string, unknown>[] = [];
  let startKey: Record<string, unknown> | undefined;
  for (let page = 0; page < MAX_PAGES; page++) {
    const result = await db.send(
      new QueryCommand({
        TableName: table,
        IndexName: partition.index.name,
        KeyConditionExpression: "#pk = :pk",
        ExpressionAttributeNames: names,
        ExpressionAttributeValues: { ":pk": partition.key },
        ...(projection ? { ProjectionExpression: projection.map((_, i) => `#a${i}`).join(",") } : {}),
        ScanIndexForward: false,
        ExclusiveStartKey: startKey,
      }),
    );
    items.push(...(result.Items ?? []));
    startKey = result.LastEvaluatedKey;
    if (!startKey) break;
  }
  return items;
}
