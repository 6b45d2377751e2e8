/**
 * Whether an error is a connection that failed or dropped (Node's socket and DNS codes), looking
 * through the wrappers fetch and happy-eyeballs connects put around it (`cause`, AggregateError).
 */
const NETWORK_CODES = new Set([
  "ECONNREFUSED",
  "ECONNRESET",
  "ECONNABORTED",
  "ETIMEDOUT",
  "EPIPE",
  "EAI_AGAIN",
  "ENETUNREACH",
  "EHOSTUNREACH",
]);

export function isNetworkFailure(error: unknown, depth = 0): boolean {
  if (typeof error !== "object" || error === null) return false;
  const { code, cause, errors } = error as { code?: unknown; cause?: unknown; errors?: unknown };
  if (typeof code === "string" && NETWORK_CODES.has(code)) return true;
  // A shallow look suffices and keeps a cyclic cause chain from looping.
  if (depth >= 3) return false;
  if (isNetworkFailure(cause, depth + 1)) return true;
  return Array.isArray(errors) && errors.some((inner) => isNetworkFailure(inner, depth + 1));
}
