/**
 * First middleware in: fixes the request id, appends it with method, path and caller to every log
 * line, and puts `x-request-id` (plus any RateLimit-* headers) on every response, errors included.
 */
import type middy from "@middy/core";
import type { APIGatewayProxyEventV2, Context } from "aws-lambda";
import { logger } from "../logger.ts";
import { requestIdOf } from "./request-id.ts";
import { initState, stateOf } from "./request-state.ts";
import type { HttpResult } from "./response.ts";

type Request = middy.Request<APIGatewayProxyEventV2, HttpResult, Error, Context>;

export function requestContext(): middy.MiddlewareObj<APIGatewayProxyEventV2, HttpResult, Error, Context> {
  const finish = (request: Request) => {
    const state = stateOf(request.event);
    const response = request.response;
    if (!response) return;
    response.headers = { ...response.headers, ...state.responseHeaders };
    logger.info("request completed", {
      statusCode: response.statusCode,
      durationMs: Date.now() - state.startedAt,
    });
  };

  return {
    before: (request) => {
      const { event } = request;
      const requestId = requestIdOf(event);
      initState(event, requestId);
      logger.appendKeys({ requestId, method: event.requestContext.http.method, path: event.rawPath });
    },
    after: finish,
    onError: finish,
  };
}
