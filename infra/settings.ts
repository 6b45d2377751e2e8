/**
 * Deploy-time settings, read from CDK context (`cdk.json` or `-c key=value`). Every knob the stack
 * exposes is parsed here, once, so a typo or a bad value fails `cdk synth` with a message naming the
 * key, instead of producing a template whose Lambdas fail at cold start.
 */
import { RetentionDays } from "aws-cdk-lib/aws-logs";

export type Embedder = "local" | "bedrock";

export interface DeploySettings {
  /** `prod` retains the table, log groups and refuses dev shortcuts; anything else is disposable. */
  readonly stage: string;
  readonly isProd: boolean;
  /** HS256 secret (dev convenience: it ends up in the function configuration). */
  readonly jwtSecret?: string;
  /** RS256/ES256 through a JWKS (e.g. Cognito); the recommended way for prod. */
  readonly jwtJwksUrl?: string;
  readonly jwtIssuer?: string;
  readonly jwtAudience?: string;
  /** A shared cache; without it the cache is off (see functionEnvironment for why). */
  readonly redisUrl?: string;
  readonly rateLimitReadsPerMinute: number;
  readonly rateLimitWritesPerMinute: number;
  readonly embedder: Embedder;
  readonly bedrockModelId: string;
  readonly logLevel: "DEBUG" | "INFO" | "WARN" | "ERROR";
  readonly logRetention: RetentionDays;
  /** API Gateway stage throttling, requests per second (steady) and burst. */
  readonly throttleRateLimit: number;
  readonly throttleBurstLimit: number;
  readonly corsOrigins: readonly string[];
  /** Upper bound of concurrent worker invocations, so indexing cannot starve the API of table capacity. */
  readonly workerMaxConcurrency: number;
  /** Powertools Tracer subsegments for SDK calls (off by default; X-Ray active tracing is always on). */
  readonly tracer: boolean;
  /** SNS topic the alarms notify; without it the alarms only change state in the console. */
  readonly alarmTopicArn?: string;
  /**
   * Only for `sam local`: SAM can override an environment variable only if the template declares it,
   * so these put the endpoint variables into the template. Refused for prod.
   */
  readonly dynamodbEndpoint?: string;
  readonly sqsEndpoint?: string;
}

/** Context keys, documented in docs/sam-local.md and the README. */
export const CONTEXT_KEYS = [
  "stage",
  "jwtSecret",
  "jwtJwksUrl",
  "jwtIssuer",
  "jwtAudience",
  "redisUrl",
  "rateLimitReadsPerMinute",
  "rateLimitWritesPerMinute",
  "embedder",
  "bedrockModelId",
  "logLevel",
  "logRetentionDays",
  "throttleRateLimit",
  "throttleBurstLimit",
  "corsOrigins",
  "workerMaxConcurrency",
  "alarmTopicArn",
  "tracer",
  "dynamodbEndpoint",
  "sqsEndpoint",
] as const;
export type ContextKey = (typeof CONTEXT_KEYS)[number];

/** Titan Text Embeddings v2, the model shared/search/bedrock-embedder.ts defaults to. */
export const DEFAULT_BEDROCK_MODEL_ID = "amazon.titan-embed-text-v2:0";

/** SQS event source mappings accept a maximum concurrency of 2 to 1000. */
function workerMaxConcurrency(value: number): number {
  if (value < 2 || value > 1000) throw new Error('Context "workerMaxConcurrency" must be between 2 and 1000');
  return value;
}

/**
 * Context keys given that this app does not read. CDK's own keys (feature flags such as
 * `@aws-cdk/...`, `aws:cdk:...`) contain a `/` or `:` and are left alone; anything else is almost
 * certainly a typo (`-c jwksUrl=` for `jwtJwksUrl`) that would otherwise be silently ignored.
 */
export function unknownContextKeys(given: readonly string[]): string[] {
  const known = new Set<string>(CONTEXT_KEYS);
  return given.filter((key) => !known.has(key) && !/[/:]/.test(key));
}

