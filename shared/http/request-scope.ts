/**
 * What the middlewares of one request share, kept in Middy's `request.internal` (a fresh object per
 * invocation), and what the handler function receives. Nothing here lives in module state.
 */
import type middy from "@middy/core";
import type { APIGatewayProxyEventV2, Context } from "aws-lambda";
import type { Caller } from "../auth/permissions.ts";
import type { RequestLog } from "./request-log.ts";
import type { HttpResult } from "./response.ts";

export interface RequestScope {
  readonly requestId: string;
  readonly startedAt: number;
  readonly log: RequestLog;
  /** Headers every answer of this request carries, success or error (x-request-id, RateLimit-*). */
  readonly responseHeaders: Record<string, string>;
}

export type HttpRequest = middy.Request<APIGatewayProxyEventV2, HttpResult, Error, Context, RequestInternal>;
export type HttpMiddleware = middy.MiddlewareObj<
  APIGatewayProxyEventV2,
  HttpResult,
  Error,
  Context,
  RequestInternal
>;

export interface RequestInternal {
  scope?: RequestScope;
  [key: string]: unknown;
}

/** The scope request-context.ts opened; every later middleware can rely on it. */
export function scopeOf(request: HttpRequest): RequestScope {
  const scope = request.internal.scope;
  if (!scope) throw new Error("request scope is missing: requestContext() must be the first middleware");
  return scope;
}

/** What a route's function is called with: the admitted, validated request. */
export interface HandlerInput<P, Q, B, C extends Caller | undefined = Caller | undefined> {
  readonly params: P;
  readonly query: Q;
  readonly body: B;
  /** Present on every route that needs a permission; optional on public routes. */
  readonly caller: C;
  readonly headers: Readonly<Record<string, string | undefined>>;
  readonly requestId: string;
  readonly log: RequestLog;
  readonly event: APIGatewayProxyEventV2;
  /**
   * Resolves once the rate limiter has allowed the request, throws its 429 otherwise. Admission has
   * already waited on every write route except those declared `rateLimitAwaitedBy: "function"`,
   * whose function calls this before its first write.
   */
  readonly beforeWrite: () => Promise<void>;
}
