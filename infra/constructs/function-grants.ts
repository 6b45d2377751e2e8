/**
 * Turns a declaration's data access (shared/routes/) into IAM statements on one function's role:
 * one statement per declared access, with its named DynamoDB actions on its partition-key prefixes
 * (`dynamodb:LeadingKeys`), its attribute limits (`dynamodb:Attributes` with `dynamodb:Select`) and
 * the answers its writes may ask for (`dynamodb:ReturnValues`); Query on the indexes it declares;
 * never `dynamodb:*` or `sqs:*`. Rate-limit counters and idempotency records follow from the
 * route's `rateLimit` and `idempotent` flags. test/e2e/least-privilege.test.ts holds each function's
 * statements to the requests its bundle makes.
 */
import { Stack } from "aws-cdk-lib";
import type * as dynamodb from "aws-cdk-lib/aws-dynamodb";
import * as iam from "aws-cdk-lib/aws-iam";
import type * as sqs from "aws-cdk-lib/aws-sqs";
import {
  INDEXES,
  KEY_PREFIXES,
  type KeyPrefix,
  PARTITION_KEY,
  SORT_KEY,
  VECTORS_BY_INDEXED_AT,
} from "../../shared/repositories/table-schema.ts";
import { VECTOR_INDEX } from "../../shared/repositories/vector-schema.ts";
import type { DataAccess, ItemAccess, ReadAction, WriteAction } from "../../shared/routes/route.ts";
import type { DeploySettings } from "../settings.ts";

export interface GrantTargets {
  readonly table: dynamodb.ITable;
  readonly indexQueue: sqs.IQueue;
  readonly settings: DeploySettings;
}

/** What a function's policy follows from, beyond its declared data access. */
export interface GrantFlags {
  /** Counts its callers: UpdateItem on their rate-limit windows. */
  readonly rateLimited: boolean;
  /** Stores idempotency records (Powertools reads, writes and deletes its own records). */
  readonly idempotent: boolean;
}

/**
 * Powertools' own records: the conditional put (a repeat gets the stored record back with the
 * failed condition, ReturnValuesOnConditionCheckFailure), the update with the response, and the
 * delete of a record whose request failed. Its GetItem is only a fallback for a failed put that
 * came back without the record, which DynamoDB does not do, so it is not granted.
 */
const IDEMPOTENCY_ACCESS: ItemAccess<WriteAction> = {
  keys: [KEY_PREFIXES.idempotency],
  actions: ["PutItem", "UpdateItem", "DeleteItem"],
};
/** The rate limiter's counter: one UpdateItem that returns the new count. */
const RATE_LIMIT_ACCESS: ItemAccess<WriteAction> = {
  keys: [KEY_PREFIXES.rateLimit],
  actions: ["UpdateItem"],
  returns: ["UPDATED_NEW"],
};

const leadingKeys = (prefixes: readonly KeyPrefix[]) => ({
  "dynamodb:LeadingKeys": prefixes.map((prefix) => `${prefix}*`),
});

/** One statement per declared access: its actions, on its key prefixes, with its attribute limits. */
function itemStatement(
  kind: "read" | "write",
  access: ItemAccess<ReadAction | WriteAction>,
  tableArn: string,
): iam.PolicyStatement {
  if (access.actions.length === 0) throw new Error(`an access to ${access.keys.join(", ")} without actions`);
  const attributes = access.attributes && [...new Set([PARTITION_KEY, SORT_KEY, ...access.attributes])];
  const conditions: Record<string, Record<string, unknown>> = {
    "ForAllValues:StringLike": leadingKeys(access.keys),
  };
  // Every attribute read or written must be one of these (the table's key among them).
  if (attributes) conditions["ForAllValues:StringEquals"] = { "dynamodb:Attributes": attributes };
  if (kind === "read" && attributes) {
    // A read must name its projection: asking for every attribute is refused.
    conditions.StringEqualsIfExists = { "dynamodb:Select": "SPECIFIC_ATTRIBUTES" };
  }
  if (kind === "write") {
    // A write that returns an item reads it: only the answers declared.
    const returns = ["NONE", ...(access.returns ?? [])];
    conditions.StringEqualsIfExists = { "dynamodb:ReturnValues": returns.length === 1 ? "NONE" : returns };
  }
  return new iam.PolicyStatement({
    actions: access.actions.map((action) => `dynamodb:${action}`),
    resources: [tableArn],
    conditions,
  });
}

/** The IAM statements one function gets; pure, so a test can compare them with what the code does. */
export function dataStatements(
  access: DataAccess,
  flags: GrantFlags,
  targets: GrantTargets,
): iam.PolicyStatement[] {
  const { table, settings } = targets;
  const statements: iam.PolicyStatement[] = [];
  const tableArn = table.tableArn;

  for (const read of access.reads ?? []) statements.push(itemStatement("read", read, tableArn));
  const indexes = [
    ...(access.indexes ?? []),
    // The in-process engine refreshes its vectors from the index ordered by indexing time.
    ...(access.searchesVectors && settings.searchEngine === "in-process" ? [VECTORS_BY_INDEXED_AT.name] : []),
  ];
  for (const name of indexes) {
    if (!INDEXES.some((index) => index.name === name))
      throw new Error(`no index named ${name} in table-schema.ts`);
  }
  if (indexes.length > 0) {
    statements.push(
      new iam.PolicyStatement({
        actions: ["dynamodb:Query"],
        resources: indexes.map((name) => `${tableArn}/index/${name}`),
      }),
    );
  }
  for (const write of access.writes ?? []) statements.push(itemStatement("write", write, tableArn));
  if (access.searchesVectors && settings.searchEngine === "dynamodb") {
    // The vector index's own ARN; FGAC condition keys do not apply to SearchVectors.
    statements.push(
      new iam.PolicyStatement({
        actions: ["dynamodb:SearchVectors"],
        resources: [`${tableArn}/index/${VECTOR_INDEX.name}`],
      }),
    );
  }
  if (flags.rateLimited) statements.push(itemStatement("write", RATE_LIMIT_ACCESS, tableArn));
  if (flags.idempotent) statements.push(itemStatement("write", IDEMPOTENCY_ACCESS, tableArn));
  if (access.embeds && settings.embedder === "bedrock") {
    statements.push(
      new iam.PolicyStatement({
        actions: ["bedrock:InvokeModel"],
        resources: [
          Stack.of(table).formatArn({
            service: "bedrock",
            account: "",
            resource: "foundation-model",
            resourceName: settings.bedrockModelId,
          }),
        ],
      }),
    );
  }
  return statements;
}

/** Attach a function's statements to its role, and the queues it sends to. */
export function grantFunctionAccess(
  role: iam.IRole,
  access: DataAccess,
  flags: GrantFlags,
  targets: GrantTargets,
): void {
  for (const statement of dataStatements(access, flags, targets)) role.addToPrincipalPolicy(statement);
  if (access.enqueue?.includes("index")) targets.indexQueue.grantSendMessages(role);
}
