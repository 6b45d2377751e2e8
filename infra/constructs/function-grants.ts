/**
 * Turns a FunctionAccess (infra/function-access.ts) into IAM statements on one function's role:
 * named DynamoDB actions on the table and its named indexes, never `dynamodb:*` or `sqs:*`.
 */
import { Stack } from "aws-cdk-lib";
import type * as dynamodb from "aws-cdk-lib/aws-dynamodb";
import * as iam from "aws-cdk-lib/aws-iam";
import type * as sqs from "aws-cdk-lib/aws-sqs";
import { INDEXES } from "../../shared/repositories/table-schema.ts";
import { VECTOR_INDEX } from "../../shared/repositories/vector-schema.ts";
import type { FunctionAccess } from "../function-access.ts";
import type { DeploySettings } from "../settings.ts";

export interface GrantTargets {
  readonly table: dynamodb.ITable;
  readonly indexQueue: sqs.IQueue;
  readonly settings: DeploySettings;
}

const READ_ACTIONS = ["dynamodb:GetItem", "dynamodb:BatchGetItem", "dynamodb:Query"];
/**
 * TransactWriteItems has no IAM action of its own: each element is authorised as PutItem,
 * UpdateItem, DeleteItem or ConditionCheckItem, so these four cover transactions too.
 */
const WRITE_ACTIONS = [
  "dynamodb:PutItem",
  "dynamodb:UpdateItem",
  "dynamodb:DeleteItem",
  "dynamodb:ConditionCheckItem",
];
/** Partition-key prefix of rate-limit windows (keys.rateWindow in table-schema.ts). */
const RATE_LIMIT_KEY_PATTERN = "RATE#*";

export function grantFunctionAccess(role: iam.IRole, access: FunctionAccess, targets: GrantTargets): void {
  const { table, indexQueue, settings } = targets;

  if (access.table !== "none") {
    role.addToPrincipalPolicy(
      new iam.PolicyStatement({ actions: READ_ACTIONS, resources: [table.tableArn] }),
    );
    // Each index by name rather than `<table>/index/*`: a new index is a deliberate schema change.
    role.addToPrincipalPolicy(
      new iam.PolicyStatement({
        actions: ["dynamodb:Query"],
        resources: INDEXES.map((index) => `${table.tableArn}/index/${index.name}`),
      }),
    );
  }
  if (access.table === "read") {
    // Read routes still count their callers; they may update rate-limit windows and nothing else.
    role.addToPrincipalPolicy(
      new iam.PolicyStatement({
        actions: ["dynamodb:UpdateItem"],
        resources: [table.tableArn],
        conditions: { "ForAllValues:StringLike": { "dynamodb:LeadingKeys": [RATE_LIMIT_KEY_PATTERN] } },
      }),
    );
  }
  if (access.table === "write") {
    const leadingKeys = {
      "ForAllValues:StringLike": { "dynamodb:LeadingKeys": access.writesKeys.map((prefix) => `${prefix}*`) },
    };
    const attributes = access.writesOnlyAttributes;
    role.addToPrincipalPolicy(
      new iam.PolicyStatement({
        actions: attributes ? ["dynamodb:PutItem"] : WRITE_ACTIONS,
        resources: [table.tableArn],
        conditions: attributes
          ? {
              ...leadingKeys,
              // Every attribute written must be one of these; and no old item may be returned.
              "ForAllValues:StringEquals": { "dynamodb:Attributes": [...attributes] },
              StringEqualsIfExists: { "dynamodb:ReturnValues": "NONE" },
            }
          : leadingKeys,
      }),
    );
  }

  if (access.searchesVectors && settings.searchEngine === "dynamodb") {
    // The vector index's own ARN: no other index, and FGAC conditions do not apply to SearchVectors.
    role.addToPrincipalPolicy(
      new iam.PolicyStatement({
        actions: ["dynamodb:SearchVectors"],
        resources: [`${table.tableArn}/index/${VECTOR_INDEX.name}`],
      }),
    );
  }

  if (access.enqueueIndexJobs) indexQueue.grantSendMessages(role);

  if (access.embedsText && settings.embedder === "bedrock") {
    role.addToPrincipalPolicy(
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
}
