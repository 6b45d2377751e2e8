/**
 * docs/openapi.json is the document `npm run build` generates from the route table, byte for byte:
 * a change to a route, a schema or a response description must come with the regenerated file.
 * The rest checks what generated clients rely on: typed query parameters with their ranges,
 * non-empty PATCH bodies, and the metadata linters and viewers expect.
 */
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { serializedOpenApiDocument } from "../../../infra/openapi-document.ts";
import { routes } from "../../../infra/route-table.ts";
import type { Json } from "../../support/api-client.ts";

const committed = readFileSync(new URL("../../../docs/openapi.json", import.meta.url), "utf8");
const doc: Json = JSON.parse(committed);
const METHODS = ["get", "put", "post", "patch", "delete"];
const queryParameter = (path: string, name: string): Json =>
  doc.paths[path].get.parameters.find((p: Json) => p.in === "query" && p.name === name);

describe("docs/openapi.json", () => {
  it("is what the build generates from the route table (run `npm run build` and commit it)", () => {
    expect(committed).toBe(serializedOpenApiDocument(routes));
  });

  it("types limit and offset as integers with the API's ranges and defaults", () => {
    for (const path of ["/api/markets", "/api/markets/{id}/positions", "/api/me/positions"]) {
      expect(queryParameter(path, "limit").schema, path).toEqual({
        type: "integer",
        minimum: 1,
        maximum: 100,
        default: 20,
      });
    }
    expect(queryParameter("/api/markets/search", "limit").schema).toEqual({
      type: "integer",
      minimum: 1,
      maximum: 50,
      default: 10,
    });
    expect(queryParameter("/api/markets", "offset").schema).toEqual({
      type: "integer",
      minimum: 0,
      maximum: 1000,
    });
  });

  it("refuses an empty PATCH body, as the API does", () => {
    const body = doc.paths["/api/markets/{id}"].patch.requestBody.content["application/json"].schema;
    expect(body.minProperties).toBe(1);
  });

  it("gives every operation a tag that is declared, a description and the documented error envelope", () => {
    const declared = new Set(doc.tags.map((tag: Json) => tag.name));
    for (const [path, item] of Object.entries(doc.paths as Record<string, Json>)) {
      for (const method of METHODS.filter((each) => item[each])) {
        const operation = item[method];
        expect(operation.tags.length, `${method} ${path}`).toBeGreaterThan(0);
        for (const tag of operation.tags) expect(declared.has(tag), `${method} ${path}: ${tag}`).toBe(true);
        expect(operation.description?.length, `${method} ${path}`).toBeGreaterThan(20);
        const internal = operation.responses["500"].content["application/json"];
        expect(internal.schema.allOf[0]).toEqual({ $ref: "#/components/schemas/Error" });
        expect(internal.example.code).toBe("INTERNAL");
      }
    }
  });

  it("names a contact, a license and the bearer scheme", () => {
    expect(doc.info.contact.name).toBeTruthy();
    expect(doc.info.license.name).toBeTruthy();
    expect(doc.components.securitySchemes.bearerAuth).toMatchObject({ type: "http", scheme: "bearer" });
  });

  it("leaves the docs page out: it is a page for people, not an API operation", () => {
    expect(doc.paths["/docs"]).toBeUndefined();
  });
});
