/**
 * Answers what the earlier middlewares found wrong but held back: a bad body (413, 415, 400
 * INVALID_JSON), then a token that failed verification (401, or 503 when the identity provider was
 * unreachable). They run before the rate limiter so that it knows the caller, and are thrown only
 * here, after it, so every such request is counted and carries the RateLimit-* headers. The body
 * error goes first, as API.md orders the checks.
 */
import type middy from "@middy/core";
import type { APIGatewayProxyEventV2, Context } from "aws-lambda";
import { stateOf } from "./request-state.ts";
import type { HttpResult } from "./response.ts";

export function deferredRejection(): middy.MiddlewareObj<APIGatewayProxyEventV2, HttpResult, Error, Context> {
  return {
    before: ({ event }) => {
      const state = stateOf(event);
      // A token that was sent but is invalid is a 401 even on public routes: silently treating the
      // caller as anonymous would hide an expired session from the client.
      const rejection = state.bodyError ?? state.authError;
      if (rejection) throw rejection;
    },
  };
}
