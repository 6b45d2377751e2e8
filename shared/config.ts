/**
 * Environment, parsed once per execution environment. A missing or malformed variable fails the
 * cold start with a message naming it, instead of a confusing error deep inside a request.
 */
import * as z from "zod/mini";
import { once } from "./util/once.ts";

const PositiveInt = /* @__PURE__ */ z.lazy(() => z.pipe(z.coerce.number(), z.int().check(z.positive())));
const Flag = /* @__PURE__ */ z.lazy(() =>
  z.pipe(
    z.enum(["true", "false", "1", "0"]),
    z.transform((value) => value === "true" || value === "1"),
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
      JWT_SECRET: z.optional(z.string().check(z.minLength(32, "JWT_SECRET must be at least 32 characters"))),
      JWT_JWKS_URL: z.optional(z.url()),
      JWT_ISSUER: z.optional(z.string().check(z.minLength(1))),
      JWT_AUDIENCE: z.optional(z.string().check(z.minLength(1))),
      CACHE_DRIVER: z._default(z.enum(["memory", "redis", "none"]), "memory"),
      REDIS_URL: z.optional(z.url()),
      CACHE_TTL_SECONDS: z._default(PositiveInt, 300),
      CACHE_MAX_ENTRIES: z._default(PositiveInt, 1000),
      RATE_LIMIT_READS_PER_MINUTE: z._default(PositiveInt, 100),
      RATE_LIMIT_WRITES_PER_MINUTE: z._default(PositiveInt, 20),
      RATE_LIMIT_ENABLED: z._default(Flag, true),
      EMBEDDER: z._default(z.enum(["local", "bedrock"]), "local"),
      BEDROCK_MODEL_ID: z._default(z.string(), "amazon.titan-embed-text-v2:0"),
      /** How long a search Lambda trusts its in-memory vectors before asking for newer ones. */
      SEARCH_REFRESH_MS: z._default(z.pipe(z.coerce.number(), z.int().check(z.nonnegative())), 1000),
      /** CloudWatch namespace of the EMF metrics; the dashboard reads the same one. */
      POWERTOOLS_METRICS_NAMESPACE: z._default(z.string().check(z.minLength(1)), "MarketsApi"),
      POWERTOOLS_SERVICE_NAME: z._default(z.string().check(z.minLength(1)), "markets-api"),
      /** Powertools Tracer subsegments (loaded only when on: zero cold-start cost when off). */
      TRACER_ENABLED: z._default(Flag, false),
    })
    .check(
      z.refine((env) => Boolean(env.JWT_SECRET || env.JWT_JWKS_URL), {
        message: "Set JWT_SECRET (HS256) or JWT_JWKS_URL (RS256/ES256)",
      }),
      z.refine((env) => env.CACHE_DRIVER !== "redis" || Boolean(env.REDIS_URL), {
        message: "CACHE_DRIVER=redis needs REDIS_URL",
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

export const config = once(() => parseConfig(process.env));
