/** User profiles in DynamoDB, one item per user; creators and position holders come in batch reads. */
import { type DynamoDBDocumentClient, GetCommand, UpdateCommand } from "@aws-sdk/lib-dynamodb";
import type { UserSummary } from "../domain/market.ts";
import type { UserProfile } from "../domain/user.ts";
import { batchGet } from "./batch-get.ts";
import { ensureProfileUpdate, PUBLIC_PROFILE_ATTRIBUTES } from "./profile-item.ts";
import { keys } from "./table-schema.ts";
import type { UserRepository } from "./user-repository.ts";

const PUBLIC_NAMES = Object.fromEntries(PUBLIC_PROFILE_ATTRIBUTES.map((name, i) => [`#p${i}`, name]));
const PUBLIC_PROJECTION = Object.keys(PUBLIC_NAMES).join(",");
const PROFILE_FIELDS = ["id", "displayName", "email", "createdAt", "updatedAt", "version"] as const;

export class DynamoUserRepository implements UserRepository {
  constructor(private readonly opts: { table: string; db: DynamoDBDocumentClient }) {}

  // Other users' profiles are read with a projection of their public attributes only: the
  // functions that show names may not read emails (IAM dynamodb:Attributes, docs/security.md).
  async getSummary(id: string): Promise<UserSummary | undefined> {
    const { Item } = await this.opts.db.send(
      new GetCommand({
        TableName: this.opts.table,
        Key: keys.user(id),
        ProjectionExpression: PUBLIC_PROJECTION,
        ExpressionAttributeNames: PUBLIC_NAMES,
      }),
    );
    return Item ? toSummary(Item) : undefined;
  }

  async getSummaries(ids: readonly string[]): Promise<Map<string, UserSummary>> {
    if (ids.length === 0) return new Map();
    const items = await batchGet(
      this.opts.db,
      this.opts.table,
      ids.map(keys.user),
      PUBLIC_PROFILE_ATTRIBUTES,
    );
    return new Map(items.map((item) => [String(item.id), toSummary(item)]));
  }

  async ensure(
    id: string,
    defaults: { displayName: string; email: string | null },
    now: string,
  ): Promise<void> {
    await this.opts.db.send(
      new UpdateCommand(ensureProfileUpdate(this.opts.table, { id, ...defaults }, now)),
    );
  }

  async upsert(
    id: string,
    changes: { displayName: string; email: string | null },
    now: string,
  ): Promise<UserProfile> {
    const { Attributes } = await this.opts.db.send(
      new UpdateCommand({
        TableName: this.opts.table,
        Key: keys.user(id),
        UpdateExpression:
          "SET id = :id, displayName = :name, email = if_not_exists(email, :email), " +
          "createdAt = if_not_exists(createdAt, :now), updatedAt = :now ADD version :one",
        ExpressionAttributeValues: {
          ":id": id,
          ":name": changes.displayName,
          ":email": changes.email,
          ":now": now,
          ":one": 1,
        },
        ReturnValues: "ALL_NEW",
      }),
    );
    return toProfile(Attributes ?? {});
  }
}

function toSummary(item: Record<string, unknown>): UserSummary {
  return { id: String(item.id), displayName: String(item.displayName) };
}

function toProfile(item: Record<string, unknown>): UserProfile {
  const profile = Object.fromEntries(PROFILE_FIELDS.map((field) => [field, item[field] ?? null]));
  return profile as unknown as UserProfile;
}
