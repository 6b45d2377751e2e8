/**
 * Spends one unit of the caller's read or write budget. The caller is the token's subject, or the
 * source IP that API Gateway reports (never a client header such as X-Forwarded-For).
 *
 * A write waits for the decision before anything runs: a write cannot be undone. A read (GET, HEAD)
 * runs beside the limiter and the decision is applied to its answer: a read can be discarded, so a
 * denied read is still a 429 with nothing of the read in it, and the limiter's round trip no longer
 * comes before the read's.
 */
import type middy from "@middy/core";
import type { APIGatewayProxyEventV2, Context } from "aws-lambda";
import { RateLimitedError } from "../errors.ts";
import type { Budget, RateLimitDecision, RateLimiter } from "../services/rate-limiter.ts";
import { stateOf } from "./request-state.ts";
import type { HttpResult } from "./response.ts";

export function rateLimit(
  limiter: () => RateLimiter,
): middy.MiddlewareObj<APIGatewayProxyEventV2, HttpResult, Error, Context> {
  const pending = new WeakMap<APIGatewayProxyEventV2, Promise<RateLimitDecision>>();

  /** Put the decision's headers on the response; a denial is a 429. */
  const apply = (event: APIGatewayProxyEventV2, decision: RateLimitDecision) => {
    const headers = {
      "RateLimit-Limit": String(decision.limit),
      "RateLimit-Remaining": String(decision.remaining),
      "RateLimit-Reset": String(decision.resetSeconds),
    };
    Object.assign(stateOf(event).responseHeaders, headers);
    if (!decision.allowed) throw new RateLimitedError(decision.resetSeconds, headers);
  };

  /** The decision of a read that ran beside the limiter, applied once. */
  const settle = async (event: APIGatewayProxyEventV2) => {
    const decision = pending.get(event);
    if (!decision) return;
    pending.delete(event);
    apply(event, await decision);
  };

  return {
    before: async ({ event }) => {
      const state = stateOf(event);
      const caller = state.caller ? `user:${state.caller.id}` : `ip:${event.requestContext.http.sourceIp}`;
      const method = event.requestContext.http.method;
      const budget: Budget = method === "GET" || method === "HEAD" ? "read" : "write";
      // consume() never rejects (the limiter fails open), so an unawaited decision cannot go unhandled.
      const decision = limiter().consume(caller, budget);
      if (budget === "read") pending.set(event, decision);
      else apply(event, await decision);
    },
    after: ({ event }) => settle(event),
    onError: async (request) => {
      try {
        await settle(request.event);
      } catch (denied) {
        // Over the limit, the read's own error (a 404, a 401) is discarded like its answer would be.
        request.error = denied as Error;
      }
    },
  };
}
