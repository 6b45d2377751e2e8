/**
 * The environment the bundles see locally: what the CDK stack sets on each Lambda, pointed at the
 * embedded DynamoDB and SQS. The bundles run in this process and read process.env at cold start,
 * so it is applied to process.env before the first invocation.
 */

export const LOCAL_TABLE_NAME = "markets-local";
export const LOCAL_REGION = "us-east-1";
/** The emulators accept any keys; fixed dummies keep the SDK from looking for a real profile. */
export const LOCAL_CREDENTIALS = { accessKeyId: "local", secretAccessKey: "local" } as const;
/** Printed by `npm start` whenever it is used; never valid anywhere but a developer's machine. */
export const DEV_JWT_SECRET = "local-development-secret-change-me-0123456789";

export interface LocalEnvInput {
  dynamodbEndpoint: string;
  sqsEndpoint: string;
  indexQueueUrl: string;
  tableName?: string;
  /** Variables to take over (usually process.env): JWT_SECRET, RATE_LIMIT_*, REDIS_URL, LOG_LEVEL. */
  from?: Record<string, string | undefined>;
  /** Last word: wins over everything above (tests use it to tune limits or secrets). */
  overrides?: Record<string, string>;
}

const PASSED_THROUGH = [
  "RATE_LIMIT_READS_PER_MINUTE",
  "RATE_LIMIT_WRITES_PER_MINUTE",
  "RATE_LIMIT_ENABLED",
  "RATE_LIMIT_MAX_LEASE",
  "CACHE_TTL_SECONDS",
  "CACHE_MAX_ENTRIES",
  "EMBEDDER",
  "BEDROCK_MODEL_ID",
  "SEARCH_REFRESH_MS",
  "SEARCH_ENGINE",
  "JWT_JWKS_URL",
  "JWT_ISSUER",
  "JWT_AUDIENCE",
] as const;

/** The variables every local bundle gets. */
export function buildLocalEnv(input: LocalEnvInput): Record<string, string> {
  const from = input.from ?? {};
  const env: Record<string, string> = {
    TABLE_NAME: input.tableName ?? LOCAL_TABLE_NAME,
    DYNAMODB_ENDPOINT: input.dynamodbEndpoint,
    SQS_ENDPOINT: input.sqsEndpoint,
    INDEX_QUEUE_URL: input.indexQueueUrl,
    // The SDK's service-specific endpoint variables catch clients our config does not build
    // (Powertools' idempotency store creates its own DynamoDB client, for instance).
    AWS_ENDPOINT_URL_DYNAMODB: input.dynamodbEndpoint,
    AWS_ENDPOINT_URL_SQS: input.sqsEndpoint,
    AWS_REGION: LOCAL_REGION,
    AWS_DEFAULT_REGION: LOCAL_REGION,
    AWS_ACCESS_KEY_ID: LOCAL_CREDENTIALS.accessKeyId,
    AWS_SECRET_ACCESS_KEY: LOCAL_CREDENTIALS.secretAccessKey,
    JWT_SECRET: from.JWT_SECRET || DEV_JWT_SECRET,
    CACHE_DRIVER: from.REDIS_URL ? "redis" : "memory",
    // Quiet by default so the banner and errors stand out; LOG_LEVEL=DEBUG shows every request.
    POWERTOOLS_LOG_LEVEL: from.LOG_LEVEL || "WARN",
    // Pretty-printed JSON: the same fields as in CloudWatch, readable in a terminal.
    POWERTOOLS_DEV: "true",
    // Node 20 is supported here (tests run on it); the SDK warns about its future minimum at start.
    AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: "true",
    POWERTOOLS_SERVICE_NAME: "markets-api",
    // One search "Lambda" serves everything locally; checking for new vectors every 250 ms (instead
    // of the deployed 1 s) keeps a new market's path to search well inside a second.
    SEARCH_REFRESH_MS: "250",
  };
  if (from.REDIS_URL) env.REDIS_URL = from.REDIS_URL;
  for (const name of PASSED_THROUGH) {
    const value = from[name];
    if (value) env[name] = value;
  }
  return { ...env, ...input.overrides };
}

/**
 * Put the variables on process.env, where the in-process bundles read them at cold start. Returns
 * a function that restores the previous values, so a second local cloud in the same process (a
 * test file after another) does not mistake the first one's endpoints for the developer's own.
 */
export function applyEnv(env: Record<string, string>): () => void {
  const previous = new Map(Object.keys(env).map((name) => [name, process.env[name]]));
  Object.assign(process.env, env);
  return () => {
    for (const [name, value] of previous) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
  };
}
