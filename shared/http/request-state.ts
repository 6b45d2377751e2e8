/**
 * What the middlewares learn about one request (its id, the caller, headers to add to the response),
 * kept beside the event so each middleware can read what an earlier one found.
 */
import type { APIGatewayProxyEventV2 } from "aws-lambda";
import type { Caller } from "../auth/permissions.ts";
import type { AppError } from "../errors.ts";

export interface RequestState {
  requestId: string;
  startedAt: number;
  caller?: Caller;
  /**
   * A body that failed the size, media type or JSON checks: answered only after the rate limiter has
   * counted the request, and before `authError` (API.md's order).
   */
  bodyError?: AppError;
  /**
   * A token that failed verification (401), or could not be verified because the identity provider
   * is unreachable (503): answered only after the rate limiter has counted it.
   */
  authError?: AppError;
  /** Parsed JSON body, when the route takes one. */
  body?: unknown;
  /** Headers every response of this request carries, success or error (x-request-id, RateLimit-*). */
  responseHeaders: Record<string, string>;
}

const states = new WeakMap<APIGatewayProxyEventV2, RequestState>();

export function initState(event: APIGatewayProxyEventV2, requestId: string): RequestState {
  const state: RequestState = {
    requestId,
    startedAt: Date.now(),
    responseHeaders: { "x-request-id": requestId },
  };
  states.set(event, state);
  return state;
}

export function stateOf(event: APIGatewayProxyEventV2): RequestState {
  const state = states.get(event);
  if (!state) throw new Error("request state is missing: requestContext() must run first");
  return state;
}
