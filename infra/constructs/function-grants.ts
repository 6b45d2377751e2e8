/**
 * Turns a declaration's data access (shared/routes/) into IAM statements on one function's role:
 * named DynamoDB actions on the partition-key prefixes (`dynamodb:LeadingKeys`) and the indexes it
 * declares, never `dynamodb:*` or `sqs:*`. Rate-limit counters and idempotency records follow from
 * the route's `rateLimit` and `idempotent` flags.
 */
import { Stack } from "aws-cdk-lib";
import type * as dynamodb from "aws-cdk-lib/aws-dynamodb";
import * as iam from "aws-cdk-lib/aws-iam";
import type * as sqs from "aws-cdk-lib/aws-sqs";
import { INDEXES, KEY_PREFIXES, type KeyPrefix } from "../../shared/repositories/table-schema.ts";
import { VECTOR_INDEX } from "../../shared/repositories/vector-schema.ts";
import type { DataAccess } from "../../shared/routes/route.ts";
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

const READ_ACTIONS = ["dynamodb:GetItem", "dynamodb:BatchGetItem", "dynamodb:Query"];
const IDEMPOTENCY_ACTIONS = [
  "dynamodb:GetItem",
  "dynamodb:PutItem",
  "dynamodb:UpdateItem",
  "dynamodb:DeleteItem",
];

const leadingKeys = (prefixes: readonly KeyPrefix[]) => ({
  "ForAllValues:StringLike": { "dynamodb:LeadingKeys": prefixes.map((prefix) => `${prefix}*`) },
});

/** The IAM statements one function gets; pure, so a test can compare them with what the code does. */
export function dataStatements(
  access: DataAccess,
  flags: GrantFlags,
  targets: GrantTargets,
): iam.PolicyStatement[] {
  const { table, settings } = targets;
  const statements: iam.PolicyStatement[] = [];
  const tableArn = table.tableArn;

  if (access.read) {
    statements.push(
      new iam.PolicyStatement({
        actions: READ_ACTIONS,
        resources: [tableArn],
        conditions: leadingKeys(access.read.keys),
      }),
    );
    const indexes = access.read.indexes ?? [];
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
  }
  if (access.write) {
    statements.push(
      new iam.PolicyStatement({
        // TransactWriteItems has no action of its own: each element is authorised as one of these.
        actions: access.write.actions.map((action) => `dynamodb:${action}`),
        resources: [tableArn],
        conditions: access.writesOnlyAttributes
          ? {
              ...leadingKeys(access.write.keys),
              // Every attribute written must be one of these, and no old item may be returned.
              "ForAllValues:StringEquals": { "dynamodb:Attributes": [...access.writesOnlyAttributes] },
              StringEqualsIfExists: { "dynamodb:ReturnValues": "NONE" },
            }
          : leadingKeys(access.write.keys),
      }),
    );
  }
  if (access.searchesVectors && settings.searchEngine === "dynamodb") {
    // The vector index's own ARN; FGAC condition keys do not apply to SearchVectors.
    statements.push(
      new iam.PolicyStatement({
        actions: ["dynamodb:SearchVectors"],
        resources: [`${tableArn}/index/${VECTOR_INDEX.name}`],
      }),
    );
  }
  if (flags.rateLimited) {
    statements.push(
      new iam.PolicyStatement({
        actions: ["dynamodb:UpdateItem"],
        resources: [tableArn],
        conditions: leadingKeys([KEY_PREFIXES.rateLimit]),
      }),
    );
  }
  if (flags.idempotent) {
    statements.push(
      new iam.PolicyStatement({
        actions: IDEMPOTENCY_ACTIONS,
        resources: [tableArn],
        conditions: leadingKeys([KEY_PREFIXES.idempotency]),
      }),
    );
  }
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
