/**
 * Domain errors. Each carries a stable `code` (API.md's codes) and an optional `cause`, never an
 * HTTP status or header: services, repositories and auth throw these, and the http layer alone maps
 * codes to statuses and headers (shared/http/error-status.ts).
 */

export interface ErrorDetail {
  readonly path: string;
  readonly message: string;
}

export type ErrorCode =
  | "VALIDATION_FAILED"
  | "INVALID_JSON"
  | "UNAUTHORIZED"
  | "FORBIDDEN"
  | "NOT_FOUND"
  | "CONFLICT"
  | "INVALID_TRANSITION"
  | "MARKET_NOT_ACTIVE"
  | "MARKET_HAS_POSITIONS"
  | "IDEMPOTENCY_KEY_REUSED"
  | "PRECONDITION_FAILED"
  | "PAYLOAD_TOO_LARGE"
  | "UNSUPPORTED_MEDIA_TYPE"
  | "RATE_LIMITED"
  | "INTERNAL"
  | "UNAVAILABLE";

export interface AppErrorOptions extends ErrorOptions {
  readonly details?: readonly ErrorDetail[];
}

export class AppError extends Error {
  // Each class names itself in a string: bundles are minified without keepNames (it costs every
  // cold start, docs/performance.md), so `new.target.name` would log "ie" instead of NotFoundError.
  override name = "AppError";
  readonly details?: readonly ErrorDetail[];

  constructor(
    readonly code: ErrorCode,
    message: string,
    options?: AppErrorOptions,
  ) {
    super(message, options);
    if (options?.details) this.details = options.details;
  }
}

export class ValidationError extends AppError {
  override name = "ValidationError";

  constructor(details: readonly ErrorDetail[], message = "Request validation failed") {
    super("VALIDATION_FAILED", message, { details });
  }
}

export class InvalidJsonError extends AppError {
  override name = "InvalidJsonError";

  constructor() {
    super("INVALID_JSON", "Request body is not valid JSON");
  }
}

export class UnauthorizedError extends AppError {
  override name = "UnauthorizedError";

  constructor(message = "A valid bearer token is required", options?: ErrorOptions) {
    super("UNAUTHORIZED", message, options);
  }
}

export class ForbiddenError extends AppError {
  override name = "ForbiddenError";

  constructor(message = "You are not allowed to do this") {
    super("FORBIDDEN", message);
  }
}

export class NotFoundError extends AppError {
  override name = "NotFoundError";

  constructor(what = "Resource") {
    super("NOT_FOUND", `${what} not found`);
  }
}

export type ConflictCode =
  | "CONFLICT"
  | "INVALID_TRANSITION"
  | "MARKET_NOT_ACTIVE"
  | "MARKET_HAS_POSITIONS"
  | "IDEMPOTENCY_KEY_REUSED";

export class ConflictError extends AppError {
  override name = "ConflictError";

  constructor(message: string, code: ConflictCode = "CONFLICT", options?: ErrorOptions) {
    super(code, message, options);
  }
}

export class InvalidTransitionError extends ConflictError {
  override name = "InvalidTransitionError";

  constructor(from: string, to: string) {
    super(`Status cannot change from ${from} to ${to}`, "INVALID_TRANSITION");
  }
}

export class MarketNotActiveError extends ConflictError {
  override name = "MarketNotActiveError";

  constructor(id: string, options?: ErrorOptions) {
    super(`Market ${id} is not open for positions`, "MARKET_NOT_ACTIVE", options);
  }
}

export class MarketHasPositionsError extends ConflictError {
  override name = "MarketHasPositionsError";

  constructor(id: string) {
    super(`Market ${id} has positions and cannot be deleted`, "MARKET_HAS_POSITIONS");
  }
}

export class IdempotencyKeyReusedError extends ConflictError {
  override name = "IdempotencyKeyReusedError";

  constructor() {
    super("This Idempotency-Key was used with a different request", "IDEMPOTENCY_KEY_REUSED");
  }
}

export class PreconditionFailedError extends AppError {
  override name = "PreconditionFailedError";

  constructor(message = "The resource has changed: If-Match does not match its current ETag") {
    super("PRECONDITION_FAILED", message);
  }
}

export class PayloadTooLargeError extends AppError {
  override name = "PayloadTooLargeError";

  constructor(limit: number) {
    super("PAYLOAD_TOO_LARGE", `Request body exceeds ${limit} bytes`);
  }
}

export class UnsupportedMediaTypeError extends AppError {
  override name = "UnsupportedMediaTypeError";

  constructor() {
    super("UNSUPPORTED_MEDIA_TYPE", "Request body must be application/json");
  }
}

/** Over the caller's budget; `retryAfterSeconds` is when the current window ends. */
export class RateLimitedError extends AppError {
  override name = "RateLimitedError";

  constructor(readonly retryAfterSeconds: number) {
    super("RATE_LIMITED", "Too many requests; slow down");
  }
}

/**
 * A dependency (database, queue, identity provider, embedding model) stayed unreachable after
 * retries. The adapters raise it; `cause` is the underlying failure, for the log only.
 */
export class UnavailableError extends AppError {
  override name = "UnavailableError";

  constructor(
    message = "A dependency is temporarily unavailable; try again shortly",
    options?: ErrorOptions,
  ) {
    super("UNAVAILABLE", message, options);
  }
}
