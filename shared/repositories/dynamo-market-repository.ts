/**
 * Markets in DynamoDB. Reads are GetItem, Query on the listing indexes, and BatchGetItem; never Scan.
 * Writes are conditional: `version` guards If-Match, and changes SET only the fields they touch, so
 * concurrent PATCHes of different fields never overwrite each other.
 */
import { DeleteCommand, type DynamoDBDocumentClient, GetCommand, UpdateCommand } from "@aws-sdk/lib-dynamodb";
import { unmarshall } from "@aws-sdk/util-dynamodb";
import type { Market, MarketChanges } from "../domain/market.ts";
import type { Page } from "../domain/page.ts";
import type { Position } from "../domain/position.ts";
import { ConflictError, NotFoundError, PreconditionFailedError } from "../errors.ts";
import { batchGet } from "./batch-get.ts";
import { isConditionFailed, oldItemOf } from "./dynamo-errors.ts";
import { createMarket } from "./market-creation.ts";
import { categoryPartition, creatorPartition, fromMarketItem, listPartition } from "./market-item.ts";
import { listMarkets } from "./market-list-query.ts";
import type {
  ChangeGuard,
  MarketListQuery,
  MarketRepository,
  NewMarketOptions,
} from "./market-repository.ts";
import { keys } from "./table-schema.ts";

export class DynamoMarketRepository implements MarketRepository {
  constructor(private readonly opts: { table: string; db: DynamoDBDocumentClient }) {}

  async get(id: string): Promise<Market | undefined> {
    const { Item } = await this.opts.db.send(
      new GetCommand({ TableName: this.opts.table, Key: keys.market(id), ConsistentRead: true }),
    );
    return Item ? (fromMarketItem(Item) as Market) : undefined;
  }

  list(query: MarketListQuery): Promise<Page<Partial<Market>>> {
    return listMarkets(this.opts.db, this.opts.table, query);
  }

  async getMany(ids: readonly string[], attributes?: readonly (keyof Market)[]) {
    const projection = attributes ? [...new Set<string>(["id", ...attributes])] : undefined;
    const items = await batchGet(this.opts.db, this.opts.table, ids.map(keys.market), projection);
    return new Map(items.map((item) => [String(item.id), fromMarketItem(item)]));
  }

  create(market: Market, options?: NewMarketOptions): Promise<Position | undefined> {
    return createMarket(this.opts.db, this.opts.table, market, options);
  }

