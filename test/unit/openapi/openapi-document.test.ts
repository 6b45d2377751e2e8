import { Validator } from "@seriousme/openapi-schema-validator";
import { beforeAll, describe, expect, it } from "vitest";
import { openApiDocument } from "../../../infra/openapi-document.ts";
import { routes as allRoutes } from "../../../infra/route-table.ts";
import type { Json } from "../../support/api-client.ts";

/** Every code of API.md's error table. */
const API_CODES = [
  "VALIDATION_FAILED",
  "INVALID_JSON",
  "UNAUTHORIZED",
  "FORBIDDEN",
  "NOT_FOUND",
  "CONFLICT",
  "INVALID_TRANSITION",
  "MARKET_NOT_ACTIVE",
  "MARKET_HAS_POSITIONS",
  "IDEMPOTENCY_KEY_REUSED",
  "PRECONDITION_FAILED",
  "PAYLOAD_TOO_LARGE",
  "UNSUPPORTED_MEDIA_TYPE",
  "RATE_LIMITED",
  "INTERNAL",
  "UNAVAILABLE",
];

/** The routes of the document: all but pages for people (the docs page). */
const routes = allRoutes.filter((route) => route.documented !== false);

const METHODS = ["get", "put", "post", "patch", "delete", "head", "options", "trace"];

// A JSON round trip: what the openapi Lambda actually serves.
const doc: Json = JSON.parse(JSON.stringify(openApiDocument(routes)));
const operation = (method: string, path: string): Json => doc.paths[path][method.toLowerCase()];

/** Every `$ref` in the document, with where it was found. */
function refsOf(value: unknown, at = "#"): { ref: string; at: string }[] {
  if (Array.isArray(value)) return value.flatMap((item, i) => refsOf(item, `${at}/${i}`));
  if (typeof value !== "object" || value === null) return [];
  return Object.entries(value).flatMap(([key, child]) =>
    key === "$ref" && typeof child === "string" ? [{ ref: child, at }] : refsOf(child, `${at}/${key}`),
  );
}

function resolve(pointer: string): unknown {
  if (!pointer.startsWith("#/")) return undefined;
  return pointer
    .slice(2)
    .split("/")
    .map((token) => token.replaceAll("~1", "/").replaceAll("~0", "~"))
    .reduce<unknown>(
      (node, token) =>
        typeof node === "object" && node !== null && Object.hasOwn(node, token)
          ? (node as Json)[token]
          : undefined,
      doc,
    );
}

/** A response's `$ref`-resolved header map. */
const headersOf = (response: Json): string[] => Object.keys(response.headers ?? {});

