/**
 * One-off migration for tables that hold markets written before the `marketsByCreator` index:
 * `npx tsx scripts/backfill-creator-keys.ts` with the deployed (or local) environment. Walks every
 * market through the status listing indexes and sets `creatorKey`/`creatorSort` where they are
 * missing. Idempotent: the condition skips markets that already have them, so it can be re-run.
 */
import { UpdateCommand } from "@aws-sdk/lib-dynamodb";
import { config } from "../shared/config.ts";
import { documentClient, marketRepository } from "../shared/container.ts";
import { MARKET_STATUSES, type Market } from "../shared/domain/market.ts";
import { isConditionFailed } from "../shared/repositories/dynamo-errors.ts";
import { listingKeys } from "../shared/repositories/market-item.ts";
import { keys } from "../shared/repositories/table-schema.ts";

const PAGE_SIZE = 100;

let seen = 0;
let updated = 0;
let cursor: string | undefined;
do {
  const page = await marketRepository().list({
    statuses: MARKET_STATUSES,
    sort: "createdAt",
    order: "asc",
    limit: PAGE_SIZE,
    cursor,
    attributes: ["id", "status", "creatorId", "createdAt", "closesAt", "volume"],
  });
  const results = await Promise.all(
    (page.items as Market[]).map(async (market) => {
      const { creatorKey, creatorSort } = listingKeys(market);
      try {
        await documentClient().send(
          new UpdateCommand({
            TableName: config().TABLE_NAME,
            Key: keys.market(market.id),
            UpdateExpression: "SET creatorKey = :creatorKey, creatorSort = :creatorSort",
            ConditionExpression: "attribute_exists(pk) AND attribute_not_exists(creatorKey)",
            ExpressionAttributeValues: { ":creatorKey": creatorKey, ":creatorSort": creatorSort },
          }),
        );
        return true;
      } catch (error) {
        if (isConditionFailed(error)) return false;
        throw error;
      }
    }),
  );
  seen += results.length;
  updated += results.filter(Boolean).length;
  cursor = page.nextCursor ?? undefined;
} while (cursor);

console.log(`checked ${seen} markets, set creator keys on ${updated}`);