  async update(id: string, changes: MarketChanges, guard: ChangeGuard, now: string): Promise<Market> {
    const names: Record<string, string> = { "#version": "version" };
    const values: Record<string, unknown> = { ":one": 1, ":now": now };
    const sets = ["updatedAt = :now"];
    const removes: string[] = [];
    for (const [field, value] of Object.entries(changes)) {
      names[`#${field}`] = field;
      if (value === undefined) continue;
      if (value === null && field === "category") {
        sets.push("#category = :null");
        values[":null"] = null;
      } else {
        sets.push(`#${field} = :${field}`);
        values[`:${field}`] = value;
      }
    }
    // The listing index keys follow the fields they sort or partition by. The creator keys follow the
    // status; the category keys follow the status and the category: set, the market moves to that
    // (category, status) partition (its sort value `<createdAt>#<id>` is what `createdKey` holds);
    // cleared, it leaves the sparse category indexes. What a change leaves alone is taken from the
    // basis and conditioned on below, so a concurrent change of it cannot leave the keys stale.
    const basis = guard.basis ?? { creatorId: "", status: "draft", category: null };
    if (!guard.basis && (changes.status || changes.category !== undefined))
      throw new Error("A change of status or category needs the market it was decided on (guard.basis)");
    const status = changes.status ?? basis.status;
    const category = changes.category === undefined ? basis.category : changes.category;
    const conditions = ["attribute_exists(pk)"];
    if (changes.status || changes.category !== undefined) {
      if (category) {
        sets.push("categoryKey = :categoryKey", "categorySort = createdKey");
        values[":categoryKey"] = categoryPartition(category, status);
      } else {
        removes.push("categoryKey", "categorySort");
      }
      if (!changes.status) {
        names["#status"] = "status";
        conditions.push("#status = :basisStatus");
        values[":basisStatus"] = basis.status;
      }
      if (changes.category === undefined) {
        names["#basisCategory"] = "category";
        if (basis.category) {
          conditions.push("#basisCategory = :basisCategory");
          values[":basisCategory"] = basis.category;
        } else {
          conditions.push(
            "(attribute_not_exists(#basisCategory) OR attribute_type(#basisCategory, :nullType))",
          );
          values[":nullType"] = "NULL";
        }
      }
    }
    if (changes.status) {
      sets.push("listPk = :listPk", "creatorKey = :creatorKey");
      values[":listPk"] = listPartition(changes.status);
      values[":creatorKey"] = creatorPartition(basis.creatorId, changes.status);
    }
    if (changes.closesAt) {
      sets.push("closesKey = :closesKey");
      values[":closesKey"] = `${changes.closesAt}#${id}`;
    }
    if (guard.version !== undefined) {
      conditions.push("#version = :expectedVersion");
      values[":expectedVersion"] = guard.version;
    }
    if (guard.status !== undefined) {
      names["#status"] = "status";
      conditions.push("#status = :expectedStatus");
      values[":expectedStatus"] = guard.status;
    }
    try {
      const { Attributes } = await this.opts.db.send(
        new UpdateCommand({
          TableName: this.opts.table,
          Key: keys.market(id),
          UpdateExpression: [
            `SET ${sets.join(", ")}`,
            ...(removes.length > 0 ? [`REMOVE ${removes.join(", ")}`] : []),
            "ADD #version :one",
          ].join(" "),
          ConditionExpression: conditions.join(" AND "),
          ExpressionAttributeNames: pruneUnused(names, sets, conditions),
          ExpressionAttributeValues: values,
          ReturnValues: "ALL_NEW",
          ReturnValuesOnConditionCheckFailure: "ALL_OLD",
        }),
      );
      return fromMarketItem(Attributes ?? {}) as Market;
    } catch (error) {
      if (!isConditionFailed(error)) throw error;
      throw explainFailedCondition(id, error, guard);
    }
  }

  async delete(id: string, version: number): Promise<void> {
    try {
      await this.opts.db.send(
        new DeleteCommand({
          TableName: this.opts.table,
          Key: keys.market(id),
          ConditionExpression: "attribute_exists(pk) AND #version = :version",
          ExpressionAttributeNames: { "#version": "version" },
          ExpressionAttributeValues: { ":version": version },
          ReturnValuesOnConditionCheckFailure: "ALL_OLD",
        }),
      );
    } catch (error) {
      if (!isConditionFailed(error)) throw error;
      // A version that moved under a delete means a position arrived in between: a conflict.
      throw explainFailedCondition(id, error, {});
    }
  }
}

/** Which condition failed, judged from the item as it was: gone, stale version, or moved status. */
function explainFailedCondition(id: string, error: unknown, guard: ChangeGuard): Error {
  const raw = oldItemOf(error);
  if (!raw) return new NotFoundError("Market");
  const old = unmarshall(raw as Parameters<typeof unmarshall>[0]);
  if (guard.version !== undefined && old.version !== guard.version) return new PreconditionFailedError();
  return new ConflictError(`Market ${id} was changed concurrently; read it again and retry`);
}

/** DynamoDB rejects expression attribute names that no expression uses. */
function pruneUnused(names: Record<string, string>, ...expressions: string[][]): Record<string, string> {
  const text = expressions.flat().join(" ");
  return Object.fromEntries(
    Object.entries(names).filter(([name]) => name === "#version" || text.includes(name)),
  );
}