describe("the OpenAPI document", () => {
  const validator = new Validator();
  let result: Awaited<ReturnType<Validator["validate"]>>;
  beforeAll(async () => {
    // A copy: resolveRefs() dereferences the validated document in place.
    result = await validator.validate(structuredClone(doc));
  });

  it("is valid OpenAPI 3.1", () => {
    expect(result.errors).toBeUndefined();
    expect(result.valid).toBe(true);
    expect(validator.version).toBe("3.1");
    expect(doc.openapi).toMatch(/^3\.1\.\d+$/);
  });

  it("lists every route of the route table, and nothing else", () => {
    const listed = Object.entries(doc.paths as Record<string, Json>).flatMap(([path, item]) =>
      Object.keys(item)
        .filter((key) => METHODS.includes(key))
        .map((method) => `${method.toUpperCase()} ${path}`),
    );
    expect(listed.sort()).toEqual(routes.map((route) => `${route.method} ${route.path}`).sort());
  });

  it("resolves every $ref, and uses every component", () => {
    const refs = refsOf(doc);
    expect(refs.length).toBeGreaterThan(50);
    for (const { ref, at } of refs) expect(resolve(ref), `${ref} at ${at}`).toBeDefined();
    expect(() => validator.resolveRefs()).not.toThrow();
    const used = new Set(refs.map(({ ref }) => ref));
    for (const kind of ["schemas", "headers", "parameters"]) {
      for (const name of Object.keys(doc.components[kind])) {
        expect(used.has(`#/components/${kind}/${name}`), `${kind}/${name} is unused`).toBe(true);
      }
    }
  });

  it("describes the Market and the error envelope of API.md", () => {
    const { schemas } = doc.components;
    expect(schemas.Market.required).toEqual(
      expect.arrayContaining(["id", "name", "status", "outcome", "closesAt", "volume", "creator", "version"]),
    );
    expect(schemas.Error.properties.code.enum.sort()).toEqual([...API_CODES].sort());
    expect(schemas.Error.required).toEqual(expect.arrayContaining(["success", "error", "code", "requestId"]));
    expect(schemas.PositionReceipt.properties.market.required.sort()).toEqual(
      ["id", "noVolume", "version", "volume", "yesVolume"].sort(),
    );
    expect(schemas.ListMeta.required.sort()).toEqual(["count", "limit", "nextCursor"]);
  });

  it("gives every route its success status, x-request-id everywhere and errors as the envelope", () => {
    const expected: Record<string, string> = {
      "GET /api/markets/{id}": "200,304",
      "POST /api/markets": "201",
      "DELETE /api/markets/{id}": "204",
      "POST /api/markets/{id}/positions": "201",
      "POST /api/markets/{id}/index": "202",
    };
    for (const route of routes) {
      const responses: Record<string, Json> = operation(route.method, route.path).responses;
      const success = Object.keys(responses).filter((status) => /^[23]/.test(status));
      expect(success.join(","), `${route.method} ${route.path}`).toBe(
        expected[`${route.method} ${route.path}`] ?? "200",
      );
      for (const [status, response] of Object.entries(responses)) {
        expect(response.headers["x-request-id"], `${route.handler} ${status}`).toBeDefined();
        if (/^[45]/.test(status)) {
          expect(response.content["application/json"].schema.allOf[0]).toEqual({
            $ref: "#/components/schemas/Error",
          });
        }
      }
      expect(headersOf(responses[401] as Json)).toContain("WWW-Authenticate");
      expect(headersOf(responses[503] as Json)).toContain("Retry-After");
      expect(Object.keys(responses)).toEqual(expect.arrayContaining(["400", "401", "500", "503"]));
      if (route.permission) expect(responses[403]).toBeDefined();
      if (route.path.includes("{id}")) expect(responses[404]).toBeDefined();
    }
  });

  it("declares rate-limit headers and 429 on limited routes only", () => {
    for (const route of routes) {
      const responses: Record<string, Json> = operation(route.method, route.path).responses;
      const limited = !["/api/health", "/api/openapi.json"].includes(route.path);
      expect(responses[429] !== undefined, route.path).toBe(limited);
      if (limited) expect(headersOf(responses[429] as Json)).toContain("Retry-After");
      for (const response of Object.values(responses)) {
        expect(headersOf(response).includes("RateLimit-Remaining"), route.path).toBe(limited);
      }
    }
  });

  it("declares ETag, Location, conditional and idempotency headers where they apply", () => {
    const market = "/api/markets/{id}";
    for (const method of ["GET", "PUT", "PATCH"]) {
      expect(headersOf(operation(method, market).responses[200])).toContain("ETag");
    }
    expect(headersOf(operation("GET", market).responses[304])).toContain("ETag");
    for (const [method, path] of [
      ["POST", "/api/markets"],
      ["POST", "/api/markets/{id}/positions"],
    ] as const) {
      expect(headersOf(operation(method, path).responses[201])).toContain("Location");
      expect(operation(method, path).parameters).toContainEqual({
        $ref: "#/components/parameters/IdempotencyKey",
      });
      expect(
        operation(method, path).responses[409].content["application/json"].schema.allOf[1].properties.code
          .enum,
      ).toContain("IDEMPOTENCY_KEY_REUSED");
    }
    for (const method of ["PUT", "PATCH"]) {
      expect(operation(method, market).parameters).toContainEqual({
        $ref: "#/components/parameters/IfMatch",
      });
      expect(operation(method, market).responses[412]).toBeDefined();
    }
    expect(operation("GET", market).parameters).toContainEqual({
      $ref: "#/components/parameters/IfNoneMatch",
    });
    expect(operation("DELETE", market).responses[409].description).toContain("MARKET_HAS_POSITIONS");
    for (const route of routes) {
      const parameters: Json[] = operation(route.method, route.path).parameters;
      expect(parameters).toContainEqual({ $ref: "#/components/parameters/XRequestId" });
      const takesBody = Boolean(route.body);
      const responses = operation(route.method, route.path).responses;
      expect([responses[413] !== undefined, responses[415] !== undefined], route.path).toEqual([
        takesBody,
        takesBody,
      ]);
    }
  });

  it("requires the bearer token on routes with a permission and accepts one on public routes", () => {
    for (const route of routes) {
      const { security } = operation(route.method, route.path);
      expect(security, `${route.method} ${route.path}`).toEqual(
        route.permission ? [{ bearerAuth: [] }] : [{}, { bearerAuth: [] }],
      );
    }
    expect(doc.components.securitySchemes.bearerAuth).toMatchObject({ type: "http", scheme: "bearer" });
  });
});
