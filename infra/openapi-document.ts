/**
 * The OpenAPI 3.1 document of the API. `npm run build` writes it to docs/openapi.json (committed;
 * test/unit/openapi/committed-document.test.ts fails when it drifts) and copies it beside the
 * system-openapi bundle, which serves the file as it is: no Lambda carries this builder, the route
 * table or a response schema.
 *
 * Where each part comes from, and why:
 * - Paths, methods, permissions and request schemas: the route table (infra/routes.ts). Each entry's
 *   `request` holds the very zod objects its handler passes to httpHandler, so the document cannot
 *   drift from what the API accepts. Query parameters are described by the value they parse to
 *   (`limit` is an integer with its range, although it arrives as a string), so that generated
 *   clients take `limit: 20`.
 * - Responses, tags and descriptions: infra/openapi/operations.ts (success status and schema,
 *   behaviour per route) and infra/openapi/components.ts (hand-written JSON Schema for the
 *   response shapes, headers, header parameters, examples).
 *
 * docs/api-decisions.md records the choices (what is documented how, and why).
 */
import type { ZodMiniType } from "zod/mini";
import * as z from "zod/mini";
import { components, type ErrorCode, type Json, ref } from "./openapi/components.ts";
import { OPERATIONS, type OperationDoc, QUERY_PARAMETERS, TAGS } from "./openapi/operations.ts";
import { type RouteDefinition, routes } from "./routes.ts";

interface ObjectSchema {
  properties?: Record<string, Json>;
  required?: string[];
}

/**
 * The JSON Schema of a request schema as the document embeds it, without `$schema`: the input side
 * (what a client sends) unless `io` asks for the parsed side.
 */
export function requestJsonSchema(schema: ZodMiniType, io: "input" | "output" = "input"): Json {
  const { $schema: _, ...rest } = z.toJSONSchema(schema, { io, unrepresentable: "any" }) as Json;
  return rest;
}

/**
 * Query parameters as the document shows them: a value the handler parses into an integer (`limit`,
 * `offset`) is documented as that integer, with its range and default, because OpenAPI describes a
 * query parameter by its value, not by its spelling in the URL. Everything else as sent.
 */
export function queryParameterSchemas(
  query: ZodMiniType,
): { name: string; required: boolean; schema: Json }[] {
  const sent: ObjectSchema = requestJsonSchema(query);
  const parsed: ObjectSchema = requestJsonSchema(query, "output");
  return Object.entries(sent.properties ?? {}).map(([name, schema]) => {
    const value = parsed.properties?.[name];
    return {
      name,
      required: sent.required?.includes(name) ?? false,
      schema: value?.type === "integer" ? value : schema,
    };
  });
}

/** A typical message per code, for the examples of error responses (see shared/errors.ts). */
const EXAMPLE_MESSAGES: Record<ErrorCode, string> = {
  VALIDATION_FAILED: "Validation failed",
  INVALID_JSON: "Request body is not valid JSON",
  UNAUTHORIZED: "Missing bearer token",
  FORBIDDEN: "You may not change this market",
  NOT_FOUND: "Market not found",
  CONFLICT: "The market changed meanwhile; retry",
  INVALID_TRANSITION: "Status cannot change from closed to active",
  MARKET_NOT_ACTIVE: "Market 01JD8Z6Q3V4W5X6Y7Z8A9B0C1D is not open for positions",
  MARKET_HAS_POSITIONS: "Market 01JD8Z6Q3V4W5X6Y7Z8A9B0C1D has positions and cannot be deleted",
  IDEMPOTENCY_KEY_REUSED: "This Idempotency-Key was used with a different request",
  PRECONDITION_FAILED: "If-Match does not match the current version",
  PAYLOAD_TOO_LARGE: "Request body exceeds 65536 bytes",
  UNSUPPORTED_MEDIA_TYPE: "Request body must be application/json",
  RATE_LIMITED: "Too many requests; slow down",
  INTERNAL: "Internal server error",
  UNAVAILABLE: "Service temporarily unavailable",
};

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
  const queryParams = (query ? queryParameterSchemas(query) : []).map(({ name, required, schema }) => ({
    name,
    in: "query",
    required,
    ...(QUERY_PARAMETERS[name] ? { description: QUERY_PARAMETERS[name] } : {}),
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

/** A field the route really validates, for its 400 example. */
function validationDetail(route: RouteDefinition): Json {
  const body = route.request?.body;
  if (body) {
    const [field = "body"] = Object.keys((requestJsonSchema(body) as ObjectSchema).properties ?? {});
    return { path: field, message: "Invalid input" };
  }
  if (route.request?.params) return { path: "id", message: "Invalid string: must match pattern" };
  if (route.request?.query) return { path: "limit", message: "Too big: expected number to be <=100" };
  return { path: "x", message: "Unknown query parameter" };
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
    const first = codes[0] as ErrorCode;
    const example = {
      success: false,
      error: EXAMPLE_MESSAGES[first],
      code: first,
      ...(first === "VALIDATION_FAILED" ? { details: [validationDetail(route)] } : {}),
      requestId: "Vx3kP9aQ2mT7bL1c",
    };
    responses[code] = {
      description: `${text} (${codes.join(", ")})`,
      headers: { ...common, ...extra },
      content: {
        "application/json": { schema: { allOf: [ref("schemas", "Error"), narrowed] }, example },
      },
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
    description: op.description,
    tags: [op.tag],
    security: route.permission ? [{ bearerAuth: [] }] : [{}, { bearerAuth: [] }],
    ...(route.permission ? { "x-permission": route.permission } : {}),
    parameters: parametersOf(route, op),
    ...(body
      ? {
          requestBody: {
            required: true,
            content: {
              "application/json": {
                schema: requestJsonSchema(body),
                ...(op.requestExample ? { example: op.requestExample } : {}),
              },
            },
          },
        }
      : {}),
    responses: responsesOf(route, op),
  };
}

/** Build the document from the route table (at build time; see the top of this file). */
export function openApiDocument() {
  const paths: Record<string, Record<string, Json>> = {};
  for (const route of routes) {
    if (route.documented === false) continue;
    paths[route.path] ??= {};
    (paths[route.path] as Record<string, Json>)[route.method.toLowerCase()] = operationOf(route);
  }
  return {
    openapi: "3.1.0",
    info: {
      title: "Markets API",
      version: "1.0.0",
      description:
        "Prediction markets: create markets, take yes/no positions, list and search them. Every answer " +
        "is JSON in a success envelope (`{ success: true, data, meta? }`) or the error envelope " +
        "(`{ success: false, error, code, details?, requestId }`), whose `code` is one of the " +
        "documented codes of each operation. Tokens are bearer JWTs; a reader needs none.",
      contact: { name: "Markets API maintainers" },
      license: { name: "Proprietary", identifier: "LicenseRef-Proprietary" },
    },
    // Relative: the document describes whichever deployment (or local cloud) serves it.
    servers: [{ url: "/", description: "The deployment serving this document" }],
    tags: TAGS,
    components,
    paths,
  };
}

/** The document as docs/openapi.json holds it: two-space JSON with a final newline. */
export const serializedOpenApiDocument = (): string => `${JSON.stringify(openApiDocument(), null, 2)}\n`;
