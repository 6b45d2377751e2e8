/**
 * Positions in DynamoDB, stored under their market (`MARKET#id / POSITION#user`) and indexed by user.
 * Opening a position is one TransactWriteItems with the market's volume update, conditioned on the
 * market being open (and, for a user's first write, the profile ensured in it); conflicts with
 * concurrent transactions are retried with backoff and jitter. The receipt is one BatchGetItem.
 */
import {
  BatchGetCommand,
  type DynamoDBDocumentClient,
  NumberValue,
  QueryCommand,
  TransactWriteCommand,
} from "@aws-sdk/lib-dynamodb";
import { isUserId, RESOURCE_ID_PATTERN } from "../domain/identifiers.ts";
import type { Market } from "../domain/market.ts";
import type { Page } from "../domain/page.ts";
import type { Position, PositionReceipt } from "../domain/position.ts";
import { ConflictError, MarketNotActiveError, NotFoundError } from "../errors.ts";
import { retry } from "../util/retry.ts";
import { decodeCursor, encodeCursor } from "./cursor.ts";
import { cancellationReasons, isTransactionCanceled } from "./dynamo-errors.ts";
import type { OpenPosition, PositionRepository } from "./position-repository.ts";
import { ensureProfileUpdate } from "./profile-item.ts";
import { keys, POSITION_SK_PREFIX, POSITIONS_BY_USER } from "./table-schema.ts";
import { transact } from "./transact.ts";

// A market's positions resume after a user id (a token's `sub`), a user's after a market id. Each
// becomes part of an ExclusiveStartKey, so it must be what the verifier or the id schema accepts:
// anything else could name another item, or be refused by DynamoDB (a 500).

export class DynamoPositionRepository implements PositionRepository {
  constructor(private readonly opts: { table: string; db: DynamoDBDocumentClient }) {}

  async open(input: OpenPosition): Promise<PositionReceipt> {
    const { marketId, userId, side, amount, now } = input;
    const sideVolume = side === "yes" ? "yesVolume" : "noVolume";
    const [sideAmount, otherAmount] = side === "yes" ? ["yesAmount", "noAmount"] : ["noAmount", "yesAmount"];
    const command = new TransactWriteCommand({
      TransactItems: [
        {
          Update: {
            TableName: this.opts.table,
            Key: keys.market(marketId),
            ConditionExpression: "attribute_exists(pk) AND #status = :active AND closesAt > :now",
            UpdateExpression:
              "ADD volume :amount, #sideVolume :amount, volumeKey :cents, version :one SET updatedAt = :now",
            ExpressionAttributeNames: { "#status": "status", "#sideVolume": sideVolume },
            ExpressionAttributeValues: {
              ":active": "active",
              ":now": now,
              ":amount": amount,
              ":cents": NumberValue.from(String(Math.round(amount * 100))),
              ":one": 1,
            },
            ReturnValuesOnConditionCheckFailure: "ALL_OLD",
          },
        },
        {
          Update: {
            TableName: this.opts.table,
            Key: keys.position(marketId, userId),
            UpdateExpression:
              "SET marketId = :marketId, userId = :userId, userKey = :userKey, userSort = :userSort, " +
              "createdAt = if_not_exists(createdAt, :now), updatedAt = :now, " +
              "#other = if_not_exists(#other, :zero) ADD #side :amount",
            ExpressionAttributeNames: { "#side": sideAmount, "#other": otherAmount },
            ExpressionAttributeValues: {
              ":marketId": marketId,
              ":userId": userId,
              ...userIndexKeys(userId, marketId),
              ":now": now,
              ":zero": 0,
              ":amount": amount,
            },
          },
        },
        ...(input.ensureProfile
          ? [{ Update: ensureProfileUpdate(this.opts.table, input.ensureProfile, now) }]
          : []),
      ],
    });
    await this.transact(command, marketId);
    return this.receipt(marketId, userId);
  }

  async listForMarket(marketId: string, limit: number, cursor?: string): Promise<Page<Position>> {
    const after = cursor === undefined ? undefined : decodeCursor(cursor, "market-positions", isUserId);
    return this.page(
      {
        KeyConditionExpression: "pk = :pk AND begins_with(sk, :prefix)",
        ExpressionAttributeValues: { ":pk": keys.market(marketId).pk, ":prefix": POSITION_SK_PREFIX },
        ExclusiveStartKey: after === undefined ? undefined : keys.position(marketId, after),
      },
      limit,
      "market-positions",
      (position) => position.userId,
    );
  }

