/**
 * The size and cold-start baseline: the least a Lambda reading one DynamoDB item can ship. The
 * build report compares every bundle with this, so growth from our own code stays visible.
 */
import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { DynamoDBDocumentClient, GetCommand } from "@aws-sdk/lib-dynamodb";

// Module scope, like the real handlers: created once per execution environment, reused warm.
const client = new DynamoDBClient(
  process.env.DYNAMODB_ENDPOINT ? { endpoint: process.env.DYNAMODB_ENDPOINT } : {},
);
// The warm-overhead benchmark's stand-in DynamoDB, as the route bundles take it (shared/composition/clients.ts).
type StackPlugin = Parameters<DynamoDBClient["middlewareStack"]["use"]>[0];
const stub = (globalThis as Record<symbol, unknown>)[Symbol.for("markets-api.dynamodb-plugin")] as
  | StackPlugin
  | undefined;
if (stub) client.middlewareStack.use(stub);
const db = DynamoDBDocumentClient.from(client);

interface BareEvent {
  pathParameters?: { id?: string };
}

export const handler = async (event: BareEvent) => {
  const id = event.pathParameters?.id ?? "missing";
  const { Item } = await db.send(
    new GetCommand({ TableName: process.env.TABLE_NAME, Key: { pk: `MARKET#${id}`, sk: "MARKET" } }),
  );
  return { statusCode: Item ? 200 : 404, body: JSON.stringify(Item ?? { success: false }) };
};
