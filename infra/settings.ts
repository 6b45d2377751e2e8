/**
 * Deploy-time settings, read from CDK context (`cdk.json` or `-c key=value`). Every knob the stack
 * exposes is parsed here, once, so a typo or a bad value fails `cdk synth` with a message naming the
 * key, instead of producing a template whose Lambdas fail at cold start.
 */
import { RetentionDays } from "aws-cdk-lib/aws-logs";

export type Embedder = "local" | "bedrock";

export interface DeploySettings {
  readonly stage: string;
  /**
   * Production protections, by intent (`-c protect=true|false`), not by the stage's name: the table
   * and log groups are retained, the table is deletion-protected, the key must be chosen deliberately
   * (a JWKS or an existing secret's ARN) and sam-local shortcuts are refused. Default: protected for
   * every stage except the disposable default `dev` (docs/security.md).
   */
  readonly protect: boolean;
  /** An existing Secrets Manager secret holding the HS256 key; without it (and a JWKS) the stack generates one. */
  readonly jwtSecretArn?: string;
  /** RS256/ES256 through a JWKS (e.g. Cognito); the recommended way for production. */
  readonly jwtJwksUrl?: string;
  readonly jwtIssuer?: string;
  readonly jwtAudience?: string;
  /** A shared cache without credentials in its URL; without it (or redisSecretArn) the cache is off. */
  readonly redisUrl?: string;
  /** A Secrets Manager secret whose value is the whole Redis URL, credentials included. */
  readonly redisSecretArn?: string;
  /** Alarm thresholds; defaults are tighter on protected stages (OperationalAlarms). */
  readonly alarms: AlarmThresholds;
  readonly rateLimitReadsPerMinute: number;
  readonly rateLimitWritesPerMinute: number;
  readonly embedder: Embedder;
  /** Where search runs (SEARCH_ENGINE): the table's vector index by default, or in the search Lambda. */
  readonly searchEngine: "dynamodb" | "in-process";
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
   * so these put the endpoint variables (and an empty JWT_SECRET to override) into the template.
   * Refused on protected stages.
   */
  readonly dynamodbEndpoint?: string;
  readonly sqsEndpoint?: string;
}

export interface AlarmThresholds {
  /** API Gateway p99 latency over 5 minutes, in milliseconds. */
  readonly latencyP99Ms: number;
  /** Share of requests answered 5xx over 5 minutes, in percent. */
  readonly api5xxPercent: number;
  /** Age of the oldest waiting index job, in seconds: search is that far behind. */
  readonly queueAgeSeconds: number;
}

/** Context keys, documented in docs/security.md, docs/sam-local.md and the README. */
export const CONTEXT_KEYS = [
  "stage",
  "protect",
  // Refused with a message (a secret value would land in the template), but known, so the
  // message is the clear one rather than "unknown context key".
  "jwtSecret",
  "jwtSecretArn",
  "jwtJwksUrl",
  "jwtIssuer",
  "jwtAudience",
  "redisUrl",
  "redisSecretArn",
  "alarmLatencyP99Ms",
  "alarmApi5xxPercent",
  "alarmQueueAgeSeconds",
  "rateLimitReadsPerMinute",
  "rateLimitWritesPerMinute",
  "embedder",
  "searchEngine",
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

/** The default stage, and the only one that is disposable unless `protect` says otherwise. */
export const DISPOSABLE_STAGE = "dev";

const SECRET_ARN = /^arn:aws[a-z-]*:secretsmanager:[a-z0-9-]+:\d{12}:secret:[\w/+=.@-]+$/;

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

  const secretArn = (key: ContextKey): string | undefined => {
    const raw = text(key);
    if (raw !== undefined && !SECRET_ARN.test(raw)) {
      throw new Error(`Context "${key}" must be a Secrets Manager secret ARN (arn:aws:secretsmanager:…)`);
    }
    return raw;
  };

  const stage = text("stage") ?? "dev";
  if (!/^[a-z][a-z0-9-]{0,19}$/.test(stage)) throw new Error('Context "stage" must be lowercase [a-z0-9-]');
  const protect =
    oneOf("protect", ["true", "false"], stage === DISPOSABLE_STAGE ? "false" : "true") === "true";

  // A secret given on the command line would be written into every function's configuration in
  // the template (and the CDK output, and CloudFormation's history): refuse it, naming the way.
  if (text("jwtSecret") !== undefined) {
    throw new Error(
      'Context "jwtSecret" is not accepted: a secret value would be written into the template. Store ' +
        "it in Secrets Manager and pass -c jwtSecretArn=arn:aws:secretsmanager:…, or omit it and the " +
        "stack generates one in Secrets Manager (docs/security.md).",
    );
  }
  const jwtSecretArn = secretArn("jwtSecretArn");
  const jwtJwksUrl = url("jwtJwksUrl");
  if (protect && jwtJwksUrl === undefined && jwtSecretArn === undefined) {
    throw new Error(
      `Stage "${stage}" is protected (context "protect", docs/security.md) and needs a deliberate key: ` +
        'context "jwtJwksUrl" (RS256/ES256, recommended) or "jwtSecretArn" (an HS256 secret you manage).',
    );
  }

  const redisUrl = url("redisUrl");
  if (redisUrl !== undefined) {
    const parsed = new URL(redisUrl);
    if (parsed.username || parsed.password) {
      throw new Error(
        'Context "redisUrl" must not hold credentials: they would be written into the template. Put ' +
          "the whole URL in a Secrets Manager secret and pass -c redisSecretArn=arn:aws:secretsmanager:….",
      );
    }
  }
  const redisSecretArn = secretArn("redisSecretArn");
  if (redisUrl && redisSecretArn)
    throw new Error('Give either context "redisUrl" or "redisSecretArn", not both');

  const retentionDays = positiveInt("logRetentionDays", protect ? 90 : 14);
  if (!Object.values(RetentionDays).includes(retentionDays)) {
    throw new Error(
      `Context "logRetentionDays" must be a CloudWatch retention value (1, 3, 5, 7, 14, 30, 60, 90, ...)`,
    );
  }

  const dynamodbEndpoint = url("dynamodbEndpoint");
  const sqsEndpoint = url("sqsEndpoint");
  if (protect && (dynamodbEndpoint || sqsEndpoint)) {
    throw new Error(
      `Contexts "dynamodbEndpoint"/"sqsEndpoint" are for sam local and not allowed on protected stage "${stage}"`,
    );
  }

  return {
    stage,
    protect,
    jwtSecretArn,
    jwtJwksUrl,
    jwtIssuer: text("jwtIssuer"),
    jwtAudience: text("jwtAudience"),
    redisUrl,
    redisSecretArn,
    alarms: {
      latencyP99Ms: positiveInt("alarmLatencyP99Ms", protect ? 1000 : 3000),
      api5xxPercent: positiveInt("alarmApi5xxPercent", protect ? 1 : 5),
      queueAgeSeconds: positiveInt("alarmQueueAgeSeconds", protect ? 300 : 900),
    },
    rateLimitReadsPerMinute: positiveInt("rateLimitReadsPerMinute", 100),
    rateLimitWritesPerMinute: positiveInt("rateLimitWritesPerMinute", 20),
    embedder: oneOf<Embedder>("embedder", ["local", "bedrock"], "local"),
    searchEngine: oneOf<"dynamodb" | "in-process">("searchEngine", ["dynamodb", "in-process"], "dynamodb"),
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
