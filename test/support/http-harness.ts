/**
 * Runs a route through the real middleware stack in-process, with real HS256 tokens and the real
 * rate limiter over an in-memory counter: no sockets, no database, so http tests stay unit tests.
 */
import { Logger } from "@aws-lambda-powertools/logger";
import type { APIGatewayProxyEventV2, Context } from "aws-lambda";
import { signToken } from "../../infra/local/sign-token.ts";
import type { Role } from "../../shared/auth/permissions.ts";
import { createTokenVerifier } from "../../shared/auth/token-verifier.ts";
import { PageQuery } from "../../shared/domain/schemas.ts";
import { createHttpHandler, type HttpCollaborators, type Lambda } from "../../shared/http/http-handler.ts";
import type { IdempotencyStore } from "../../shared/http/idempotency.ts";
import type { HttpResult } from "../../shared/http/response.ts";
import { type RouteDeclaration, route } from "../../shared/routes/route.ts";
import { RateLimiter } from "../../shared/services/rate-limiter.ts";

export const TEST_SECRET = "a-test-secret-that-is-long-enough-0123456789";

export const tokenFor = (sub: string, role: Role = "user") => signToken({ sub, role, secret: TEST_SECRET });

/** Rate-limit windows counted in memory, the way DynamoRateLimitStore counts them in the table. */
export function memoryRateLimiter(limits = { read: 100, write: 20 }): RateLimiter {
  const hits = new Map<string, number>();
  return new RateLimiter({
    limits,
    store: {
      hit: async (budget, caller, windowStart, _windowSeconds, units = 1) => {
        const key = `${budget}|${caller}|${windowStart}`;
        const count = (hits.get(key) ?? 0) + units;
        hits.set(key, count);
        return count;
      },
    },
  });
}

/** An idempotency store that remembers answers in memory (the DynamoDB one has its own tests). */
export function memoryIdempotencyStore(): IdempotencyStore {
  const answers = new Map<string, Promise<unknown>>();
  return {
    run: (call) => {
      const key = `${call.callerId}|${call.scope}|${call.key}`;
      const answer = answers.get(key) ?? call.run();
      answers.set(key, answer);
      return answer as ReturnType<typeof call.run>;
    },
  };
}

export function testCollaborators(overrides: Partial<HttpCollaborators> = {}): HttpCollaborators {
  const limiter = memoryRateLimiter();
  const idempotency = memoryIdempotencyStore();
  const verifier = createTokenVerifier({ secret: TEST_SECRET });
  return {
    tokenVerifier: () => verifier,
    rateLimiter: () => limiter,
    idempotencyStore: async () => idempotency,
    logger: new Logger({ serviceName: "markets-api-test", logLevel: "SILENT" }),
    ...overrides,
  };
}

export interface TestRequest {
  method?: string;
  path?: string;
  query?: string;
  headers?: Record<string, string>;
  body?: string;
  pathParameters?: Record<string, string>;
  sourceIp?: string;
}

let requests = 0;

/** A payload-2.0 event, as API Gateway (or the local gateway) hands it over. */
export function httpEvent(request: TestRequest = {}): APIGatewayProxyEventV2 {
  requests += 1;
  const method = request.method ?? "GET";
  const path = request.path ?? "/api/test";
  return {
    version: "2.0",
    routeKey: `${method} ${path}`,
    rawPath: path,
    rawQueryString: request.query ?? "",
    headers: request.headers ?? {},
    ...(request.pathParameters ? { pathParameters: request.pathParameters } : {}),
    ...(request.body === undefined ? {} : { body: request.body, isBase64Encoded: false }),
    requestContext: {
      requestId: `gw-${requests}`,
      http: {
        method,
        path,
        protocol: "HTTP/1.1",
        sourceIp: request.sourceIp ?? "198.51.100.7",
        userAgent: "test",
      },
    },
  } as unknown as APIGatewayProxyEventV2;
}

export function lambdaContext(): Context {
  requests += 1;
  return {
    awsRequestId: `fn-${requests}`,
    functionName: "test",
    getRemainingTimeInMillis: () => 10_000,
  } as unknown as Context;
}

/** Build a handler for `route` and call it once. */
export function invoke(handler: Lambda, request: TestRequest = {}): Promise<HttpResult> {
  return handler(httpEvent(request), lambdaContext());
}

export const bodyOf = (result: HttpResult): Record<string, unknown> => JSON.parse(result.body as string);

export { createHttpHandler, type RouteDeclaration };

/** A rate-limited read route with a validated query, for tests of the http stack. */
export const testReadRoute = route({
  method: "GET",
  path: "/api/things",
  handler: "test/read",
  summary: "A read",
  description: "A read route for tests.",
  tags: ["test"],
  query: PageQuery,
  response: { status: 200, description: "ok", data: "Health" },
  rateLimit: "read",
  access: {},
});
