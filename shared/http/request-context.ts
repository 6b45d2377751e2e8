/**
 * First middleware in: opens the request's scope (id, request-bound logger, response headers),
 * puts `x-request-id` and any RateLimit-* headers on every answer, errors included, and logs one
 * completion line per request.
 */
import type { Logger } from "@aws-lambda-powertools/logger";
import { requestIdOf } from "./request-id.ts";
import { RequestLog } from "./request-log.ts";
import type { HttpMiddleware, HttpRequest } from "./request-scope.ts";

export function requestContext(logger: Logger): HttpMiddleware {
  let coldStart = true;
  const finish = (request: HttpRequest) => {
    const response = request.response;
    const scope = request.internal.scope;
    if (!response || !scope) return;
    response.headers = { ...response.headers, ...scope.responseHeaders };
    scope.log.info("request completed", {
      statusCode: response.statusCode,
      durationMs: Date.now() - scope.startedAt,
    });
  };

  return {
    before: (request) => {
      const { event, context } = request;
      const requestId = requestIdOf(event);
      const log = new RequestLog(logger, {
        requestId,
        method: event.requestContext.http.method,
        path: event.rawPath,
        function_request_id: context.awsRequestId,
        cold_start: coldStart,
      });
      coldStart = false;
      request.internal.scope = {
        requestId,
        startedAt: Date.now(),
        log,
        responseHeaders: { "x-request-id": requestId },
      };
    },
    after: finish,
    onError: finish,
  };
}
