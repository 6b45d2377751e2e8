/**
 * Opaque pagination cursors: base64url JSON of the position to resume after, tagged with the
 * ordering it belongs to. Anything that does not decode to exactly that shape is a 400, never a 500.
 */
import * as z from "zod/mini";
import { ValidationError } from "../errors.ts";

const CursorShape = /* @__PURE__ */ z.lazy(() =>
  z.strictObject({
    v: z.literal(1),
    /** Ordering this cursor belongs to, e.g. "createdAt:desc"; a cursor is only valid for its ordering. */
    o: z.string().check(z.maxLength(64)),
    /** The last returned sort value (exclusive). */
    k: z.string().check(z.minLength(1), z.maxLength(512)),
  }),
);

export function encodeCursor(ordering: string, lastKey: string): string {
  return Buffer.from(JSON.stringify({ v: 1, o: ordering, k: lastKey }), "utf8").toString("base64url");
}

/**
 * Decode a cursor for `ordering`; throws ValidationError when it is malformed, tampered, foreign
 * or its key does not have the shape `keyPattern` demands (a pattern, or a predicate for rules a
 * pattern cannot say): the key reaches a DynamoDB condition or start key.
 */
export function decodeCursor(
  cursor: string,
  ordering: string,
  keyPattern: RegExp | ((key: string) => boolean),
): string {
  let decoded: unknown;
  try {
    // Node's decoder skips characters outside the alphabet; an altered cursor must not pass.
    if (!/^[A-Za-z0-9_-]+$/.test(cursor)) throw new Error("not base64url");
    decoded = JSON.parse(Buffer.from(cursor, "base64url").toString("utf8"));
  } catch {
    decoded = undefined;
  }
  const parsed = CursorShape.safeParse(decoded);
  // isWellFormed: a lone surrogate would pass the pattern and then be refused by DynamoDB (a 500).
  if (
    !parsed.success ||
    parsed.data.o !== ordering ||
    !(typeof keyPattern === "function" ? keyPattern(parsed.data.k) : keyPattern.test(parsed.data.k)) ||
    !parsed.data.k.isWellFormed()
  ) {
    throw new ValidationError([
      { path: "cursor", message: "Invalid cursor: pass back the nextCursor of the same listing" },
    ]);
  }
  return parsed.data.k;
}
