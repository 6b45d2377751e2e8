/**
 * The handler factory. A route's declaration and one function become a Lambda handler wrapped in
 * the middleware stack, in the order API.md prescribes:
 *
 *   request context (id, request-bound log, response headers) → request metrics → tracer →
 *   error envelope → admission
 *   (body → token → rate limit → permission → validation, admission.ts) → idempotency → the function
 *
 * Its collaborators (token verifier, rate limiter, idempotency store, logger) come from the
 * composition root as lazy factories, so a cold start builds only what its first request needs.
 */
import type { Logger } from "@aws-lambda-powertools/logger";
import middy from "@middy/core";
import httpErrorHandler from "@middy/http-error-handler";
import type { APIGatewayProxyEventV2, Context } from "aws-lambda";
import type { Caller, Permission } from "../auth/permissions.ts";
import { UnavailableError } from "../errors.ts";
import type { MetricsRecorder } from "../metrics/metrics-recorder.ts";
import type { RouteDeclaration } from "../routes/route.ts";
import { type AdmissionDeps, admission, admittedOf } from "./admission.ts";
import { errorEnvelope } from "./error-envelope.ts";
import { INTERNAL_MESSAGE } from "./error-status.ts";
import type { IdempotencyStore } from "./idempotency.ts";
import { requestContext } from "./request-context.ts";
import { requestMetrics } from "./request-metrics.ts";
import type { HandlerInput, RequestInternal } from "./request-scope.ts";
import type { HttpResult } from "./response.ts";

export interface HttpCollaborators extends AdmissionDeps {
  /** Loaded on first use: requests without `Idempotency-Key` never pay for Powertools Idempotency. */
  readonly idempotencyStore: () => Promise<IdempotencyStore>;
  readonly logger: Logger;
  /** Requests by route and status class; none recorded when omitted (built on the first datapoint). */
  readonly metrics?: () => MetricsRecorder;
  /** Starts the tracer before the first SDK call; omitted or a no-op when tracing is off. */
  readonly tracing?: () => Promise<void>;
}

export type Lambda = (event: APIGatewayProxyEventV2, context: Context) => Promise<HttpResult>;

export type RouteFunction<P, Q, B, R extends Permission | undefined> = (
  input: HandlerInput<P, Q, B, R extends Permission ? Caller : Caller | undefined>,
) => Promise<HttpResult>;

/** How long before the Lambda's own timeout a stalled request is answered with a 503. */
const TIMEOUT_EARLY_MS = 500;

/** Build the Lambda handler of one route. */
export function createHttpHandler<P, Q, B, R extends Permission | undefined>(
  route: RouteDeclaration<P, Q, B> & { permission?: R },
  fn: RouteFunction<P, Q, B, R>,
  deps: HttpCollaborators,
): Lambda {
  const declaration = route as RouteDeclaration;
  const stack = middy<APIGatewayProxyEventV2, HttpResult, Error, Context, RequestInternal>({
    // Middy races the function against the Lambda's remaining time: a stalled dependency still gets
    // the documented 503 envelope instead of API Gateway's bare timeout error.
    timeoutEarlyInMillis: TIMEOUT_EARLY_MS,
    timeoutEarlyResponse: () => {
      throw new UnavailableError("The request took too long; try again shortly");
    },
  })
    // Last line of defence: answers if anything below fails while building the error response.
    .use(
      httpErrorHandler({
        logger: false,
        fallbackMessage: JSON.stringify({ success: false, error: INTERNAL_MESSAGE, code: "INTERNAL" }),
      }),
    )
    .use(requestContext(deps.logger))
    // Outside the error envelope: counts each request by the status it finally answers with.
    .use(deps.metrics ? [requestMetrics(deps.metrics)] : [])
    // A no-op unless TRACER_ENABLED; then it loads the tracer once, before the first SDK call.
    .use(deps.tracing ? [{ before: deps.tracing }] : [])
    .use(errorEnvelope())
    .use(admission(declaration, deps));

  return stack.handler(async (_event, context) => {
    const { input, idempotencyKey } = admittedOf(context);
    const run = () => fn(input as HandlerInput<P, Q, B, R extends Permission ? Caller : Caller | undefined>);
    if (idempotencyKey === undefined || !input.caller) return run();
    const store = await deps.idempotencyStore();
    return store.run({
      callerId: input.caller.id,
      // The route template and its decoded parameters: one key on two markets is two requests, and
      // `/api/markets/%30…` is the same market as `/api/markets/0…`.
      scope: `${declaration.method} ${declaration.path} ${JSON.stringify(input.params ?? {})}`,
      key: idempotencyKey,
      body: input.body,
      context,
      run,
    });
  }) as unknown as Lambda;
}
