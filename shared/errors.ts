/**
 * Domain errors with a stable `code`. Services and repositories throw these; only the HTTP error
 * middleware turns them into the envelope of API.md. Codes below 500 show their message to the
 * client; anything else is answered as a generic INTERNAL error and logged with its stack.
 */

export interface ErrorDetail {
  readonly path: string;
  readonly message: string;
}

export class AppError extends Error {
  constructor(
    readonly code: string,
    readonly status: number,
    message: string,
    readonly details?: readonly ErrorDetail[],
    readonly headers?: Readonly<Record<string, string>>,
  ) {
    super(message);
    this.name = new.target.name;
  }

  /** Whether the message is safe to show a client. */
  get expose(): boolean {
    return this.status < 500 || this.status === 503;
  }
}

export class ValidationError extends AppError {
  constructor(details: readonly ErrorDetail[], message = "Request validation failed") {
    super("VALIDATION_FAILED", 400, message, details);
  }
}

export class InvalidJsonError extends AppError {
  constructor() {
    super("INVALID_JSON", 400, "Request body is not valid JSON");
  }
}

export class UnauthorizedError extends AppError {
  constructor(message = "A valid bearer token is required") {
    super("UNAUTHORIZED", 401, message, undefined, { "WWW-Authenticate": 'Bearer realm="markets-api"' });
  }
}

export class ForbiddenError extends AppError {
  constructor(message = "You are not allowed to do this") {
    super("FORBIDDEN", 403, message);
  }
}

export class NotFoundError extends AppError {
  constructor(what = "Resource") {
    super("NOT_FOUND", 404, `${what} not found`);
  }
}

export class ConflictError extends AppError {
  constructor(message: string, code = "CONFLICT") {
    super(code, 409, message);
  }
}

export class InvalidTransitionError extends ConflictError {
  constructor(from: string, to: string) {
    super(`Status cannot change from ${from} to ${to}`, "INVALID_TRANSITION");
  }
}

export class MarketNotActiveError extends ConflictError {
  constructor(id: string) {
    super(`Market ${id} is not open for positions`, "MARKET_NOT_ACTIVE");
  }
}

export class MarketHasPositionsError extends ConflictError {
  constructor(id: string) {
    super(`Market ${id} has positions and cannot be deleted`, "MARKET_HAS_POSITIONS");
  }
}

export class IdempotencyKeyReusedError extends ConflictError {
  constructor() {
    super("This Idempotency-Key was used with a different request", "IDEMPOTENCY_KEY_REUSED");
  }
}

export class PreconditionFailedError extends AppError {
  constructor(message = "The resource has changed: If-Match does not match its current ETag") {
    super("PRECONDITION_FAILED", 412, message);
  }
}

export class PayloadTooLargeError extends AppError {
  constructor(limit: number) {
    super("PAYLOAD_TOO_LARGE", 413, `Request body exceeds ${limit} bytes`);
  }
}

export class UnsupportedMediaTypeError extends AppError {
  constructor() {
    super("UNSUPPORTED_MEDIA_TYPE", 415, "Request body must be application/json");
  }
}

export class RateLimitedError extends AppError {
  constructor(retryAfterSeconds: number, headers: Readonly<Record<string, string>>) {
    super("RATE_LIMITED", 429, "Too many requests; slow down", undefined, {
      ...headers,
      "Retry-After": String(retryAfterSeconds),
    });
  }
}

/**
 * A dependency (database, queue, identity provider) stayed unreachable after retries. `cause` is the
 * underlying failure, for the log only: the client sees the message.
 */
export class UnavailableError extends AppError {
  constructor(
    message = "A dependency is temporarily unavailable; try again shortly",
    options?: ErrorOptions,
  ) {
    super("UNAVAILABLE", 503, message, undefined, { "Retry-After": "1" });
    if (options && "cause" in options) this.cause = options.cause;
  }
}
