/**
 * Migration for tables holding markets written before the current listing keys: `npx tsx
 * scripts/backfill-listing-keys.ts` with the deployed (or local) environment. Walks every market
 * through the status listing indexes and writes the keys of the creator and category indexes as the
 * market's status and category demand them: `creatorKey = CREATOR#<id>#<status>` and `creatorSort`,
 * and with a category `categoryKey = CATEGORY#<category>#<status>` and `categorySort` (markets from
 * before the per-status partitions carry `CREATOR#<id>` and `CATEGORY#<category>`, or nothing).
 * Idempotent: each write is conditioned on the keys differing and on the status and category being
 * what was read, so a market changed meanwhile keeps what its update wrote, and it can be re-run.
 */
import { UpdateCommand } from "@aws-sdk/lib-dynamodb";
import { documentClient } from "../shared/composition/clients.ts";
import { config } from "../shared/composition/environment.ts";
import type { Market } from "../shared/domain/market.ts";
import { isConditionFailed } from "../shared/repositories/dynamo-errors.ts";
import { listingKeys } from "../shared/repositories/market-item.ts";
import { keys } from "../shared/repositories/table-schema.ts";
import { eachMarketPage } from "./each-market-page.ts";

/** Apply one conditional update; false when its condition says there is nothing to do. */
async function setIfStale(input: ConstructorParameters<typeof UpdateCommand>[0]): Promise<boolean> {
  try {
    await documentClient().send(new UpdateCommand(input));
    return true;
  } catch (error) {
    if (isConditionFailed(error)) return false;
    throw error;
  }
}

async function backfill(market: Market): Promise<{ creator: boolean; category: boolean }> {
  const { creatorKey, creatorSort, categoryKey, categorySort } = listingKeys(market);
  const unchanged =
    "#status = :status AND " +
    (market.category === null
      ? "(attribute_not_exists(#category) OR attribute_type(#category, :null))"
      : "#category = :category");
  const basis = {
    ":status": market.status,
    ...(market.category === null ? { ":null": "NULL" } : { ":category": market.category }),
  };
  const names = { "#status": "status", "#category": "category" };
  const creator = await setIfStale({
    TableName: config().TABLE_NAME,
    Key: keys.market(market.id),
    UpdateExpression: "SET creatorKey = :creatorKey, creatorSort = :creatorSort",
    ConditionExpression: `attribute_exists(pk) AND ${unchanged} AND (attribute_not_exists(creatorKey) OR creatorKey <> :creatorKey)`,
    ExpressionAttributeNames: names,
    ExpressionAttributeValues: { ":creatorKey": creatorKey, ":creatorSort": creatorSort, ...basis },
  });
  const category =
    categoryKey !== undefined &&
    (await setIfStale({
      TableName: config().TABLE_NAME,
      Key: keys.market(market.id),
      UpdateExpression: "SET categoryKey = :categoryKey, categorySort = :categorySort",
      ConditionExpression: `attribute_exists(pk) AND ${unchanged} AND (attribute_not_exists(categoryKey) OR categoryKey <> :categoryKey)`,
      ExpressionAttributeNames: names,
      ExpressionAttributeValues: { ":categoryKey": categoryKey, ":categorySort": categorySort, ...basis },
    }));
  return { creator, category };
}

let creators = 0;
let categories = 0;
const seen = await eachMarketPage(
  async (markets) => {
    const results = await Promise.all(
      markets.map((market) => backfill({ ...market, category: market.category ?? null })),
    );
    creators += results.filter((result) => result.creator).length;
    categories += results.filter((result) => result.category).length;
  },
  ["id", "status", "creatorId", "category", "createdAt", "closesAt", "volume"],
);

console.log(`checked ${seen} markets, set creator keys on ${creators} and category keys on ${categories}`);
