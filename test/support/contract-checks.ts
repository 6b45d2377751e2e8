/**
 * API.md's rules for every answer, as a function returning the rules an answer breaks (empty when
 * it keeps them all): no 5xx (503 only where a test allows it), `x-request-id` on everything, the
 * error envelope with a code that fits the status, `WWW-Authenticate: Bearer` on 401, and no
 * internal detail (stack frames, SDK error names, expression text, table names, endpoints).
 */
import type { RawResponse } from "./raw-http.ts";

/** The codes API.md allows for each error status. */
export const ERROR_CODES: Readonly<Record<number, readonly string[]>> = {
  400: ["VALIDATION_FAILED", "INVALID_JSON"],
  401: ["UNAUTHORIZED"],
  403: ["FORBIDDEN"],
  404: ["NOT_FOUND"],
  409: [
    "CONFLICT",
    "INVALID_TRANSITION",
    "MARKET_NOT_ACTIVE",
    "MARKET_HAS_POSITIONS",
    "IDEMPOTENCY_KEY_REUSED",
  ],
  412: ["PRECONDITION_FAILED"],
  413: ["PAYLOAD_TOO_LARGE"],
  415: ["UNSUPPORTED_MEDIA_TYPE"],
  429: ["RATE_LIMITED"],
  503: ["UNAVAILABLE"],
};

const ENVELOPE_KEYS = new Set(["success", "error", "code", "details", "requestId"]);

/**
 * Text that only an internal failure would put in a body. Checked on error bodies whole; on
 * successes only the patterns no client input can produce (they echo names and descriptions).
 */
const INTERNAL_DETAIL: readonly RegExp[] = [
  /\n\s+at\s/, // a stack frame
  /"stack"/,
  /ValidationException|ConditionalCheckFailed|TransactionCanceled|ResourceNotFound|ProvisionedThroughput/,
  /ExpressionAttribute|KeyConditionExpression|UpdateExpression|ConditionExpression|ProjectionExpression/,
  /attribute_(not_)?exists|begins_with\(/,
  /node_modules|file:\/\/|\.m?[jt]s:\d+:\d+/,
  /ECONNREFUSED|ECONNRESET|ETIMEDOUT|socket hang up/,
  /JWSInvalid|JWTExpired|JWTClaimValidationFailed|ERR_JWS|ERR_JWT|ERR_JOSE/,
  /ZodError|TypeError|RangeError|SyntaxError|ReferenceError/,
];

export interface ContractOptions {
  /** Whether 503 UNAVAILABLE is an acceptable answer (fault injection); never any other 5xx. */
  allowUnavailable?: boolean;
  /** Strings that must never appear in any body: the table name, the endpoints. */
  secrets?: readonly string[];
  /** The x-request-id the client sent, when it is a safe token and must be echoed. */
  sentRequestId?: string;
  /** The answer is not in the success envelope (the OpenAPI document, HTML pages). */
  rawSuccess?: boolean;
}

export function contractViolations(response: RawResponse, options: ContractOptions = {}): string[] {
  const problems: string[] = [];
  const { status, headers, text, json } = response;
  if (status >= 500 && !(status === 503 && options.allowUnavailable)) problems.push(`status ${status}`);
  const requestId = headers["x-request-id"];
  if (!requestId) problems.push("no x-request-id header");
  if (options.sentRequestId !== undefined && requestId !== options.sentRequestId) {
    problems.push(`x-request-id ${requestId} is not the one sent (${options.sentRequestId})`);
  }
  for (const secret of options.secrets ?? []) {
    if (secret && text.includes(secret)) problems.push(`body contains ${JSON.stringify(secret)}`);
  }
  if (status >= 400) problems.push(...errorEnvelopeViolations(response, requestId));
  else if (status !== 204 && status !== 304 && !options.rawSuccess) {
    const body = json as { success?: unknown } | undefined;
    if (body?.success !== true) problems.push("a success without the success envelope");
  }
  const patterns = status >= 400 ? INTERNAL_DETAIL : INTERNAL_DETAIL.slice(2, 6);
  for (const pattern of patterns) if (pattern.test(text)) problems.push(`internal detail ${pattern}`);
  return problems;
}

function errorEnvelopeViolations(response: RawResponse, requestId: string | undefined): string[] {
  const problems: string[] = [];
  const body = response.json as Record<string, unknown> | undefined;
  if (!body || typeof body !== "object" || Array.isArray(body))
    return [`not a JSON envelope: ${response.text.slice(0, 200)}`];
  for (const key of Object.keys(body))
    if (!ENVELOPE_KEYS.has(key)) problems.push(`extra envelope key ${key}`);
  if (body.success !== false) problems.push("success is not false");
  if (typeof body.error !== "string" || body.error.length === 0) problems.push("no error message");
  const codes = ERROR_CODES[response.status] ?? [];
  if (!codes.includes(body.code as string))
    problems.push(`code ${String(body.code)} for status ${response.status}`);
  if (body.requestId !== requestId) problems.push(`requestId ${String(body.requestId)} is not x-request-id`);
  if (body.details !== undefined) {
    const ok =
      Array.isArray(body.details) &&
      body.details.every(
        (detail: unknown) =>
          typeof (detail as { path?: unknown }).path === "string" &&
          typeof (detail as { message?: unknown }).message === "string",
      );
    if (!ok) problems.push("details are not [{ path, message }]");
  }
  if (!/^application\/json/.test(response.headers["content-type"] ?? "")) problems.push("error is not JSON");
  if (response.status === 401 && !/^Bearer\b/.test(response.headers["www-authenticate"] ?? "")) {
    problems.push("401 without WWW-Authenticate: Bearer");
  }
  if (response.status === 429 && !response.headers["retry-after"]) problems.push("429 without Retry-After");
  if (response.status === 503 && !response.headers["retry-after"]) problems.push("503 without Retry-After");
  return problems;
}
