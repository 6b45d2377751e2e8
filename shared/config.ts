/**
 * The environment's schema. The composition root parses it once per execution environment
 * (shared/composition/environment.ts): a missing or malformed variable fails the cold start with a
 * message naming it, instead of a confusing error deep inside a request.
 */
import * as z from "zod/mini";

const PositiveInt = /* @__PURE__ */ z.lazy(() => z.pipe(z.coerce.number(), z.int().check(z.positive())));
const Flag = /* @__PURE__ */ z.lazy(() =>
  z.pipe(
    z.enum(["true", "false", "1", "0"]),
    z.transform((value) => value === "true" || value === "1"),
  ),
);

/** A boolean as Powertools reads its own variables: 1/0, y/n, yes/no, t/f, true/false, on/off, any case. */
const PowertoolsFlag = /* @__PURE__ */ z.lazy(() =>
  z.pipe(
    z.string().check(z.toLowerCase()),
    z.pipe(
      z.enum(["1", "y", "yes", "t", "true", "on", "0", "n", "no", "f", "false", "off"]),
      z.transform((value) => ["1", "y", "yes", "t", "true", "on"].includes(value)),
    ),
  ),
);

// Built on first parse (z.lazy), like the request schemas: import time is cold-start time.
export const Env = /* @__PURE__ */ z.lazy(() =>
  z
    .object({
      TABLE_NAME: z.string().check(z.minLength(1)),
      INDEX_QUEUE_URL: z.optional(z.url()),
      AWS_REGION: z._default(z.string(), "us-east-1"),
      /** Local cloud and tests point the SDK at DynamoDB Local / the local SQS server. */
      DYNAMODB_ENDPOINT: z.optional(z.url()),
      SQS_ENDPOINT: z.optional(z.url()),
      /**
       * The HS256 key itself: the local path only (`npm start`, tests), where no Secrets Manager
       * exists. Deployed functions get JWT_SECRET_ARN and read the value at run time.
       */
      JWT_SECRET: z.optional(z.string().check(z.minLength(32, "JWT_SECRET must be at least 32 characters"))),
      /** Secrets Manager secret (ARN or name) holding the HS256 key: the deployed path. */
      JWT_SECRET_ARN: z.optional(z.string().check(z.minLength(1))),
      JWT_JWKS_URL: z.optional(z.url()),
      JWT_ISSUER: z.optional(z.string().check(z.minLength(1))),
      JWT_AUDIENCE: z.optional(z.string().check(z.minLength(1))),
      CACHE_DRIVER: z._default(z.enum(["memory", "redis", "none"]), "memory"),
      REDIS_URL: z.optional(z.url()),
      /** Secrets Manager secret whose value is the Redis URL with its credentials (deployed). */
      REDIS_URL_SECRET_ARN: z.optional(z.string().check(z.minLength(1))),
      CACHE_TTL_SECONDS: z._default(PositiveInt, 300),
      CACHE_MAX_ENTRIES: z._default(PositiveInt, 1000),
      RATE_LIMIT_READS_PER_MINUTE: z._default(PositiveInt, 100),
      RATE_LIMIT_WRITES_PER_MINUTE: z._default(PositiveInt, 20),
      RATE_LIMIT_ENABLED: z._default(Flag, true),
      /**
       * Most units of a caller's window one execution environment leases with one write; unset, a
       * tenth of the limit. 1 makes every request its own write (docs/consistency.md).
       */
      RATE_LIMIT_MAX_LEASE: z.optional(PositiveInt),
      EMBEDDER: z._default(z.enum(["local", "bedrock"]), "local"),
      BEDROCK_MODEL_ID: z._default(z.string(), "amazon.titan-embed-text-v2:0"),
      /**
       * Where search runs: `in-process` ranks vectors held in the search Lambda (the local default),
       * `dynamodb` asks the table's vector index (the deployed default, set by the stack).
       */
      SEARCH_ENGINE: z._default(z.enum(["in-process", "dynamodb"]), "in-process"),
      /** How long a search Lambda trusts its in-memory vectors before asking for newer ones. */
      SEARCH_REFRESH_MS: z._default(z.pipe(z.coerce.number(), z.int().check(z.nonnegative())), 1000),
      /** CloudWatch namespace of the EMF metrics; the dashboard reads the same one. */
      POWERTOOLS_METRICS_NAMESPACE: z._default(z.string().check(z.minLength(1)), "MarketsApi"),
      POWERTOOLS_SERVICE_NAME: z._default(z.string().check(z.minLength(1)), "markets-api"),
      /**
       * Metrics are written unless this says otherwise or, when it is unset, POWERTOOLS_DEV is on
       * (the local cloud): the rule of Powertools Metrics, kept by our own EMF writer.
       */
      POWERTOOLS_METRICS_DISABLED: z.optional(PowertoolsFlag),
      POWERTOOLS_DEV: z.optional(PowertoolsFlag),
      /** Powertools Tracer subsegments (loaded only when on: zero cold-start cost when off). */
      TRACER_ENABLED: z._default(Flag, false),
    })
    .check(
      z.refine((env) => Boolean(env.JWT_SECRET || env.JWT_SECRET_ARN || env.JWT_JWKS_URL), {
        message: "Set JWT_SECRET_ARN or, locally, JWT_SECRET (HS256), or JWT_JWKS_URL (RS256/ES256)",
      }),
      z.refine((env) => env.CACHE_DRIVER !== "redis" || Boolean(env.REDIS_URL || env.REDIS_URL_SECRET_ARN), {
        message: "CACHE_DRIVER=redis needs REDIS_URL or REDIS_URL_SECRET_ARN",
      }),
    ),
);

export type Config = z.infer<typeof Env>;

/** Parse an environment; throws an Error listing every bad variable. */
export function parseConfig(env: Record<string, string | undefined>): Config {
  const result = Env.safeParse(env);
  if (result.success) return result.data;
  const problems = result.error.issues.map(
    (issue) => `${issue.path.join(".") || "environment"}: ${issue.message}`,
  );
  throw new Error(`Invalid configuration: ${problems.join("; ")}`);
}
