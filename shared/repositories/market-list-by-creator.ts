/**
 * A creator's markets (`creatorId=`, and a user's own drafts): one key condition on the sparse
 * `marketsByCreator` index reads that creator's markets and nobody else's. A creator has few markets,
 * so the partition is read whole (up to a generous cap), filtered by status and category, sorted by
 * the requested sort value and paged with the same cursors as the status-partition lists: a cursor is
 * the last returned sort value, tagged with its ordering, and the next page starts strictly after it.
 */
import { type DynamoDBDocumentClient, QueryCommand } from "@aws-sdk/lib-dynamodb";
import type { Market } from "../domain/market.ts";
import type { Page } from "../domain/page.ts";
import { encodeCursor } from "./cursor.ts";
import { creatorPartition } from "./market-item.ts";
import { cursorKeyOf, orderingOf, precedes, project, SORT_SOURCE, sortKeyOf } from "./market-list-order.ts";
import type { MarketListQuery } from "./market-repository.ts";
import { MARKETS_BY_CREATOR } from "./table-schema.ts";

/**
 * Pages of up to 1 MB each: with the projection, tens of thousands of one creator's markets. The
 * index is read newest first, so a creator beyond the cap is listed from their newest markets.
 */
const MAX_PAGES = 10;

export async function listMarketsByCreator(
  db: DynamoDBDocumentClient,
  table: string,
  query: MarketListQuery & { creatorId: string },
): Promise<Page<Partial<Market>>> {
  const after = cursorKeyOf(query);
  const before = precedes(query);
  const statuses = new Set<unknown>(query.statuses);
  const found: { key: string; item: Record<string, unknown> }[] = [];
  for (const item of await readCreator(db, table, query)) {
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

/** The creator's markets, reading only what the list needs: id, status, category, sort source, fields. */
async function readCreator(
  db: DynamoDBDocumentClient,
  table: string,
  query: MarketListQuery & { creatorId: string },
): Promise<Record<string, unknown>[]> {
  const names: Record<string, string> = { "#pk": MARKETS_BY_CREATOR.partitionKey };
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
        IndexName: MARKETS_BY_CREATOR.name,
        KeyConditionExpression: "#pk = :pk",
        ExpressionAttributeNames: names,
        ExpressionAttributeValues: { ":pk": creatorPartition(query.creatorId) },
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
