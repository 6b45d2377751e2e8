/**
 * BatchGetItem for any number of keys: chunks of 100 (DynamoDB's limit), chunks in parallel, and
 * UnprocessedKeys retried with exponential backoff and jitter until none are left. One call per
 * page of results, never one read per item (N+1).
 */
import { BatchGetCommand, type DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import { retry } from "../util/retry.ts";

const MAX_KEYS_PER_BATCH = 100;

class UnprocessedKeysLeft extends Error {}

type Key = Record<string, string>;

export async function batchGet(
  db: DynamoDBDocumentClient,
  table: string,
  keys: readonly Key[],
  projection?: readonly string[],
): Promise<Record<string, unknown>[]> {
  const unique = [...new Map(keys.map((key) => [JSON.stringify(key), key])).values()];
  const chunks: Key[][] = [];
  for (let i = 0; i < unique.length; i += MAX_KEYS_PER_BATCH)
    chunks.push(unique.slice(i, i + MAX_KEYS_PER_BATCH));
  const results = await Promise.all(chunks.map((chunk) => getChunk(db, table, chunk, projection)));
  return results.flat();
}

async function getChunk(
  db: DynamoDBDocumentClient,
  table: string,
  chunk: Key[],
  projection?: readonly string[],
) {
  const items: Record<string, unknown>[] = [];
  let pending: Key[] = chunk;
  const names = projection ? Object.fromEntries(projection.map((name, i) => [`#p${i}`, name])) : undefined;
  await retry(
    async () => {
      const result = await db.send(
        new BatchGetCommand({
          RequestItems: {
            [table]: {
              Keys: pending,
              ...(names
                ? { ProjectionExpression: Object.keys(names).join(","), ExpressionAttributeNames: names }
                : {}),
            },
          },
        }),
      );
      items.push(...(result.Responses?.[table] ?? []));
      pending = (result.UnprocessedKeys?.[table]?.Keys as Key[] | undefined) ?? [];
      if (pending.length > 0) throw new UnprocessedKeysLeft();
    },
    {
      maxAttempts: 8,
      baseDelayMs: 20,
      maxDelayMs: 1000,
      retryable: (error) => error instanceof UnprocessedKeysLeft,
    },
  );
  return items;
}
