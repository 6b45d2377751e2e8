/**
 * The JSON body of routes that declare a body schema (other routes ignore any body, so a stray body
 * on `GET /api/health` is no 415), checked in API.md's answer order: size (413), media type (415),
 * UTF-8 and JSON syntax (400 INVALID_JSON).
 */
import type { APIGatewayProxyEventV2 } from "aws-lambda";
import {
  type AppError,
  InvalidJsonError,
  PayloadTooLargeError,
  UnsupportedMediaTypeError,
} from "../errors.ts";

/** A whole-buffer decode keeps no state between calls, so one decoder serves every request. */
const STRICT_UTF8 = new TextDecoder("utf-8", { fatal: true });

export const MAX_BODY_BYTES = 64 * 1024;
const JSON_MEDIA_TYPE = /^application\/json\s*(;\s*charset\s*=\s*"?utf-8"?\s*)?$/i;

/** The raw body as bytes, decoding API Gateway's base64 form. */
export function rawBody(event: APIGatewayProxyEventV2): Buffer | undefined {
  if (event.body === undefined || event.body === null) return undefined;
  return event.isBase64Encoded ? Buffer.from(event.body, "base64") : Buffer.from(event.body, "utf8");
}

/** The body's JSON value, or the error that answers for it (recorded, not thrown: see admission.ts). */
export function readJsonBody(event: APIGatewayProxyEventV2): { value?: unknown; error?: AppError } {
  // A text body holding a lone surrogate has no UTF-8 form; encoding it would quietly make U+FFFD.
  if (!event.isBase64Encoded && typeof event.body === "string" && !event.body.isWellFormed()) {
    return { error: new InvalidJsonError() };
  }
  const bytes = rawBody(event);
  const contentType = event.headers?.["content-type"];
  if (bytes === undefined || bytes.length === 0) {
    // No body at all is left to validation ("body required"); an empty one that claims to be JSON
    // is not parseable JSON.
    return contentType !== undefined && JSON_MEDIA_TYPE.test(contentType)
      ? { error: new InvalidJsonError() }
      : {};
  }
  if (bytes.length > MAX_BODY_BYTES) return { error: new PayloadTooLargeError(MAX_BODY_BYTES) };
  if (!JSON_MEDIA_TYPE.test(contentType ?? "")) return { error: new UnsupportedMediaTypeError() };
  try {
    // A fatal decoder refuses invalid UTF-8 (a lenient one would turn it into U+FFFD and accept a
    // body that is not what the client sent), and by default it drops a leading byte order mark,
    // which JSON.parse would reject.
    const text = STRICT_UTF8.decode(bytes);
    return { value: JSON.parse(text) };
  } catch {
    return { error: new InvalidJsonError() };
  }
}
