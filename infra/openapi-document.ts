/**
 * The OpenAPI 3.1 document of the API, served by functions/system/openapi.ts.
 *
 * Where each part comes from, and why:
 * - Paths, methods, permissions and request schemas: the route table (infra/routes.ts). Each entry's
 *   `request` holds the very zod objects its handler passes to httpHandler, so the document needs no
 *   map of its own and cannot drift from what the API accepts. Handlers keep naming their schemas
 *   (a route's Lambda bundle must not carry the route table, and shared/ must not depend on
 *   infra/; the one exception is functions/system/openapi.ts, whose whole job is to serve this
 *   description of the deployment); test/unit/openapi/route-schemas.test.ts loads every handler with httpHandler stubbed and
 *   asserts that its spec uses exactly its route's schemas, permission, rate limiting and
 *   idempotency. Reading the specs from the handler modules instead would pull every service, the
 *   AWS SDK and the search index into the openapi bundle.
 * - Responses: infra/openapi/operations.ts (success status and schema, behaviour per route) and
 *   infra/openapi/components.ts (hand-written JSON Schema for the response shapes, headers, header
 *   parameters). They are documentation only: no other bundle imports them.
 *
 * infra/ may read both the route table and shared/; shared/ never imports infra/.
 */
import type { ZodMiniType } from "zod/mini";
import * as z from "zod/mini";
import { components, type ErrorCode, type Json, ref } from "./openapi/components.ts";
import { OPERATIONS, type OperationDoc } from "./openapi/operations.ts";
import { type RouteDefinition, routes } from "./routes.ts";

interface ObjectSchema {
  properties?: Record<string, Json>;
  required?: string[];
}

/** The JSON Schema of a request schema as the document embeds it: the input side, without `$schema`. */
export function requestJsonSchema(schema: ZodMiniType): Json {
  const { $schema: _, ...rest } = z.toJSONSchema(schema, { io: "input", unrepresentable: "any" }) as Json;
  return rest;
}

const header = (name: string) => ref("headers", name);
const RATE_LIMIT_HEADERS = {
  "RateLimit-Limit": header("RateLimitLimit"),
  "RateLimit-Remaining": header("RateLimitRemaining"),
  "RateLimit-Reset": header("RateLimitReset"),
};

function parametersOf(route: RouteDefinition, op: OperationDoc): Json[] {
  const { params, query } = route.request ?? {};
  const pathSchema: ObjectSchema = params ? requestJsonSchema(params) : {};
  const pathParams = [...route.path.matchAll(/\{(\w+)\}/g)].map(([, name = ""]) => {
    const schema = pathSchema.properties?.[name];
    if (!schema) throw new Error(`${route.method} ${route.path}: no schema for path parameter "${name}"`);
    return { name, in: "path", required: true, schema };
  });
  const querySchema: ObjectSchema = query ? requestJsonSchema(query) : {};
  const queryParams = Object.entries(querySchema.properties ?? {}).map(([name, schema]) => ({
    name,
    in: "query",
    required: querySchema.required?.includes(name) ?? false,
    schema,
  }));
  const headers = [
    ref("parameters", "XRequestId"),
    ...(op.conditional === "If-Match" ? [ref("parameters", "IfMatch")] : []),
    ...(op.conditional === "If-None-Match" ? [ref("parameters", "IfNoneMatch")] : []),
    ...(op.idempotent ? [ref("parameters", "IdempotencyKey")] : []),
  ];
  return [...pathParams, ...queryParams, ...headers];
}

