/**
 * The one table from error codes to HTTP: status, whether the client may read the message, and the
 * headers the answer carries. Domain errors know nothing of HTTP; this is where they meet it.
 */
import { AppError, type ErrorCode, type RateLimitedError } from "../errors.ts";

export interface HttpError {
  readonly status: number;
  readonly code: ErrorCode;
  /** What the client reads: the error's own message, or a generic one for server-side failures. */
  readonly message: string;
  readonly details?: AppError["details"];
  readonly headers: Readonly<Record<string, string>>;
}

export const INTERNAL_MESSAGE = "Something went wrong on our side";

/** Status per code. 503 shows its message (it tells the client to retry); 500 never does. */
export const ERROR_STATUS: Readonly<Record<ErrorCode, number>> = {
  VALIDATION_FAILED: 400,
  INVALID_JSON: 400,
  UNAUTHORIZED: 401,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  CONFLICT: 409,
  INVALID_TRANSITION: 409,
  MARKET_NOT_ACTIVE: 409,
  MARKET_HAS_POSITIONS: 409,
  IDEMPOTENCY_KEY_REUSED: 409,
  PRECONDITION_FAILED: 412,
  PAYLOAD_TOO_LARGE: 413,
  UNSUPPORTED_MEDIA_TYPE: 415,
  RATE_LIMITED: 429,
  INTERNAL: 500,
  UNAVAILABLE: 503,
};

function headersFor(error: AppError): Record<string, string> {
  switch (error.code) {
    case "UNAUTHORIZED":
      return { "WWW-Authenticate": 'Bearer realm="markets-api"' };
    case "RATE_LIMITED":
      return { "Retry-After": String((error as RateLimitedError).retryAfterSeconds) };
    case "UNAVAILABLE":
      return { "Retry-After": "1" };
    default:
      return {};
  }
}

/** The answer for any thrown value: an AppError as its code says, anything else a bare 500. */
export function httpErrorOf(error: unknown): HttpError {
  if (!(error instanceof AppError) || error.code === "INTERNAL") {
    return { status: 500, code: "INTERNAL", message: INTERNAL_MESSAGE, headers: {} };
  }
  return {
    status: ERROR_STATUS[error.code],
    code: error.code,
    message: error.message,
    ...(error.details ? { details: error.details } : {}),
    headers: headersFor(error),
  };
}
