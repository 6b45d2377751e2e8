/**
 * The environment every deployed Lambda gets: the deploy-side half of shared/config.ts. The key type
 * comes from the config schema itself, so the stack cannot set a variable the functions do not read.
 */
import type * as z from "zod/mini";
import type { Env } from "../shared/config.ts";
import type { DeploySettings } from "./settings.ts";

/** Variables shared/config.ts parses, plus the ones Powertools reads on its own. */
export type FunctionEnvironmentKey =
  | keyof z.input<typeof Env>
  | "POWERTOOLS_SERVICE_NAME"
  | "POWERTOOLS_LOG_LEVEL";
export type FunctionEnvironment = Partial<Record<FunctionEnvironmentKey, string>>;

export interface EnvironmentResources {
  readonly tableName: string;
  readonly indexQueueUrl: string;
  /** ARN of the HS256 secret (generated or given); absent with a JWKS. */
  readonly jwtSecretArn?: string;
}

/** Powertools service name: one per API, so logs and traces of all its functions group together. */
export const SERVICE_NAME = "markets-api";
/** CloudWatch namespace of the functions' EMF metrics; the dashboard graphs the same one. */
export const METRICS_NAMESPACE = "MarketsApi";

export function functionEnvironment(
  settings: DeploySettings,
  resources: EnvironmentResources,
): FunctionEnvironment {
  return {
    TABLE_NAME: resources.tableName,
    INDEX_QUEUE_URL: resources.indexQueueUrl,
    ...jwtEnvironment(settings, resources.jwtSecretArn),
    ...cacheEnvironment(settings),
    RATE_LIMIT_READS_PER_MINUTE: String(settings.rateLimitReadsPerMinute),
    RATE_LIMIT_WRITES_PER_MINUTE: String(settings.rateLimitWritesPerMinute),
    EMBEDDER: settings.embedder,
    SEARCH_ENGINE: settings.searchEngine,
    ...(settings.embedder === "bedrock" ? { BEDROCK_MODEL_ID: settings.bedrockModelId } : {}),
    ...(settings.dynamodbEndpoint ? { DYNAMODB_ENDPOINT: settings.dynamodbEndpoint } : {}),
    ...(settings.sqsEndpoint ? { SQS_ENDPOINT: settings.sqsEndpoint } : {}),
    POWERTOOLS_SERVICE_NAME: SERVICE_NAME,
    POWERTOOLS_METRICS_NAMESPACE: METRICS_NAMESPACE,
    POWERTOOLS_LOG_LEVEL: settings.logLevel,
    ...(settings.tracer ? { TRACER_ENABLED: "true" } : {}),
  };
}

/**
 * JWKS wins when both are given: it is the production path, and a leftover secret must not
 * silently keep HS256 tokens working. A secret only ever travels as its ARN: the functions read
 * the value from Secrets Manager (docs/security.md). With the sam-local endpoints, an empty
 * JWT_SECRET is declared too, since SAM can only override variables the template declares; left
 * empty it fails the cold start loudly rather than becoming a key.
 */
function jwtEnvironment(settings: DeploySettings, jwtSecretArn: string | undefined): FunctionEnvironment {
  const claims: FunctionEnvironment = {
    ...(settings.jwtIssuer ? { JWT_ISSUER: settings.jwtIssuer } : {}),
    ...(settings.jwtAudience ? { JWT_AUDIENCE: settings.jwtAudience } : {}),
    ...(settings.dynamodbEndpoint ? { JWT_SECRET: "" } : {}),
  };
  if (settings.jwtJwksUrl) return { JWT_JWKS_URL: settings.jwtJwksUrl, ...claims };
  if (jwtSecretArn) return { JWT_SECRET_ARN: jwtSecretArn, ...claims };
  return claims;
}

/**
 * The in-process cache cannot be invalidated across separate Lambda functions (an update in
 * markets-update would leave markets-get serving the old market), so deployed it is off unless a
 * shared Redis is configured: by a URL without credentials, or by a secret holding the whole URL.
 */
function cacheEnvironment(settings: DeploySettings): FunctionEnvironment {
  if (settings.redisSecretArn)
    return { CACHE_DRIVER: "redis", REDIS_URL_SECRET_ARN: settings.redisSecretArn };
  if (settings.redisUrl) return { CACHE_DRIVER: "redis", REDIS_URL: settings.redisUrl };
  return { CACHE_DRIVER: "none" };
}