function responsesOf(route: RouteDefinition, op: OperationDoc): Record<string, Json> {
  const limited = op.rateLimited !== false;
  const takesBody = Boolean(route.request?.body);
  const common = { "x-request-id": header("XRequestId"), ...(limited ? RATE_LIMIT_HEADERS : {}) };
  const { status, description, schema, headers = [] } = op.success;
  const responses: Record<string, Json> = {
    [status]: {
      description,
      headers: { ...common, ...Object.fromEntries(headers.map((name) => [name, header(name)])) },
      ...(schema ? { content: { "application/json": { schema } } } : {}),
    },
  };
  if (op.conditional === "If-None-Match") {
    responses[304] = {
      description: "`If-None-Match` matches the current ETag: no body.",
      headers: { ...common, ETag: header("ETag") },
    };
  }
  const error = (code: number, codes: readonly ErrorCode[], text: string, extra: Json = {}) => {
    const narrowed = { type: "object", properties: { code: { enum: codes } } };
    responses[code] = {
      description: `${text} (${codes.join(", ")})`,
      headers: { ...common, ...extra },
      content: { "application/json": { schema: { allOf: [ref("schemas", "Error"), narrowed] } } },
    };
  };
  error(
    400,
    takesBody ? ["VALIDATION_FAILED", "INVALID_JSON"] : ["VALIDATION_FAILED"],
    `${takesBody ? "Path, query or body" : "Path or query"} fails its schema; unknown or repeated query parameters`,
  );
  error(
    401,
    ["UNAUTHORIZED"],
    op.unauthorized ??
      (route.permission
        ? "Missing, malformed, expired or badly signed token"
        : "A token was sent and is malformed, expired or badly signed"),
    { "WWW-Authenticate": header("WWWAuthenticate") },
  );
  if (route.permission || op.forbidden) {
    const role = route.permission ? `The caller's role lacks the \`${route.permission}\` permission` : "";
    error(403, ["FORBIDDEN"], [role, op.forbidden].filter(Boolean).join(", or: "));
  }
  if (route.request?.params || op.notFound) error(404, ["NOT_FOUND"], op.notFound ?? "No such market");
  const conflicts = [
    ...new Set<ErrorCode>([
      ...(op.conflicts ?? []),
      ...(op.idempotent ? (["IDEMPOTENCY_KEY_REUSED", "CONFLICT"] as const) : []),
    ]),
  ];
  if (conflicts.length > 0) error(409, conflicts, "The state of the resource does not allow it");
  if (op.conditional === "If-Match")
    error(412, ["PRECONDITION_FAILED"], "`If-Match` does not match the ETag");
  if (takesBody) {
    error(413, ["PAYLOAD_TOO_LARGE"], "Body over 64 KiB");
    error(415, ["UNSUPPORTED_MEDIA_TYPE"], "Body is not `application/json` (no charset or utf-8)");
  }
  const retryAfter = { "Retry-After": header("RetryAfter") };
  if (limited) error(429, ["RATE_LIMITED"], "Over the caller's rate limit", retryAfter);
  error(500, ["INTERNAL"], "Unexpected failure");
  error(503, ["UNAVAILABLE"], "A dependency is unreachable after retries", retryAfter);
  return responses;
}

function operationOf(route: RouteDefinition): Json {
  const op = OPERATIONS[route.handler];
  if (!op) throw new Error(`infra/openapi/operations.ts has no entry for ${route.handler}`);
  const body = route.request?.body;
  return {
    operationId: route.handler.replace(/[/-](\w)/g, (_, c: string) => c.toUpperCase()),
    summary: route.summary,
    security: route.permission ? [{ bearerAuth: [] }] : [{}, { bearerAuth: [] }],
    ...(route.permission ? { "x-permission": route.permission } : {}),
    parameters: parametersOf(route, op),
    ...(body
      ? {
          requestBody: {
            required: true,
            content: { "application/json": { schema: requestJsonSchema(body) } },
          },
        }
      : {}),
    responses: responsesOf(route, op),
  };
}

/** Build the document (cheap enough to do once per cold start of the openapi Lambda). */
export function openApiDocument() {
  const paths: Record<string, Record<string, Json>> = {};
  for (const route of routes) {
    paths[route.path] ??= {};
    (paths[route.path] as Record<string, Json>)[route.method.toLowerCase()] = operationOf(route);
  }
  return {
    openapi: "3.1.0",
    info: {
      title: "Markets API",
      version: "1.0.0",
      description: "Prediction markets: see API.md for the full contract.",
    },
    servers: [{ url: "/" }],
    components,
    paths,
  };
}
