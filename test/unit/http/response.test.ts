/** The success answers of API.md: status, envelope and headers. */
import { describe, expect, it } from "vitest";
import {
  accepted,
  created,
  JSON_CONTENT_TYPE,
  json,
  noContent,
  notModified,
  ok,
} from "../../../shared/http/response.ts";

const JSON_HEADER = { "Content-Type": "application/json; charset=utf-8" };

describe("response builders", () => {
  it.each([
    ["ok", ok({ id: 1 }), 200, JSON_HEADER, { success: true, data: { id: 1 } }],
    [
      "ok with meta and headers",
      ok([1], { meta: { nextCursor: null }, headers: { ETag: '"2"' } }),
      200,
      { ...JSON_HEADER, ETag: '"2"' },
      { success: true, data: [1], meta: { nextCursor: null } },
    ],
    [
      "created",
      created({ id: "m-1" }, "/api/markets/m-1", { ETag: '"1"' }),
      201,
      { ...JSON_HEADER, Location: "/api/markets/m-1", ETag: '"1"' },
      { success: true, data: { id: "m-1" } },
    ],
    [
      "accepted",
      accepted("Reindexing queued", { queued: 3 }),
      202,
      JSON_HEADER,
      { success: true, message: "Reindexing queued", data: { queued: 3 } },
    ],
    ["json", json(418, { x: 1 }), 418, JSON_HEADER, { x: 1 }],
  ])("%s answers %i with its envelope", (_name, result, status, headers, payload) => {
    expect(result.statusCode).toBe(status);
    expect(result.headers).toEqual(headers);
    expect(JSON.parse(result.body as string)).toEqual(payload);
  });

  it("says JSON in UTF-8", () => {
    expect(JSON_CONTENT_TYPE).toBe("application/json; charset=utf-8");
  });

  it("answers 204 and 304 without a body", () => {
    expect(noContent()).toEqual({ statusCode: 204, headers: {} });
    expect(notModified({ ETag: '"3"' })).toEqual({ statusCode: 304, headers: { ETag: '"3"' } });
  });
});
