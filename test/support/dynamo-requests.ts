/**
 * DynamoDB requests as IAM authorises them. One wire call can be several authorisations: a
 * TransactWriteItems element is authorised as its own PutItem/UpdateItem/DeleteItem/
 * ConditionCheckItem, a TransactGetItems element as a GetItem, and a BatchGetItem once per table
 * with every key of that table. Each carries the condition keys DynamoDB puts in the request
 * context: `dynamodb:LeadingKeys` (the partition-key values), `dynamodb:Attributes`,
 * `dynamodb:Select` and `dynamodb:ReturnValues`.
 */
import { INDEXES, PARTITION_KEY } from "../../shared/repositories/table-schema.ts";

/** Stands for "every attribute of the item": a read without a projection. No attribute list allows it. */
export const ALL_ATTRIBUTES = "*every attribute*";

export interface AuthorisedRequest {
  /** The wire operation (`TransactWriteItems`), for messages. */
  readonly operation: string;
  /** The IAM action (`dynamodb:UpdateItem`). */
  readonly action: string;
  readonly table: string;
  readonly index?: string;
  /** Partition-key values (the table's `pk`; for an index Query, the index's partition value). */
  readonly leadingKeys: readonly string[];
  /** Top-level attribute names the request reads or writes. */
  readonly attributes?: readonly string[];
  readonly select?: string;
  readonly returnValues?: string;
}

type AttributeValue = { S?: string; N?: string } & Record<string, unknown>;
type Item = Record<string, AttributeValue>;
type Names = Record<string, string> | undefined;

const partitionValue = (key: Item | undefined): string[] => {
  const value = key?.[PARTITION_KEY];
  return value?.S !== undefined ? [value.S] : value?.N !== undefined ? [value.N] : [];
};

