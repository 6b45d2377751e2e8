/**
 * The OpenAPI 3.1 document of the API, generated at build time (esbuild.config.mjs writes it to
 * docs/openapi.json and beside the bundle that serves it). Everything comes from the route
 * declarations (shared/routes/): paths, permissions, request schemas (the very zod objects each
 * handler validates with), the success response by component name, the route's own error codes and
 * the flags that decide the generic ones. The response shapes are the JSON Schema components of
 * infra/openapi/components.ts. No Lambda bundle imports this file.
 *
 * Query parameters are described by the value they parse to (`limit` is an integer with its range,
 * although it arrives as a string), so that generated clients take `limit: 20`. Routes declared
 * `documented: false` (the docs page) are pages for people, not operations, and stay out.
 * docs/api-decisions.md records these choices.
 */
import type { ZodMiniType } from "zod/mini";
import * as z from "zod/mini";
import type { ErrorCode as DomainErrorCode } from "../shared/errors.ts";
import type { AnyRoute, RouteDeclaration, SuccessResponse } from "../shared/routes/route.ts";
import { components, type ErrorCode, type Json, ref } from "./openapi/components.ts";
import { EXAMPLE_MESSAGES, QUERY_PARAMETERS, TAGS } from "./openapi/descriptions.ts";

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

/** A field the route really validates, for the example of its 400. */
function validationDetail(route: RouteDeclaration): Json {
  if (route.body) {
    const [field = "body"] = Object.keys((requestJsonSchema(route.body) as ObjectSchema).properties ?? {});
    return { path: field, message: "Invalid input" };
  }
  if (route.params) return { path: "id", message: "Invalid string: must match pattern" };
  if (route.query) return { path: "limit", message: "Too big: expected number to be <=100" };
  return { path: "x", message: "Unknown query parameter" };
}

const header = (name: string) => ref("headers", name);
const RATE_LIMIT_HEADERS = {
  "RateLimit-Limit": header("RateLimitLimit"),
  "RateLimit-Remaining": header("RateLimitRemaining"),
  "RateLimit-Reset": header("RateLimitReset"),
};

const CONFLICT_CODES: readonly DomainErrorCode[] = [
  "CONFLICT",
  "INVALID_TRANSITION",
  "MARKET_NOT_ACTIVE",
  "MARKET_HAS_POSITIONS",
  "IDEMPOTENCY_KEY_REUSED",
];

const schema = (name: string) => ref("schemas", name);

/** The success envelope around `data` (and `meta`). */
const envelope = (data: Json, meta?: Json): Json => ({
  allOf: [
    schema("SuccessEnvelope"),
    {
      type: "object",
      required: meta ? ["data", "meta"] : ["data"],
      properties: meta ? { data, meta } : { data },
    },
  ],
});

function successSchema(response: SuccessResponse): Json | undefined {
  if (response.data) return envelope(schema(response.data));
  if (response.list)
    return envelope({ type: "array", items: schema(response.list) }, schema(response.meta ?? "ListMeta"));
  if (response.body) return schema(response.body);
  return undefined;
}

function parametersOf(route: RouteDeclaration): Json[] {
  const { params, query } = route;
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
    ...(route.conditional === "If-Match" ? [ref("parameters", "IfMatch")] : []),
    ...(route.conditional === "If-None-Match" ? [ref("parameters", "IfNoneMatch")] : []),
    ...(route.idempotent ? [ref("parameters", "IdempotencyKey")] : []),
  ];
  return [...pathParams, ...queryParams, ...headers];
}

function responsesOf(route: RouteDeclaration): Record<string, Json> {
  const limited = route.rateLimit !== "none";
  const takesBody = Boolean(route.body);
  const own = route.errors ?? {};
  const common = { "x-request-id": header("XRequestId"), ...(limited ? RATE_LIMIT_HEADERS : {}) };
  const { status, description, headers = [] } = route.response;
  const schema = successSchema(route.response);
  const responses: Record<string, Json> = {
    [status]: {
      description,
      headers: { ...common, ...Object.fromEntries(headers.map((name) => [name, header(name)])) },
      ...(schema ? { content: { "application/json": { schema } } } : {}),
    },
  };
  if (route.conditional === "If-None-Match") {
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
    own.UNAUTHORIZED ??
      (route.permission
        ? "Missing, malformed, expired or badly signed token"
        : "A token was sent and is malformed, expired or badly signed"),
    { "WWW-Authenticate": header("WWWAuthenticate") },
  );
  if (route.permission || own.FORBIDDEN) {
    const role = route.permission ? `The caller's role lacks the \`${route.permission}\` permission` : "";
    error(403, ["FORBIDDEN"], [role, own.FORBIDDEN].filter(Boolean).join(", or: "));
  }
  if (route.params || own.NOT_FOUND) error(404, ["NOT_FOUND"], own.NOT_FOUND ?? "No such market");
  const conflicts = [
    ...new Set<ErrorCode>([
      ...CONFLICT_CODES.filter((code) => own[code] !== undefined),
      ...(route.idempotent ? (["IDEMPOTENCY_KEY_REUSED", "CONFLICT"] as const) : []),
    ]),
  ];
  if (conflicts.length > 0) error(409, conflicts, "The state of the resource does not allow it");
  if (route.conditional === "If-Match")
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

const DECLARED_TAGS: ReadonlySet<string> = new Set(TAGS.map((tag) => tag.name));

function operationOf(route: AnyRoute): Json {
  const body = route.body;
  const undeclared = route.tags.filter((tag) => !DECLARED_TAGS.has(tag));
  if (undeclared.length > 0)
    throw new Error(
      `${route.method} ${route.path}: tags ${undeclared.join(", ")} are not in infra/openapi/descriptions.ts`,
    );
  return {
    operationId: route.handler.replace(/[/-](\w)/g, (_, c: string) => c.toUpperCase()),
    summary: route.summary,
    description: route.description,
    tags: [...route.tags],
    security: route.permission ? [{ bearerAuth: [] }] : [{}, { bearerAuth: [] }],
    ...(route.permission ? { "x-permission": route.permission } : {}),
    parameters: parametersOf(route),
    ...(body
      ? {
          requestBody: {
            required: true,
            content: {
              "application/json": {
                schema: requestJsonSchema(body),
                ...(route.example ? { examples: { [route.example]: ref("examples", route.example) } } : {}),
              },
            },
          },
        }
      : {}),
    responses: responsesOf(route),
  };
}

/** Build the document from the route declarations. */
export function openApiDocument(routes: readonly AnyRoute[]) {
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
export const serializedOpenApiDocument = (routes: readonly AnyRoute[]): string =>
  `${JSON.stringify(openApiDocument(routes), null, 2)}\n`;
