/**
 * Writing a new market: a PutItem when that is all, or one TransactWriteItems when the market comes
 * with its creator's first position and/or the creator's profile to ensure, so all of it is written
 * or none, in one round trip. The market item is the one every market write builds (newMarketItem).
 */
import { type DynamoDBDocumentClient, PutCommand, TransactWriteCommand } from "@aws-sdk/lib-dynamodb";
import type { Market } from "../domain/market.ts";
import type { Position } from "../domain/position.ts";
import { ConflictError } from "../errors.ts";
import { cancellationReasons, isTransactionCanceled } from "./dynamo-errors.ts";
import { newMarketItem } from "./market-item.ts";
import type { NewMarketOptions } from "./market-repository.ts";
import { ensureProfileUpdate } from "./profile-item.ts";
import { keys, POSITION_SK_PREFIX } from "./table-schema.ts";
import { transact } from "./transact.ts";

export async function createMarket(
  db: DynamoDBDocumentClient,
  table: string,
  market: Market,
  options: NewMarketOptions = {},
): Promise<Position | undefined> {
  const { initialPosition, ensureProfile } = options;
  const put = {
    TableName: table,
    Item: newMarketItem(market),
    ConditionExpression: "attribute_not_exists(pk)",
  };
  if (!initialPosition && !ensureProfile) {
    // A taken id (never with ULIDs) surfaces as DynamoDB's ConditionalCheckFailedException.
    await db.send(new PutCommand(put));
    return undefined;
  }
  const position = initialPosition && {
    ...keys.position(market.id, market.creatorId),
    marketId: market.id,
    userId: market.creatorId,
    yesAmount: initialPosition.side === "yes" ? initialPosition.amount : 0,
    noAmount: initialPosition.side === "no" ? initialPosition.amount : 0,
    createdAt: market.createdAt,
    updatedAt: market.createdAt,
    userKey: `USER#${market.creatorId}`,
    userSort: `${POSITION_SK_PREFIX}${market.id}`,
  };
  const items = [
    { Put: put },
    ...(position
      ? [{ Put: { TableName: table, Item: position, ConditionExpression: "attribute_not_exists(pk)" } }]
      : []),
    ...(ensureProfile ? [{ Update: ensureProfileUpdate(table, ensureProfile, market.createdAt) }] : []),
  ];
  try {
    await transact(db, new TransactWriteCommand({ TransactItems: items }));
  } catch (error) {
    if (!isTransactionCanceled(error)) throw error;
    const [marketReason, positionReason] = cancellationReasons(error);
    if (marketReason?.Code === "ConditionalCheckFailed") throw new ConflictError("Market already exists");
    if (position && positionReason?.Code === "ConditionalCheckFailed")
      throw new ConflictError("Position already exists");
    throw error;
  }
  return (
    position && {
      marketId: market.id,
      userId: market.creatorId,
      yesAmount: position.yesAmount,
      noAmount: position.noAmount,
      updatedAt: market.createdAt,
    }
  );
}
