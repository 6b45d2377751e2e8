/**
 * Creates the one table in a local (or any) DynamoDB from shared/repositories/table-schema.ts,
 * the same definition the CDK stack reads, so local and deployed tables cannot drift apart.
 */
import {
  type AttributeDefinition,
  CreateTableCommand,
  type CreateTableCommandInput,
  DescribeTableCommand,
  type DynamoDBClient,
  UpdateTimeToLiveCommand,
  waitUntilTableExists,
} from "@aws-sdk/client-dynamodb";
import {
  INDEXES,
  KEY_ATTRIBUTES,
  PARTITION_KEY,
  SORT_KEY,
  TTL_ATTRIBUTE,
} from "../../shared/repositories/table-schema.ts";

/** CreateTable input for the schema: on-demand billing, every GSI projecting all attributes. */
export function createTableInput(tableName: string): CreateTableCommandInput {
  const attributeDefinitions: AttributeDefinition[] = [...KEY_ATTRIBUTES].map(([name, type]) => ({
    AttributeName: name,
    AttributeType: type,
  }));
  return {
    TableName: tableName,
    BillingMode: "PAY_PER_REQUEST",
    AttributeDefinitions: attributeDefinitions,
    KeySchema: [
      { AttributeName: PARTITION_KEY, KeyType: "HASH" },
      { AttributeName: SORT_KEY, KeyType: "RANGE" },
    ],
    GlobalSecondaryIndexes: INDEXES.map((index) => ({
      IndexName: index.name,
      KeySchema: [
        { AttributeName: index.partitionKey, KeyType: "HASH" },
        { AttributeName: index.sortKey, KeyType: "RANGE" },
      ],
      Projection: { ProjectionType: "ALL" },
    })),
  };
}

/**
 * Create the table unless it exists, wait until it is ACTIVE and enable TTL. Idempotent: a second
 * start with a persistent LOCAL_DATA folder finds the table and leaves its items alone.
 */
export async function ensureTable(client: DynamoDBClient, tableName: string): Promise<void> {
  try {
    await client.send(new CreateTableCommand(createTableInput(tableName)));
  } catch (error) {
    if (!isNamed(error, "ResourceInUseException")) throw error;
  }
  await waitUntilTableExists({ client, maxWaitTime: 60, minDelay: 1, maxDelay: 2 }, { TableName: tableName });
  await warnAboutMissingIndexes(client, tableName);
  await enableTtl(client, tableName);
}

/**
 * A table kept in LOCAL_DATA from an older version may lack an index the code now queries. Say so
 * plainly instead of letting the first list request fail with a DynamoDB error.
 */
async function warnAboutMissingIndexes(client: DynamoDBClient, tableName: string): Promise<void> {
  const { Table } = await client.send(new DescribeTableCommand({ TableName: tableName }));
  const present = new Set((Table?.GlobalSecondaryIndexes ?? []).map((index) => index.IndexName));
  const missing = INDEXES.filter((index) => !present.has(index.name)).map((index) => index.name);
  if (missing.length > 0) {
    console.warn(
      `[dynamodb-local] table ${tableName} predates the index(es) ${missing.join(", ")}: ` +
        "delete the LOCAL_DATA folder (default .data) or use LOCAL_DATA=memory to start fresh.",
    );
  }
}

async function enableTtl(client: DynamoDBClient, tableName: string): Promise<void> {
  try {
    await client.send(
      new UpdateTimeToLiveCommand({
        TableName: tableName,
        TimeToLiveSpecification: { AttributeName: TTL_ATTRIBUTE, Enabled: true },
      }),
    );
  } catch (error) {
    // "TimeToLive is already enabled" on a restart, or an emulator without TTL support. Expired
    // items then stay until deleted; DynamoDB itself deletes them only lazily (within days), so
    // code must never rely on TTL for correctness anyway.
    if (isNamed(error, "ValidationException") || isNamed(error, "UnknownOperationException")) return;
    throw error;
  }
}

function isNamed(error: unknown, name: string): boolean {
  return error instanceof Error && error.name === name;
}