/** `#n.a[0]` → the top-level name `n` stands for. */
const topLevel = (path: string, names: Names): string => {
  const first = (path.trim().split(/[.[]/)[0] ?? "").trim();
  return first.startsWith("#") ? (names?.[first] ?? first) : first;
};

/** Split on commas outside parentheses. */
const splitTop = (text: string): string[] => {
  const parts: string[] = [];
  let depth = 0;
  let current = "";
  for (const char of text) {
    if (char === "(") depth++;
    if (char === ")") depth--;
    if (char === "," && depth === 0) {
      parts.push(current);
      current = "";
    } else current += char;
  }
  if (current.trim()) parts.push(current);
  return parts;
};

const projected = (expression: unknown, names: Names): string[] | undefined =>
  typeof expression === "string" ? splitTop(expression).map((path) => topLevel(path, names)) : undefined;

/** The attributes an UpdateExpression writes: the targets of SET, REMOVE, ADD and DELETE. */
export function updatedAttributes(expression: string, names: Names): string[] {
  const clauses = expression.split(/\b(SET|REMOVE|ADD|DELETE)\b/i).slice(1);
  const targets: string[] = [];
  for (let i = 0; i < clauses.length; i += 2) {
    const kind = (clauses[i] as string).toUpperCase();
    for (const action of splitTop(clauses[i + 1] ?? "")) {
      const target =
        kind === "SET" ? (action.split("=")[0] as string) : (action.trim().split(/\s+/)[0] as string);
      targets.push(topLevel(target, names));
    }
  }
  return targets;
}

const keyNames = (key: Item | undefined) => Object.keys(key ?? {});
const unique = (values: readonly string[]) => [...new Set(values)].sort();

function readAttributes(input: Record<string, unknown>, key: Item | undefined): string[] {
  const names = input.ExpressionAttributeNames as Names;
  const projection = projected(input.ProjectionExpression, names);
  return projection ? unique([...keyNames(key), ...projection]) : [ALL_ATTRIBUTES];
}

function write(operation: string, action: string, input: Record<string, unknown>): AuthorisedRequest {
  const names = input.ExpressionAttributeNames as Names;
  const key = (input.Key ?? input.Item) as Item | undefined;
  const written =
    action === "dynamodb:PutItem"
      ? keyNames(input.Item as Item)
      : action === "dynamodb:UpdateItem"
        ? [...keyNames(key), ...updatedAttributes(String(input.UpdateExpression ?? ""), names)]
        : keyNames(key);
  return {
    operation,
    action,
    table: String(input.TableName),
    leadingKeys: partitionValue(key),
    attributes: unique(written),
    ...(typeof input.ReturnValues === "string" ? { returnValues: input.ReturnValues } : {}),
  };
}

/** The partition value a Query's key condition names: `<partition attribute> = :value`. */
function queryPartition(input: Record<string, unknown>): string[] {
  const names = input.ExpressionAttributeNames as Names;
  const values = (input.ExpressionAttributeValues ?? {}) as Item;
  const condition = String(input.KeyConditionExpression ?? "");
  const partition = input.IndexName
    ? INDEXES.find((index) => index.name === input.IndexName)?.partitionKey
    : PARTITION_KEY;
  for (const match of condition.matchAll(/([#\w]+)\s*=\s*(:\w+)/g)) {
    if (topLevel(match[1] as string, names) === partition) {
      const value = values[match[2] as string];
      if (value?.S !== undefined) return [value.S];
    }
  }
  return [];
}

/** Every authorisation one wire request needs. */
export function authorisedRequests(operation: string, input: Record<string, unknown>): AuthorisedRequest[] {
  switch (operation) {
    case "GetItem":
      return [
        {
          operation,
          action: "dynamodb:GetItem",
          table: String(input.TableName),
          leadingKeys: partitionValue(input.Key as Item),
          attributes: readAttributes(input, input.Key as Item),
          ...(input.ProjectionExpression ? { select: "SPECIFIC_ATTRIBUTES" } : {}),
        },
      ];
    case "BatchGetItem":
      return Object.entries((input.RequestItems ?? {}) as Record<string, Record<string, unknown>>).map(
        ([table, request]) => {
          const keys = (request.Keys ?? []) as Item[];
          return {
            operation,
            action: "dynamodb:BatchGetItem",
            table,
            leadingKeys: unique(keys.flatMap(partitionValue)),
            attributes: readAttributes(request, keys[0]),
            ...(request.ProjectionExpression ? { select: "SPECIFIC_ATTRIBUTES" } : {}),
          };
        },
      );
    case "Query": {
      const projection = projected(input.ProjectionExpression, input.ExpressionAttributeNames as Names);
      return [
        {
          operation,
          action: "dynamodb:Query",
          table: String(input.TableName),
          ...(typeof input.IndexName === "string" ? { index: input.IndexName } : {}),
          leadingKeys: queryPartition(input),
          attributes: projection ? unique(projection) : [ALL_ATTRIBUTES],
          select:
            typeof input.Select === "string"
              ? input.Select
              : projection
                ? "SPECIFIC_ATTRIBUTES"
                : input.IndexName
                  ? "ALL_PROJECTED_ATTRIBUTES"
                  : "ALL_ATTRIBUTES",
        },
      ];
    }
    case "PutItem":
    case "UpdateItem":
    case "DeleteItem":
      return [write(operation, `dynamodb:${operation}`, input)];
    case "TransactWriteItems":
      return ((input.TransactItems ?? []) as Record<string, Record<string, unknown>>[]).flatMap((element) =>
        Object.entries(element).map(([kind, step]) =>
          write(
            operation,
            `dynamodb:${kind === "ConditionCheck" ? "ConditionCheckItem" : `${kind}Item`}`,
            step,
          ),
        ),
      );
    case "TransactGetItems":
      return ((input.TransactItems ?? []) as { Get: Record<string, unknown> }[]).flatMap(({ Get }) =>
        authorisedRequests("GetItem", Get).map((request) => ({ ...request, operation })),
      );
    case "SearchVectors":
      return [
        {
          operation,
          action: "dynamodb:SearchVectors",
          table: String(input.TableName),
          index: String(input.IndexName),
          leadingKeys: [],
        },
      ];
    default:
      return [
        {
          operation,
          action: `dynamodb:${operation}`,
          table: String(input.TableName ?? Object.keys((input.RequestItems ?? {}) as object)[0]),
          leadingKeys: [],
        },
      ];
  }
}
