/**
 * Composition root. Each dependency is its own lazily built singleton (one per execution
 * environment), exported separately and marked pure, so a handler bundle contains, and a cold
 * start builds, only what that handler reaches. A single `services()` object would drag every
 * service, client and adapter into every Lambda.
 */
import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import { ulid } from "ulid";
import { createTokenVerifier } from "./auth/token-verifier.ts";
import type { Cache } from "./cache/cache.ts";
import { sharedMemoryCache } from "./cache/memory-cache.ts";
import { RedisCache } from "./cache/redis-cache.ts";
import { config } from "./config.ts";
import { logger } from "./logger.ts";
import type { MetricsRecorder } from "./metrics/metrics-recorder.ts";
import { PowertoolsMetricsRecorder } from "./metrics/powertools-metrics.ts";
import { CachedMarketRepository } from "./repositories/cached-market-repository.ts";
import { CachedPositionRepository } from "./repositories/cached-position-repository.ts";
import { DynamoMarketRepository } from "./repositories/dynamo-market-repository.ts";
import { DynamoPositionRepository } from "./repositories/dynamo-position-repository.ts";
import { DynamoRateLimitStore } from "./repositories/dynamo-rate-limit-store.ts";
import { DynamoUserRepository } from "./repositories/dynamo-user-repository.ts";
import type { MarketRepository } from "./repositories/market-repository.ts";
import type { PositionRepository } from "./repositories/position-repository.ts";
import { CreatorDirectory } from "./services/creator-directory.ts";
import { IndexScheduler } from "./services/index-scheduler.ts";
import { MarketService } from "./services/market-service.ts";
import { PositionService } from "./services/position-service.ts";
import { Profiles } from "./services/profiles.ts";
import { RateLimiter } from "./services/rate-limiter.ts";
import { once } from "./util/once.ts";
import { sdkRequestHandler } from "./util/sdk-timeouts.ts";

export const dynamoClient = /* @__PURE__ */ once(() => {
  const { AWS_REGION, DYNAMODB_ENDPOINT } = config();
  return new DynamoDBClient({
    region: AWS_REGION,
    ...(DYNAMODB_ENDPOINT ? { endpoint: DYNAMODB_ENDPOINT } : {}),
    // The SDK's standard mode retries throttling and 5xx with exponential backoff and jitter.
    maxAttempts: 3,
    requestHandler: sdkRequestHandler,
  });
});

export const documentClient = /* @__PURE__ */ once(() => {
  return DynamoDBDocumentClient.from(dynamoClient(), {
    marshallOptions: { removeUndefinedValues: true, convertClassInstanceToMap: false },
  });
});

const table = () => config().TABLE_NAME;

/**
 * Powertools Tracer when TRACER_ENABLED: loaded on the first request that asks, never at import,
 * so with the tracer off (the default) no X-Ray code is loaded at all.
 */
export const tracing = /* @__PURE__ */ once(async (): Promise<void> => {
  const { TRACER_ENABLED, POWERTOOLS_SERVICE_NAME } = config();
  if (!TRACER_ENABLED) return;
  try {
    const { traceClients } = await import("./tracing/powertools-tracer.ts");
    traceClients({ serviceName: POWERTOOLS_SERVICE_NAME, dynamo: dynamoClient() });
  } catch (error) {
    // Tracing is diagnostics: requests go on untraced rather than fail.
    logger.warn("Powertools Tracer could not start", { error });
  }
});

/** CloudWatch metrics as EMF on stdout: no client, nothing built before the first datapoint. */
export const metricsRecorder = /* @__PURE__ */ once((): MetricsRecorder => {
  const { POWERTOOLS_METRICS_NAMESPACE, POWERTOOLS_SERVICE_NAME } = config();
  return new PowertoolsMetricsRecorder({
    namespace: POWERTOOLS_METRICS_NAMESPACE,
    serviceName: POWERTOOLS_SERVICE_NAME,
  });
});

export const tokenVerifier = /* @__PURE__ */ once(() => {
  const { JWT_SECRET, JWT_JWKS_URL, JWT_ISSUER, JWT_AUDIENCE } = config();
  return createTokenVerifier({
    secret: JWT_SECRET,
    jwksUrl: JWT_JWKS_URL,
    issuer: JWT_ISSUER,
    audience: JWT_AUDIENCE,
  });
});

export const rateLimiter = /* @__PURE__ */ once(() => {
  const { RATE_LIMIT_READS_PER_MINUTE, RATE_LIMIT_WRITES_PER_MINUTE, RATE_LIMIT_ENABLED } = config();
  if (!RATE_LIMIT_ENABLED) logger.warn("rate limiting is disabled by RATE_LIMIT_ENABLED=false");
  return new RateLimiter({
    store: RATE_LIMIT_ENABLED
      ? new DynamoRateLimitStore({ table: table(), db: documentClient() })
      : { hit: async () => 0 },
    limits: { read: RATE_LIMIT_READS_PER_MINUTE, write: RATE_LIMIT_WRITES_PER_MINUTE },
  });
});

export const cache = /* @__PURE__ */ once((): Cache | undefined => {
  const { CACHE_DRIVER, REDIS_URL, CACHE_TTL_SECONDS, CACHE_MAX_ENTRIES } = config();
  if (CACHE_DRIVER === "redis" && REDIS_URL)
    return new RedisCache({ url: REDIS_URL, ttlSeconds: CACHE_TTL_SECONDS });
  if (CACHE_DRIVER === "memory")
    return sharedMemoryCache({ ttlSeconds: CACHE_TTL_SECONDS, maxEntries: CACHE_MAX_ENTRIES });
  return undefined;
});

export const marketRepository = /* @__PURE__ */ once((): MarketRepository => {
  const inner = new DynamoMarketRepository({ table: table(), db: documentClient() });
  const store = cache();
  return store ? new CachedMarketRepository({ inner, cache: store }) : inner;
});

export const userRepository = /* @__PURE__ */ once(
  () => new DynamoUserRepository({ table: table(), db: documentClient() }),
);

export const positionRepository = /* @__PURE__ */ once((): PositionRepository => {
  const inner = new DynamoPositionRepository({ table: table(), db: documentClient() });
  const store = cache();
  return store ? new CachedPositionRepository({ inner, cache: store }) : inner;
});

const creators = /* @__PURE__ */ once(() => new CreatorDirectory({ users: userRepository() }));
/** User profiles: created on first write (services) and renamed by PUT /api/me. */
export const profiles = /* @__PURE__ */ once(() => new Profiles({ users: userRepository() }));
// The SQS client is imported on first use only, so read-only bundles never load it.
const indexScheduler = /* @__PURE__ */ once(
  () =>
    new IndexScheduler({
      jobs: () => import("./queue/sqs-client.ts").then((module) => module.sqsIndexJobs()),
    }),
);

export const marketService = /* @__PURE__ */ once(
  () =>
    new MarketService({
      markets: marketRepository(),
      positions: positionRepository(),
      creators: creators(),
      profiles: profiles(),
      indexing: indexScheduler(),
      metrics: metricsRecorder(),
      newId: ulid,
    }),
);

export const positionService = /* @__PURE__ */ once(
  () =>
    new PositionService({
      positions: positionRepository(),
      markets: marketRepository(),
      marketService: marketService(),
      directory: creators(),
      profiles: profiles(),
      metrics: metricsRecorder(),
    }),
);
