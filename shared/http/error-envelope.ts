/**
 * Turns any error into API.md's error envelope through the code → status table. Client errors show
 * their message; a server-side failure is logged with its stack and answered with a generic message,
 * so no stack trace, DynamoDB expression or table name ever reaches a client.
 */
import { httpErrorOf } from "./error-status.ts";
import type { HttpMiddleware } from "./request-scope.ts";
import { json } from "./response.ts";

export function errorEnvelope(): HttpMiddleware {
  return {
    onError: (request) => {
      const scope = request.internal.scope;
      const answer = httpErrorOf(request.error);
      if (answer.status === 500) scope?.log.error("unhandled error", { error: request.error ?? "unknown" });
      else if (answer.status === 503) scope?.log.error("dependency unavailable", { error: request.error });
      else scope?.log.info("request rejected", { code: answer.code, status: answer.status });
      request.response = json(
        answer.status,
        {
          success: false,
          error: answer.message,
          code: answer.code,
          ...(answer.details ? { details: answer.details } : {}),
          requestId: scope?.requestId ?? request.event.requestContext?.requestId,
        },
        { ...answer.headers },
      );
    },
  };
}
