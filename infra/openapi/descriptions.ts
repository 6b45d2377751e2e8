/**
 * Words the document needs beyond the route declarations: what each tag groups, and what each
 * query parameter means wherever it appears (its schema gives the type, range and default).
 */

/** Every tag a declaration may use, in the order viewers show them. */
export const TAGS = [
  { name: "markets", description: "Create, read, change, list and delete prediction markets." },
  { name: "search", description: "Semantic search over markets, and re-indexing." },
  { name: "positions", description: "Take positions on markets and page through them." },
  { name: "me", description: "The caller's own profile and positions." },
  { name: "system", description: "Liveness and this description of the API." },
] as const;

export const QUERY_PARAMETERS: Readonly<Record<string, string>> = {
  q: "The text to search for.",
  status: "Only markets in this status. Default: every status but `draft`.",
  creatorId: "Only markets created by this user.",
  category: "Only markets in this category.",
  sort: "What the list is ordered by; `order` gives the direction.",
  order: "Default `desc`, but `asc` for `sort=closesAt`.",
  limit: "Items per page.",
  cursor: "`meta.nextCursor` of the previous page, to get the next one.",
  offset: "Items to skip, for compatibility: prefer `cursor`, and never send both.",
  fields: "Comma-separated market fields to return (`id` always comes); only those are read.",
};

/** A typical message per code, for the examples of error responses (see shared/errors.ts). */
export const EXAMPLE_MESSAGES = {
  VALIDATION_FAILED: "Validation failed",
  INVALID_JSON: "Request body is not valid JSON",
  UNAUTHORIZED: "Missing bearer token",
  FORBIDDEN: "You may not change this market",
  NOT_FOUND: "Market not found",
  CONFLICT: "The market changed meanwhile; retry",
  INVALID_TRANSITION: "Status cannot change from closed to active",
  MARKET_NOT_ACTIVE: "Market 01JD8Z6Q3V4W5X6Y7Z8A9B0C1D is not open for positions",
  MARKET_HAS_POSITIONS: "Market 01JD8Z6Q3V4W5X6Y7Z8A9B0C1D has positions and cannot be deleted",
  IDEMPOTENCY_KEY_REUSED: "This Idempotency-Key was used with a different request",
  PRECONDITION_FAILED: "If-Match does not match the current version",
  PAYLOAD_TOO_LARGE: "Request body exceeds 65536 bytes",
  UNSUPPORTED_MEDIA_TYPE: "Request body must be application/json",
  RATE_LIMITED: "Too many requests; slow down",
  INTERNAL: "Internal server error",
  UNAVAILABLE: "Service temporarily unavailable",
} as const;
