/**
 * The OpenAPI 3.1 document, generated from the route table and the same zod schemas the handlers
 * validate with, so the document cannot drift from what the API accepts.
 */
import * as z from "zod/mini";
import { routes } from "../../infra/routes.ts";
import {
  CreateMarketBody,
  ListMarketsQuery,
  MarketIdParams,
  OpenPositionBody,
  PageQuery,
  ReplaceMarketBody,
  SearchQuery,
  UpdateMarketBody,
  UpdateProfileBody,
} from "../domain/schemas.ts";

type AnySchema = z.ZodMiniType;

/** Request schemas per handler; handlers not listed take no query and no body. */
const REQUESTS: Record<string, { query?: AnySchema; body?: AnySchema }> = {
  "markets/list": { query: ListMarketsQuery },
  "markets/search": { query: SearchQuery },
  "markets/create": { body: CreateMarketBody },
  "markets/replace": { body: ReplaceMarketBody },
  "markets/update": { body: UpdateMarketBody },
  "positions/open": { body: OpenPositionBody },
  "positions/list-for-market": { query: PageQuery },
  "me/positions": { query: PageQuery },
  "me/update-profile": { body: UpdateProfileBody },
};

const ERROR_ENVELOPE = {
  type: "object",
  required: ["success", "error", "code", "requestId"],
  properties: {
    success: { const: false },
    error: { type: "string" },
    code: { type: "string" },
    details: {
      type: "array",
      items: { type: "object", properties: { path: { type: "string" }, message: { type: "string" } } },
    },
    requestId: { type: "string" },
  },
};

const jsonSchema = (schema: AnySchema) => z.toJSONSchema(schema, { io: "input", unrepresentable: "any" });

function parametersOf(path: string, query?: AnySchema) {
  const pathParams = [...path.matchAll(/\{(\w+)\}/g)].map(([, name]) => ({
    name,
    in: "path",
    required: true,
    schema: (jsonSchema(MarketIdParams).properties as Record<string, unknown>).id,
  }));
  if (!query) return pathParams;
  const schema = jsonSchema(query) as { properties?: Record<string, unknown>; required?: string[] };
  const queryParams = Object.entries(schema.properties ?? {}).map(([name, property]) => ({
    name,
    in: "query",
    required: schema.required?.includes(name) ?? false,
    schema: property,
  }));
  return [...pathParams, ...queryParams];
}

/** Build the document (cheap enough to do once per cold start of the openapi Lambda). */
export function openApiDocument() {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const route of routes) {
    const request = REQUESTS[route.handler] ?? {};
    paths[route.path] ??= {};
    (paths[route.path] as Record<string, unknown>)[route.method.toLowerCase()] = {
      operationId: route.handler.replace(/[/-](\w)/g, (_, c: string) => c.toUpperCase()),
      summary: route.summary,
      ...(route.permission ? { security: [{ bearerAuth: [] }], "x-permission": route.permission } : {}),
      parameters: parametersOf(route.path, request.query),
      ...(request.body
        ? {
            requestBody: {
              required: true,
              content: { "application/json": { schema: jsonSchema(request.body) } },
            },
          }
        : {}),
      responses: {
        default: {
          description: "Error envelope",
          content: { "application/json": { schema: ERROR_ENVELOPE } },
        },
        "2XX": { description: "Success envelope `{ success: true, data, meta? }`" },
      },
    };
  }
  return {
    openapi: "3.1.0",
    info: {
      title: "Markets API",
      version: "1.0.0",
      description: "Prediction markets: see API.md for the full contract.",
    },
    servers: [{ url: "/" }],
    components: { securitySchemes: { bearerAuth: { type: "http", scheme: "bearer", bearerFormat: "JWT" } } },
    paths,
  };
}
