/**
 * One-off migration for tables that hold markets written before the sparse `marketsByCreator` and
 * `marketsByCategory` indexes: `npx tsx scripts/backfill-listing-keys.ts` with the deployed (or local)
 * environment. Walks every market through the status listing indexes and sets
 * `creatorKey`/`creatorSort` where they are missing, and `categoryKey`/`categorySort` where a market
 * has a category but not its keys. Idempotent: the conditions skip markets that already have them
 * (and a market whose category changed meanwhile, since that update wrote or removed its keys), so
 * it can be re-run.
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
async function setIfMissing(input: ConstructorParameters<typeof UpdateCommand>[0]): Promise<boolean> {
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
  const creator = await setIfMissing({
    TableName: config().TABLE_NAME,
    Key: keys.market(market.id),
    UpdateExpression: "SET creatorKey = :creatorKey, creatorSort = :creatorSort",
    ConditionExpression: "attribute_exists(pk) AND attribute_not_exists(creatorKey)",
    ExpressionAttributeValues: { ":creatorKey": creatorKey, ":creatorSort": creatorSort },
  });
  const category =
    market.category !== null &&
    (await setIfMissing({
      TableName: config().TABLE_NAME,
      Key: keys.market(market.id),
      UpdateExpression: "SET categoryKey = :categoryKey, categorySort = :categorySort",
      ConditionExpression:
        "attribute_exists(pk) AND attribute_not_exists(categoryKey) AND #category = :category",
      ExpressionAttributeNames: { "#category": "category" },
      ExpressionAttributeValues: {
        ":categoryKey": categoryKey,
        ":categorySort": categorySort,
        ":category": market.category,
      },
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
