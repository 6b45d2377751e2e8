/**
 * A table's content as a comparable value, to prove that a rejected request wrote nothing. Rate
 * windows (`RATE#…`) are left out: the limiter counts every request, rejected ones included, as
 * API.md asks. Everything else (markets, positions, profiles, idempotency records, vectors) counts.
 */
import { type AttributeValue, type DynamoDBClient, paginateScan } from "@aws-sdk/client-dynamodb";

export type TableSnapshot = ReadonlyMap<string, string>;

/** Every item except rate windows, keyed by `pk|sk`, each as canonical JSON. */
export async function snapshotTable(client: DynamoDBClient, tableName: string): Promise<TableSnapshot> {
  const items = new Map<string, string>();
  for await (const page of paginateScan({ client }, { TableName: tableName, ConsistentRead: true })) {
    for (const item of page.Items ?? []) {
      const pk = item.pk?.S ?? "";
      if (pk.startsWith("RATE#")) continue;
      items.set(`${pk}|${item.sk?.S ?? ""}`, canonical(item));
    }
  }
  return items;
}

/** Keys added, removed or changed between two snapshots (empty when equal). */
export function snapshotDiff(before: TableSnapshot, after: TableSnapshot): string[] {
  const changes: string[] = [];
  for (const [key, value] of after) {
    const old = before.get(key);
    if (old === undefined) changes.push(`added ${key}`);
    else if (old !== value) changes.push(`changed ${key}`);
  }
  for (const key of before.keys()) if (!after.has(key)) changes.push(`removed ${key}`);
  return changes;
}

/** JSON with sorted keys, so attribute order never makes two equal items differ. */
function canonical(value: Record<string, AttributeValue> | unknown): string {
  return JSON.stringify(value, (_key, inner: unknown) => {
    if (inner instanceof Uint8Array) return Buffer.from(inner).toString("base64");
    if (inner && typeof inner === "object" && !Array.isArray(inner)) {
      return Object.fromEntries(Object.entries(inner).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
    }
    return inner;
  });
}
