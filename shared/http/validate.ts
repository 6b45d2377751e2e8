/**
 * Validation of path, query and body against zod/mini schemas, turning issues into the
 * `details` of a 400 VALIDATION_FAILED. Unknown and repeated query parameters are errors too.
 */
import type { APIGatewayProxyEventV2 } from "aws-lambda";
import * as z from "zod/mini";
import en from "zod/v4/locales/en.js";
import { type ErrorDetail, ValidationError } from "../errors.ts";

// English messages ("Too small: expected string to have >=3 characters") instead of zod/mini's
// terse "Invalid input"; the locale costs ~3 KB.
z.config(en());

export type Schema<T> = z.ZodMiniType<T, unknown>;

function toDetails(error: z.core.$ZodError): ErrorDetail[] {
  return error.issues.flatMap((issue): ErrorDetail[] => {
    if (issue.code === "unrecognized_keys") {
      return issue.keys.map((key) => ({ path: [...issue.path, key].join("."), message: "Unknown field" }));
    }
    return [{ path: issue.path.map(String).join("."), message: issue.message }];
  });
}

/** Parse `value` or throw a ValidationError naming each failing field. */
export function parseOrThrow<T>(schema: Schema<T>, value: unknown, what: string): T {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  throw new ValidationError(toDetails(result.error), `Invalid ${what}`);
}

/**
 * The query string as an object without a prototype. API Gateway joins repeated parameters with commas, which would
 * hide them, so this reads the raw query string and rejects any repeat.
 */
export function queryOf(event: APIGatewayProxyEventV2): Record<string, string> {
  // No prototype: on a plain `{}`, `query.__proto__ = "1"` would vanish into the prototype instead
  // of being an unknown parameter (a 400, API.md), and `constructor` would look present.
  const query: Record<string, string> = Object.create(null);
  const repeated: ErrorDetail[] = [];
  for (const [name, value] of new URLSearchParams(event.rawQueryString ?? "")) {
    if (Object.hasOwn(query, name)) repeated.push({ path: name, message: "Parameter given more than once" });
    query[name] = value;
  }
  if (repeated.length > 0) throw new ValidationError(repeated, "Invalid query");
  return query;
}

/** `Idempotency-Key`: 1–128 visible ASCII characters, since it becomes part of a stored key. */
export function idempotencyKeyOf(header: string): string {
  if (!/^[\x21-\x7e]{1,128}$/.test(header)) {
    throw new ValidationError([
      { path: "Idempotency-Key", message: "must be 1-128 visible ASCII characters" },
    ]);
  }
  return header;
}
