/**
 * The route table's request schemas (which the OpenAPI document reads) are exactly the ones each
 * handler validates with. Every handler module is loaded with httpHandler stubbed to hand back the
 * spec it was given, so this reads what the handler really declares, not a copy of it.
 */

import { describe, expect, it, vi } from "vitest";
import * as z from "zod/mini";
import { OPERATIONS } from "../../../infra/openapi/operations.ts";
import {
  openApiDocument,
  queryParameterSchemas,
  requestJsonSchema,
} from "../../../infra/openapi-document.ts";
import { routes } from "../../../infra/routes.ts";
import type { HandlerSpec } from "../../../shared/http/http-handler.ts";
import type { Json } from "../../support/api-client.ts";

vi.mock("../../../shared/http/http-handler.ts", () => ({
  httpHandler: (spec: unknown) => ({ spec }),
}));

type Spec = HandlerSpec<unknown, unknown, unknown>;

async function specOf(handler: string): Promise<Spec> {
  const file = new URL(`../../../functions/${handler}.ts`, import.meta.url).href;
  const module = (await import(/* @vite-ignore */ file)) as { handler: { spec: Spec } };
  return module.handler.spec;
}

const doc: Json = openApiDocument();
const withoutDialect = (schema: z.ZodMiniType) => {
  const { $schema: _, ...rest } = z.toJSONSchema(schema, { io: "input", unrepresentable: "any" }) as Json;
  return rest;
};

describe.each(
  routes
    .filter((route) => route.documented !== false)
    .map((route) => [`${route.method} ${route.path}`, route] as const),
)("%s", (_, route) => {
  const operation: Json = doc.paths[route.path][route.method.toLowerCase()];

  it("declares the same schemas, permission, rate limiting and idempotency as its handler", async () => {
    const spec = await specOf(route.handler);
    expect(spec.params).toBe(route.request?.params);
    expect(spec.query).toBe(route.request?.query);
    expect(spec.body).toBe(route.request?.body);
    expect(spec.permission).toBe(route.permission);
    const op = OPERATIONS[route.handler];
    expect(op, `infra/openapi/operations.ts entry for ${route.handler}`).toBeDefined();
    expect(spec.rateLimited !== false).toBe(op?.rateLimited !== false);
    expect(Boolean(spec.idempotent)).toBe(Boolean(op?.idempotent));
  });

  it("documents the handler's body, query and path schemas as their JSON Schema", async () => {
    const spec = await specOf(route.handler);
    const parameters: Json[] = operation.parameters;
    const documented = (where: string) =>
      Object.fromEntries(parameters.filter((p) => p.in === where).map((p) => [p.name, p.schema]));

    const body = operation.requestBody?.content?.["application/json"]?.schema;
    expect(body).toEqual(spec.body ? withoutDialect(spec.body) : undefined);
    expect(body).toEqual(spec.body ? requestJsonSchema(spec.body) : undefined);

    // Query parameters are documented by the value they parse to (integers for limit and offset).
    const query = spec.query ? queryParameterSchemas(spec.query) : [];
    expect(documented("query")).toEqual(Object.fromEntries(query.map((p) => [p.name, p.schema])));
    for (const p of parameters.filter((p) => p.in === "query")) {
      expect(p.required, p.name).toBe(query.find((each) => each.name === p.name)?.required);
    }

    const params = spec.params ? withoutDialect(spec.params) : { properties: {} };
    expect(documented("path")).toEqual(params.properties);
    const templated = [...route.path.matchAll(/\{(\w+)\}/g)].map(([, name]) => name);
    expect(Object.keys(params.properties).sort()).toEqual(templated.sort());
  });
});