/** Parse settings from a context lookup (`scope.node.tryGetContext`); throws on the first bad value. */
export function parseSettings(context: (key: ContextKey) => unknown): DeploySettings {
  const text = (key: ContextKey): string | undefined => {
    const value = context(key);
    if (value === undefined || value === null || value === "") return undefined;
    // `-c key=value` always yields a string; cdk.json may hold numbers or booleans.
    if (typeof value !== "string" && typeof value !== "number" && typeof value !== "boolean") {
      throw new Error(`Context "${key}" must be a string or a number`);
    }
    return String(value);
  };
  const positiveInt = (key: ContextKey, fallback: number): number => {
    const raw = text(key);
    if (raw === undefined) return fallback;
    const value = Number(raw);
    if (!Number.isInteger(value) || value <= 0)
      throw new Error(`Context "${key}" must be a positive integer`);
    return value;
  };
  const url = (key: ContextKey): string | undefined => {
    const raw = text(key);
    if (raw !== undefined && !URL.canParse(raw)) throw new Error(`Context "${key}" must be a URL`);
    return raw;
  };
  const oneOf = <T extends string>(key: ContextKey, allowed: readonly T[], fallback: T): T => {
    const raw = text(key) ?? fallback;
    if (!allowed.includes(raw as T)) throw new Error(`Context "${key}" must be one of ${allowed.join(", ")}`);
    return raw as T;
  };

  const stage = text("stage") ?? "dev";
  if (!/^[a-z][a-z0-9-]{0,19}$/.test(stage)) throw new Error('Context "stage" must be lowercase [a-z0-9-]');
  const isProd = stage === "prod";

  const jwtSecret = text("jwtSecret");
  // Mirrors shared/config.ts, so the mistake shows at synth rather than at the first cold start.
  if (jwtSecret !== undefined && jwtSecret.length < 32) {
    throw new Error('Context "jwtSecret" must be at least 32 characters');
  }
  const jwtJwksUrl = url("jwtJwksUrl");
  if (isProd && jwtJwksUrl === undefined) {
    throw new Error(
      'Stage "prod" needs context "jwtJwksUrl" (an HS256 secret in the function environment is dev-only)',
    );
  }

  const retentionDays = positiveInt("logRetentionDays", isProd ? 90 : 14);
  if (!Object.values(RetentionDays).includes(retentionDays)) {
    throw new Error(
      `Context "logRetentionDays" must be a CloudWatch retention value (1, 3, 5, 7, 14, 30, 60, 90, ...)`,
    );
  }

  const dynamodbEndpoint = url("dynamodbEndpoint");
  const sqsEndpoint = url("sqsEndpoint");
  if (isProd && (dynamodbEndpoint || sqsEndpoint)) {
    throw new Error(
      'Contexts "dynamodbEndpoint"/"sqsEndpoint" are for sam local and not allowed on stage "prod"',
    );
  }

  return {
    stage,
    isProd,
    jwtSecret,
    jwtJwksUrl,
    jwtIssuer: text("jwtIssuer"),
    jwtAudience: text("jwtAudience"),
    redisUrl: url("redisUrl"),
    rateLimitReadsPerMinute: positiveInt("rateLimitReadsPerMinute", 100),
    rateLimitWritesPerMinute: positiveInt("rateLimitWritesPerMinute", 20),
    embedder: oneOf<Embedder>("embedder", ["local", "bedrock"], "local"),
    bedrockModelId: text("bedrockModelId") ?? DEFAULT_BEDROCK_MODEL_ID,
    logLevel: oneOf("logLevel", ["DEBUG", "INFO", "WARN", "ERROR"], "INFO"),
    logRetention: retentionDays as RetentionDays,
    throttleRateLimit: positiveInt("throttleRateLimit", 100),
    throttleBurstLimit: positiveInt("throttleBurstLimit", 200),
    corsOrigins: (text("corsOrigins") ?? "*")
      .split(",")
      .map((origin) => origin.trim())
      .filter(Boolean),
    workerMaxConcurrency: workerMaxConcurrency(positiveInt("workerMaxConcurrency", 5)),
    alarmTopicArn: text("alarmTopicArn"),
    tracer: oneOf("tracer", ["true", "false"], "false") === "true",
    dynamodbEndpoint,
    sqsEndpoint,
  };
}
