/**
 * `httpRoute`: the handler factory with its collaborators bound: the token verifier, the rate
 * limiter, the idempotency store (imported on first use) and the logger. Handlers call this.
 */
import type { Permission } from "../auth/permissions.ts";
import { secretsManagerValue } from "../auth/secret-value.ts";
import { createTokenVerifier } from "../auth/token-verifier.ts";
import { createHttpHandler, type Lambda, type RouteFunction } from "../http/http-handler.ts";
import { logger } from "../logger.ts";
import { METRIC } from "../metrics/metrics-recorder.ts";
import { DynamoRateLimitStore } from "../repositories/dynamo-rate-limit-store.ts";
import type { RouteDeclaration } from "../routes/route.ts";
import { RateLimiter } from "../services/rate-limiter.ts";
import { once } from "../util/once.ts";
import { documentClient, dynamoClient, table } from "./clients.ts";
import { config } from "./environment.ts";
import { metricsRecorder, tracing } from "./observability.ts";

export const tokenVerifier = /* @__PURE__ */ once(() => {
  const { JWT_SECRET, JWT_SECRET_ARN, JWT_JWKS_URL, JWT_ISSUER, JWT_AUDIENCE } = config();
  return createTokenVerifier({
    // The value itself only locally; deployed, the ARN, read on the first token (docs/security.md).
    secret: JWT_SECRET || (JWT_SECRET_ARN ? secretsManagerValue(JWT_SECRET_ARN) : undefined),
    jwksUrl: JWT_JWKS_URL,
    issuer: JWT_ISSUER,
    audience: JWT_AUDIENCE,
  });
});

export const rateLimiter = /* @__PURE__ */ once(() => {
  const {
    RATE_LIMIT_READS_PER_MINUTE,
    RATE_LIMIT_WRITES_PER_MINUTE,
    RATE_LIMIT_ENABLED,
    RATE_LIMIT_MAX_LEASE,
  } = config();
  if (!RATE_LIMIT_ENABLED) logger.warn("rate limiting is disabled by RATE_LIMIT_ENABLED=false");
  return new RateLimiter({
    store: RATE_LIMIT_ENABLED
      ? new DynamoRateLimitStore({ table: table(), db: documentClient() })
      : { hit: async () => 0 },
    limits: { read: RATE_LIMIT_READS_PER_MINUTE, write: RATE_LIMIT_WRITES_PER_MINUTE },
    maxLease: RATE_LIMIT_ENABLED ? RATE_LIMIT_MAX_LEASE : 1,
  });
});

const idempotencyStore = /* @__PURE__ */ once(() =>
  import("../repositories/dynamo-idempotency-store.ts").then(
    ({ DynamoIdempotencyStore }) =>
      new DynamoIdempotencyStore({
        table: table(),
        client: dynamoClient(),
        onReplay: () =>
          metricsRecorder().record([{ name: METRIC.idempotentReplays, unit: "Count", value: 1 }]),
      }),
  ),
);

/** A route's Lambda handler: its declaration and its function, through the middleware stack. */
export function httpRoute<P, Q, B, R extends Permission | undefined>(
  route: RouteDeclaration<P, Q, B> & { permission?: R },
  fn: RouteFunction<P, Q, B, R>,
): Lambda {
  return createHttpHandler(route, fn, {
    tokenVerifier,
    rateLimiter,
    idempotencyStore,
    logger,
    metrics: metricsRecorder,
    tracing,
  });
}
