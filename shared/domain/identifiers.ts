/**
 * The rules for identifiers that become part of a DynamoDB key. They are checked where the value
 * enters (token verifier, path and query schemas, cursors, the Idempotency-Key header), because a
 * value that is not well-formed Unicode does not survive the trip into a key: DynamoDB Local stores a
 * lone surrogate as `?`, so `victim\uD800` and `victim?` would name the same user, and DynamoDB
 * itself may refuse the key (a 500). Control characters are refused for the same reason and because
 * they end up in logs. Pure functions, no dependencies: the schemas and the verifier share them.
 */

/** Most characters a user id (a token's `sub`) may have; API.md: 1–128 characters. */
export const MAX_USER_ID_CHARACTERS = 128;

/** C0 controls, DEL and C1 controls (Unicode general category Cc). */
const CONTROL_CHARACTER = /\p{Cc}/u;

/**
 * Whether `value` is text that survives being a key: well-formed UTF-16 (no lone surrogate) and no
 * control character. Length is the caller's rule.
 */
export function isKeySafeText(value: string): boolean {
  return value.isWellFormed() && !CONTROL_CHARACTER.test(value);
}

/**
 * A user id as API.md defines a token's `sub`: 1–128 characters (code points, so an emoji counts
 * once) of well-formed Unicode with no control characters.
 */
export function isUserId(value: unknown): value is string {
  if (typeof value !== "string" || value.length === 0 || !isKeySafeText(value)) return false;
  // Code points, counted without building an array; a well-formed string has no lone surrogates.
  let characters = 0;
  for (const _ of value) if (++characters > MAX_USER_ID_CHARACTERS) return false;
  return true;
}

/** Market ids (ULIDs) and other server-made ids: 1–128 of `A–Z a–z 0–9 _ -`. */
export const RESOURCE_ID_PATTERN = /^[A-Za-z0-9_-]{1,128}$/;
