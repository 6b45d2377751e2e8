/**
 * Spends one unit of the caller's read or write budget. The caller is the token's subject, or the
 * source IP that API Gateway reports (never a client header such as X-Forwarded-For).
 */
import type middy from "@middy/core";
import type { APIGatewayProxyEventV2, Context } from "aws-lambda";
import { RateLimitedError } from "../errors.ts";
import type { Budget, RateLimiter } from "../services/rate-limiter.ts";
import { stateOf } from "./request-state.ts";
import type { HttpResult } from "./response.ts";

export function rateLimit(
  limiter: () => RateLimiter,
): middy.MiddlewareObj<APIGatewayProxyEventV2, HttpResult, Error, Context> {
  return {
    before: async ({ event }) => {
      const state = stateOf(event);
      const caller = state.caller ? `user:${state.caller.id}` : `ip:${event.requestContext.http.sourceIp}`;
      const method = event.requestContext.http.method;
      const budget: Budget = method === "GET" || method === "HEAD" ? "read" : "write";
      const decision = await limiter().consume(caller, budget);
      const headers = {
        "RateLimit-Limit": String(decision.limit),
        "RateLimit-Remaining": String(decision.remaining),
        "RateLimit-Reset": String(decision.resetSeconds),
      };
      Object.assign(state.responseHeaders, headers);
      if (!decision.allowed) throw new RateLimitedError(decision.resetSeconds, headers);
    },
  };
}