  async listForUser(userId: string, limit: number, cursor?: string): Promise<Page<Position>> {
    const after =
      cursor === undefined ? undefined : decodeCursor(cursor, "user-positions", RESOURCE_ID_PATTERN);
    return this.page(
      {
        IndexName: POSITIONS_BY_USER.name,
        KeyConditionExpression: "userKey = :userKey",
        ExpressionAttributeValues: { ":userKey": `USER#${userId}` },
        ExclusiveStartKey:
          after === undefined
            ? undefined
            : {
                ...keys.position(after, userId),
                userKey: `USER#${userId}`,
                userSort: `${POSITION_SK_PREFIX}${after}`,
              },
      },
      limit,
      "user-positions",
      (position) => position.marketId,
    );
  }

  async hasAny(marketId: string): Promise<boolean> {
    const { Items } = await this.opts.db.send(
      new QueryCommand({
        TableName: this.opts.table,
        KeyConditionExpression: "pk = :pk AND begins_with(sk, :prefix)",
        ExpressionAttributeValues: { ":pk": keys.market(marketId).pk, ":prefix": POSITION_SK_PREFIX },
        ProjectionExpression: "pk",
        Limit: 1,
        ConsistentRead: true,
      }),
    );
    return (Items?.length ?? 0) > 0;
  }

  private async page(
    input: Pick<
      QueryCommand["input"],
      "IndexName" | "KeyConditionExpression" | "ExpressionAttributeValues" | "ExclusiveStartKey"
    >,
    limit: number,
    ordering: string,
    cursorOf: (position: Position) => string,
  ): Promise<Page<Position>> {
    const { Items = [] } = await this.opts.db.send(
      new QueryCommand({ TableName: this.opts.table, ...input, Limit: limit + 1 }),
    );
    const items = Items.slice(0, limit).map(toPosition);
    const last = items.at(-1);
    return {
      items,
      nextCursor: Items.length > limit && last ? encodeCursor(ordering, cursorOf(last)) : null,
    };
  }

  /** Run the position's transaction; map a failed market condition to the domain error. */
  private async transact(command: TransactWriteCommand, marketId: string): Promise<void> {
    try {
      await transact(this.opts.db, command);
    } catch (error) {
      if (!isTransactionCanceled(error)) throw error;
      const [marketReason, positionReason] = cancellationReasons(error);
      if (marketReason?.Code === "ConditionalCheckFailed") {
        throw marketReason.Item ? new MarketNotActiveError(marketId) : new NotFoundError("Market");
      }
      if (positionReason?.Code === "ConditionalCheckFailed")
        throw new ConflictError("Position already exists");
      throw error;
    }
  }

  /** The market's new totals and the position, strongly consistent, in one BatchGetItem. */
  private async receipt(marketId: string, userId: string): Promise<PositionReceipt> {
    const wanted = [keys.market(marketId), keys.position(marketId, userId)];
    const items: Record<string, unknown>[] = [];
    let pending: Record<string, string>[] = wanted;
    await retry(
      async () => {
        const result = await this.opts.db.send(
          new BatchGetCommand({
            RequestItems: { [this.opts.table]: { Keys: pending, ConsistentRead: true } },
          }),
        );
        items.push(...(result.Responses?.[this.opts.table] ?? []));
        pending = (result.UnprocessedKeys?.[this.opts.table]?.Keys as Record<string, string>[]) ?? [];
        if (pending.length > 0) throw new UnprocessedKeysLeft();
      },
      {
        maxAttempts: 8,
        baseDelayMs: 20,
        maxDelayMs: 500,
        retryable: (e) => e instanceof UnprocessedKeysLeft,
      },
    );
    const m = (items.find((item) => item.sk === "MARKET") ?? {}) as Partial<Market>;
    const position = items.find((item) => item.sk !== "MARKET") ?? {};
    return {
      ...toPosition(position),
      market: {
        id: marketId,
        volume: Number(m.volume ?? 0),
        yesVolume: Number(m.yesVolume ?? 0),
        noVolume: Number(m.noVolume ?? 0),
        version: Number(m.version ?? 0),
      },
    };
  }
}

class UnprocessedKeysLeft extends Error {}

function userIndexKeys(userId: string, marketId: string) {
  return { ":userKey": `USER#${userId}`, ":userSort": `${POSITION_SK_PREFIX}${marketId}` };
}

function toPosition(item: Record<string, unknown>): Position {
  return {
    marketId: String(item.marketId),
    userId: String(item.userId),
    yesAmount: Number(item.yesAmount ?? 0),
    noAmount: Number(item.noAmount ?? 0),
    updatedAt: String(item.updatedAt),
  };
}
