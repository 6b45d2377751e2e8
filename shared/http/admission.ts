/**
 * Admission: every check a request passes before its route's function runs, in API.md's answer
 * order, in one middleware so no check hands state to another through the side door:
 *
 *   body size, media type, JSON (413, 415, 400) → token (401) → role permission (401/403)
 *   → validation of path, query and body (400)
 *
 * The rate limiter counts every request, bad ones included, against the token's subject or the
 * source IP, so a body or token failure is only recorded until the limiter has spoken. A write waits
 * for the limiter before anything runs, unless its function reads first and awaits `beforeWrite()`
 * before writing; a read starts beside it (a read can be discarded, a write cannot be undone) and a
 * denial replaces whatever the read produced.
 */
import type { Context } from "aws-lambda";
import { type Caller, hasPermission } from "../auth/permissions.ts";
import { bearerToken, type TokenVerifier } from "../auth/token-verifier.ts";
import { EmptyQuery } from "../domain/schemas.ts";
import { AppError, ForbiddenError, RateLimitedError, UnauthorizedError } from "../errors.ts";
import type { RouteDeclaration } from "../routes/route.ts";
import type { Budget, RateLimitDecision } from "../services/rate-limiter.ts";
import { readJsonBody } from "./json-body.ts";
import { type HandlerInput, type HttpMiddleware, type HttpRequest, scopeOf } from "./request-scope.ts";
import { idempotencyKeyOf, parseOrThrow, queryOf } from "./validate.ts";

/** The limiter as admission sees it. */
export interface RateLimitPort {
  consume(caller: string, budget: Budget): Promise<RateLimitDecision>;
}

export interface AdmissionDeps {
  readonly tokenVerifier: () => TokenVerifier;
  readonly rateLimiter: () => RateLimitPort;
}

/** What admission adds to the request, beside the validated input. */
export interface Admitted {
  readonly input: HandlerInput<unknown, unknown, unknown>;
  /** The validated `Idempotency-Key`, on idempotent routes that received one from a caller. */
  readonly idempotencyKey?: string;
}

// Middy hands the handler function only (event, context); like Middy's own `setToContext`
// middlewares, admission passes its result on the invocation's context object, which is new for
// every invocation.
const ADMITTED = Symbol("admitted");

/** The admitted request, for the route's function. */
export function admittedOf(context: Context): Admitted {
  const admitted = (context as Context & { [ADMITTED]?: Admitted })[ADMITTED];
  if (!admitted) throw new Error("admission() did not run for this invocation");
  return admitted;
}

export function admission(route: RouteDeclaration, deps: AdmissionDeps): HttpMiddleware {
  const settle = async (request: HttpRequest): Promise<void> => {
    const pending = request.internal.rateLimit as Promise<RateLimitDecision> | undefined;
    if (!pending) return;
    request.internal.rateLimit = undefined;
    const decision = await withinDeadline(pending, request);
    // The limiter did not answer while the invocation could still answer itself: it fails open,
    // as it does on an outage, rather than turning a finished request into a Lambda timeout.
    if (!decision) return;
    Object.assign(scopeOf(request).responseHeaders, {
      "RateLimit-Limit": String(decision.limit),
      "RateLimit-Remaining": String(decision.remaining),
      "RateLimit-Reset": String(decision.resetSeconds),
    });
    if (!decision.allowed) throw new RateLimitedError(decision.resetSeconds);
  };

  return {
    before: async (request) => {
      const { event } = request;
      const scope = scopeOf(request);
      const body = route.body ? readJsonBody(event) : {};
      const { caller, authError } = await verify(event.headers?.authorization, deps.tokenVerifier);
      if (caller) scope.log.append({ userId: caller.id });

      if (route.rateLimit !== "none") {
        const subject = caller ? `user:${caller.id}` : `ip:${event.requestContext.http.sourceIp}`;
        const decision = deps.rateLimiter().consume(subject, route.rateLimit);
        // Marked handled now: a read may still be running when a rejection lands; settle() awaits it.
        decision.catch(() => {});
        request.internal.rateLimit = decision;
        if (route.rateLimit === "write" && route.rateLimitAwaitedBy !== "function") await settle(request);
      }
      const rejection = body.error ?? authError;
      if (rejection) throw rejection;
      assertPermitted(route, caller);

      const input: HandlerInput<unknown, unknown, unknown> = {
        params: route.params
          ? parseOrThrow(route.params, event.pathParameters ?? {}, "path parameters")
          : undefined,
        query: parseOrThrow(route.query ?? EmptyQuery, queryOf(event), "query"),
        body: route.body ? parseOrThrow(route.body, body.value, "body") : undefined,
        caller,
        headers: event.headers ?? {},
        requestId: scope.requestId,
        log: scope.log,
        event,
        beforeWrite: () => settle(request),
      };
      const header = route.idempotent && caller ? event.headers?.["idempotency-key"] : undefined;
      const admitted: Admitted =
        header === undefined ? { input } : { input, idempotencyKey: idempotencyKeyOf(header) };
      Object.defineProperty(request.context, ADMITTED, { value: admitted, configurable: true });
    },
    after: settle,
    // A denial answers instead of whatever error the request met after the limiter was asked.
    onError: async (request) => {
      try {
        await settle(request);
      } catch (error) {
        request.error = error as Error;
      }
    },
  };
}

/** What must stay of the invocation's time for the answer itself (Middy answers 500 ms early). */
const ANSWER_MARGIN_MS = 750;

/** The limiter's decision, or undefined when it would come too late to answer with it. */
async function withinDeadline(
  pending: Promise<RateLimitDecision>,
  request: HttpRequest,
): Promise<RateLimitDecision | undefined> {
  const remaining = request.context.getRemainingTimeInMillis?.();
  if (remaining === undefined) return pending;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const late = new Promise<undefined>((resolve) => {
    timer = setTimeout(() => resolve(undefined), Math.max(0, remaining - ANSWER_MARGIN_MS));
  });
  try {
    return await Promise.race([pending, late]);
  } finally {
    clearTimeout(timer);
  }
}

async function verify(
  header: string | undefined,
  verifier: () => TokenVerifier,
): Promise<{ caller?: Caller; authError?: AppError }> {
  try {
    const token = bearerToken(header);
    return token === undefined ? {} : { caller: await verifier()(token) };
  } catch (error) {
    // A token that was sent but is invalid is a 401 even on public routes: treating the caller as
    // anonymous would hide an expired session from the client.
    if (error instanceof AppError) return { authError: error };
    throw error;
  }
}

function assertPermitted(route: RouteDeclaration, caller: Caller | undefined): void {
  if (route.permission === undefined) return;
  if (!caller) throw new UnauthorizedError();
  if (!hasPermission(caller.role, route.permission)) {
    throw new ForbiddenError(`The ${caller.role} role lacks the ${route.permission} permission`);
  }
}
