import type { APIGatewayProxyEventV2 } from "aws-lambda";

/**
 * 1–128 characters of RFC 3986's unreserved set (letters, digits, `-`, `.`, `_`, `~`): enough for
 * UUIDs, ULIDs and trace ids, and nothing that could break a log line, a header or a URL.
 */
const SAFE_TOKEN = /^[A-Za-z0-9._~-]{1,128}$/;

/** The client's `x-request-id` when it is a safe token of at most 128 characters, else API Gateway's id. */
export function requestIdOf(event: APIGatewayProxyEventV2): string {
  const incoming = event.headers?.["x-request-id"];
  return incoming && SAFE_TOKEN.test(incoming) ? incoming : event.requestContext.requestId;
}
