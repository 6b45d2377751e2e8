/**
 * The write that makes sure a profile exists, as one update: created with defaults when missing,
 * an existing profile untouched. Used alone (UserRepository.ensure) and inside the transaction of
 * the write that needs the profile (a new market, a position), so ensuring it costs no round trip.
 */
import { keys } from "./table-schema.ts";

/** A profile to create if it is missing. */
export interface ProfileToEnsure {
  id: string;
  displayName: string;
  email: string | null;
}

export function ensureProfileUpdate(table: string, profile: ProfileToEnsure, now: string) {
  return {
    TableName: table,
    Key: keys.user(profile.id),
    UpdateExpression:
      "SET id = :id, displayName = if_not_exists(displayName, :name), email = if_not_exists(email, :email), " +
      "createdAt = if_not_exists(createdAt, :now), updatedAt = if_not_exists(updatedAt, :now), " +
      "version = if_not_exists(version, :one)",
    ExpressionAttributeValues: {
      ":id": profile.id,
      ":name": profile.displayName,
      ":email": profile.email,
      ":now": now,
      ":one": 1,
    },
  };
}

/**
 * What anyone may read of another user's profile: the name shown beside markets and positions. The
 * email is not among them; the functions that show names are granted only these (docs/security.md).
 */
export const PUBLIC_PROFILE_ATTRIBUTES = ["id", "displayName"] as const;
