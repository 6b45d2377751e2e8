/**
 * The handler factory. A handler declares its contract (permission, schemas) and one function;
 * the factory wraps it in the middleware stack in the order API.md prescribes:
 * request id + logger → error envelope → body size/media type/JSON (recorded) → token (recorded)
 * → rate limit (counts every request, bad ones included, against the token's sub or the source IP)
 * → the recorded body error, then the recorded token error → role permission → validation of path,
 * query and body → the handler.
 */
import { injectLambdaContext } from "@aws-lambda-powertools/logger/middleware";
import middy from "@middy/core";
import httpErrorHandler from "@middy/http-error-handler";
import type { APIGatewayProxyEventV2, Context } from "aws-lambda";
import type { Caller, Permission } from "../auth/permissions.ts";
import { metricsRecorder, rateLimiter, tokenVerifier, tracing } from "../container.ts";
import { EmptyQuery } from "../domain/schemas.ts";
import { logger } from "../logger.ts";
import { authenticate } from "./authenticate.ts";
import { authorize } from "./authorize.ts";
import { deferredRejection } from "./deferred-rejection.ts";
import { errorEnvelope, INTERNAL_MESSAGE } from "./error-envelope.ts";
import { jsonBody } from "./json-body.ts";
import { rateLimit } from "./rate-limit.ts";
import { requestContext } from "./request-context.ts";
import { requestMetrics } from "./request-metrics.ts";
import { stateOf } from "./request-state.ts";
import type { HttpResult } from "./response.ts";
import { parseOrThrow, queryOf, type Schema } from "./validate.ts";

export interface HandlerSpec<P, Q, B> {
  /** Needed permission; omit for public routes (a token is then optional). */
  permission?: Permission;
  params?: Schema<P>;
  /** Defaults to "no query parameters allowed". */
  query?: Schema<Q>;
  body?: Schema<B>;
  /** Health and the OpenAPI document are not rate limited. */
  rateLimited?: boolean;
  /** Honour `Idempotency-Key`: a repeat returns the first response and writes nothing. */
  idempotent?: boolean;
}

export interface HandlerInput<P, Q, B, C extends Caller | undefined = Caller | undefined> {
  params: P;
  query: Q;
  body: B;
  /** Always present on routes that need a permission; optional on public routes. */
  caller: C;
  headers: Readonly<Record<string, string | undefined>>;
  requestId: string;
  event: APIGatewayProxyEventV2;
}

type Lambda = (event: APIGatewayProxyEventV2, context: Context) => Promise<HttpResult>;

/** Build a Lambda handler for one route. */
export function httpHandler<
  P = undefined,
  Q = Record<string, never>,
  B = undefined,
  R extends Permission | undefined = undefined,
>(
  spec: HandlerSpec<P, Q, B> & { permission?: R },
  fn: (
    input: HandlerInput<P, Q, B, R extends Permission ? Caller : Caller | undefined>,
  ) => Promise<HttpResult>,
): Lambda {
  // Middy races the handler against the Lambda's remaining time and, 500 ms before the end, throws
  // a TimeoutError, which the error envelope answers as 503 UNAVAILABLE (a transient failure): a
  // stalled dependency still gets the documented envelope instead of API Gateway's bare error.
  const stack = middy<APIGatewayProxyEventV2, HttpResult, Error, Context>({ timeoutEarlyInMillis: 500 })
    // Last line of defence: answers if anything below fails while building the error response.
    .use(
      httpErrorHandler({
        logger: false,
        fallbackMessage: JSON.stringify({ success: false, error: INTERNAL_MESSAGE, code: "INTERNAL" }),
      }),
    )
    // Outside the error envelope: counts each request by the status it finally answers with.
    .use(requestMetrics(metricsRecorder))
    .use(injectLambdaContext(logger, { resetKeys: true }))
    .use(requestContext())
    // A no-op unless TRACER_ENABLED; then it loads the tracer once, before the first SDK call.
    .use({ before: () => tracing() })
    .use(errorEnvelope())
    .use(jsonBody(Boolean(spec.body)))
    .use(authenticate(tokenVerifier));
  if (spec.rateLimited !== false) stack.use(rateLimit(rateLimiter));
  stack.use(deferredRejection()).use(authorize(spec.permission));

  return stack.handler(async (event, context) => {
    const state = stateOf(event);
    const input = {
      params: spec.params
        ? parseOrThrow(spec.params, event.pathParameters ?? {}, "path parameters")
        : (undefined as P),
      query: parseOrThrow((spec.query ?? EmptyQuery) as Schema<Q>, queryOf(event), "query"),
      body: spec.body ? parseOrThrow(spec.body, state.body, "body") : (undefined as B),
      caller: state.caller,
      headers: event.headers ?? {},
      requestId: state.requestId,
      event,
    } as HandlerInput<P, Q, B, R extends Permission ? Caller : Caller | undefined>;
    const header = spec.idempotent ? event.headers?.["idempotency-key"] : undefined;
    if (header === undefined || !state.caller) return fn(input);
    // Loaded on first use: requests without the header never pay for Powertools Idempotency.
    const { idempotencyKeyOf, runIdempotent } = await import("./idempotency.ts");
    return runIdempotent({
      key: idempotencyKeyOf(header),
      // The request path, not the route template: one key on two markets is two requests, never a replay
      // of the first market's answer for the second.
      route: `${event.requestContext.http.method} ${event.rawPath}`,
      callerId: state.caller.id,
      body: state.body,
      context,
      run: () => fn(input),
    });
  }) as unknown as Lambda;
}
