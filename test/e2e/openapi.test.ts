import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { LocalCloud } from "../../infra/local/local-cloud.ts";
import { type ApiClient, type ApiResponse, api, type Json } from "../support/api-client.ts";
import { startE2eCloud } from "../support/e2e-cloud.ts";

/** Every route of API.md's route table. */
const API_ROUTES = [
  ["get", "/api/health"],
  ["get", "/api/markets"],
  ["get", "/api/markets/search"],
  ["get", "/api/markets/{id}"],
  ["post", "/api/markets"],
  ["put", "/api/markets/{id}"],
  ["patch", "/api/markets/{id}"],
  ["delete", "/api/markets/{id}"],
  ["post", "/api/markets/{id}/positions"],
  ["get", "/api/markets/{id}/positions"],
  ["get", "/api/me/positions"],
  ["put", "/api/me"],
  ["post", "/api/markets/{id}/index"],
  ["get", "/api/openapi.json"],
] as const;

let cloud: LocalCloud;
let client: ApiClient;
let res: ApiResponse;
let doc: Json;

beforeAll(async () => {
  cloud = await startE2eCloud();
  client = api(cloud);
  res = await client.get("/api/openapi.json");
  doc = res.body;
});

afterAll(async () => {
  await cloud?.stop();
});

describe("GET /api/openapi.json", () => {
  it("is a JSON OpenAPI 3.1 document, served without a token", () => {
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toMatch(/^application\/json/);
    expect(res.headers.get("x-request-id")).toBeTruthy();
    expect(doc.openapi).toMatch(/^3\.1\.\d+$/);
    expect(typeof doc.info?.title).toBe("string");
    expect(typeof doc.info?.version).toBe("string");
  });

  it("lists every route of API.md, and nothing else", () => {
    for (const [method, path] of API_ROUTES) {
      expect(doc.paths?.[path]?.[method], `${method.toUpperCase()} ${path}`).toBeDefined();
    }
    const listed = Object.entries(doc.paths as Record<string, Record<string, unknown>>).flatMap(
      ([path, item]) =>
        Object.keys(item)
          .filter((key) => ["get", "put", "post", "patch", "delete", "head", "options"].includes(key))
          .map((method) => `${method} ${path}`),
    );
    expect(listed.sort()).toEqual(API_ROUTES.map(([method, path]) => `${method} ${path}`).sort());
  });

  it("every operation has a unique operationId and responses", () => {
    const ids = new Set<string>();
    for (const [method, path] of API_ROUTES) {
      const operation = doc.paths[path][method];
      expect(typeof operation.operationId).toBe("string");
      expect(ids.has(operation.operationId)).toBe(false);
      ids.add(operation.operationId);
      expect(Object.keys(operation.responses ?? {}).length).toBeGreaterThan(0);
    }
  });

  it("declares path parameters and the bearer scheme on protected routes", () => {
    for (const [method, path] of API_ROUTES) {
      if (!path.includes("{id}")) continue;
      const parameters = doc.paths[path][method].parameters ?? [];
      expect(
        parameters.some(
          (p: { name: string; in: string; required: boolean }) =>
            p.name === "id" && p.in === "path" && p.required,
        ),
      ).toBe(true);
    }
    const schemes: Record<string, Json> = doc.components?.securitySchemes ?? {};
    const bearer = Object.values(schemes).find(
      (scheme) => scheme.type === "http" && scheme.scheme === "bearer",
    );
    expect(bearer).toBeDefined();
    for (const [method, path] of [
      ["post", "/api/markets"],
      ["delete", "/api/markets/{id}"],
      ["get", "/api/me/positions"],
      ["put", "/api/me"],
    ] as const) {
      expect(doc.paths[path][method].security?.length, `${method} ${path}`).toBeGreaterThan(0);
    }
  });

  it("describes request bodies and the list's query parameters", () => {
    const create = doc.paths["/api/markets"].post.requestBody?.content?.["application/json"]?.schema;
    expect(create).toBeDefined();
    expect(create.properties).toHaveProperty("name");
    expect(create.properties).toHaveProperty("closesAt");
    expect(create.required).toEqual(expect.arrayContaining(["name", "closesAt"]));
    const names = doc.paths["/api/markets"].get.parameters.map((p: { name: string }) => p.name);
    expect(names).toEqual(
      expect.arrayContaining([
        "status",
        "creatorId",
        "category",
        "sort",
        "order",
        "limit",
        "cursor",
        "offset",
        "fields",
      ]),
    );
    const search = doc.paths["/api/markets/search"].get.parameters.map((p: { name: string }) => p.name);
    expect(search).toEqual(expect.arrayContaining(["q", "limit", "status"]));
    expect(
      doc.paths["/api/me"].put.requestBody?.content?.["application/json"]?.schema?.properties,
    ).toHaveProperty("displayName");
    expect(doc.paths["/api/markets/{id}/positions"].post.requestBody).toBeDefined();
  });

  it("rejects query parameters", async () => {
    const bad = await client.get("/api/openapi.json?x=1");
    expect(bad.status).toBe(400);
  });
});
