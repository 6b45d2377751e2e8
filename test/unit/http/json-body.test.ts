import type { APIGatewayProxyEventV2 } from "aws-lambda";
import { describe, expect, it } from "vitest";
import type { AppError } from "../../../shared/errors.ts";
import { MAX_BODY_BYTES, readJsonBody } from "../../../shared/http/json-body.ts";

/** Read a body; returns what admission would record: the value, or the error that answers for it. */
async function read(
  body: Buffer | string | undefined,
  options: { contentType?: string; base64?: boolean } = {},
): Promise<{ body?: unknown; bodyError?: AppError }> {
  const base64 = options.base64 ?? Buffer.isBuffer(body);
  const event = {
    headers: { "content-type": options.contentType ?? "application/json" },
    isBase64Encoded: base64,
    ...(body === undefined ? {} : { body: base64 ? Buffer.from(body).toString("base64") : String(body) }),
  } as unknown as APIGatewayProxyEventV2;
  // Never throws: a bad body is recorded for after the rate limiter.
  const { value, error } = readJsonBody(event);
  return { ...(value === undefined ? {} : { body: value }), ...(error ? { bodyError: error } : {}) };
}

describe("readJsonBody", () => {
  it("parses a JSON body, plain or base64", async () => {
    expect((await read('{"a":1}')).body).toEqual({ a: 1 });
    expect((await read(Buffer.from('{"a":"é"}'))).body).toEqual({ a: "é" });
  });

  it("drops a leading byte order mark", async () => {
    const state = await read(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('{"a":1}')]));
    expect(state.bodyError).toBeUndefined();
    expect(state.body).toEqual({ a: 1 });
    expect((await read('\uFEFF{"b":2}')).body).toEqual({ b: 2 });
  });

  it("records invalid UTF-8 as INVALID_JSON instead of reading U+FFFD", async () => {
    const state = await read(Buffer.from([0x7b, 0x22, 0x61, 0x22, 0x3a, 0x22, 0xff, 0xfe, 0x22, 0x7d]));
    expect(state.body).toBeUndefined();
    expect(state.bodyError).toMatchObject({ code: "INVALID_JSON" });
  });

  it("records 413, 415 and INVALID_JSON rather than throwing them", async () => {
    expect((await read("x".repeat(MAX_BODY_BYTES + 1))).bodyError).toMatchObject({
      code: "PAYLOAD_TOO_LARGE",
    });
    expect((await read('{"a":1}', { contentType: "text/plain" })).bodyError).toMatchObject({
      code: "UNSUPPORTED_MEDIA_TYPE",
    });
    expect((await read("{not json")).bodyError).toMatchObject({ code: "INVALID_JSON" });
  });

  it("leaves a missing body to validation, but an empty one declared as JSON is INVALID_JSON", async () => {
    const missing = await read(undefined, { contentType: "" });
    expect(missing.body).toBeUndefined();
    expect(missing.bodyError).toBeUndefined();
    expect((await read(undefined)).bodyError).toMatchObject({ code: "INVALID_JSON" });
    expect((await read("")).bodyError).toMatchObject({ code: "INVALID_JSON" });
  });

  it("takes a body of exactly the limit", async () => {
    const body = JSON.stringify("x".repeat(MAX_BODY_BYTES - 2));
    expect(Buffer.byteLength(body)).toBe(MAX_BODY_BYTES);
    expect((await read(body)).bodyError).toBeUndefined();
  });

  it("records a text body holding a lone surrogate as INVALID_JSON, not as U+FFFD", async () => {
    const state = await read('{"a":"\uD800"}', { base64: false });
    expect(state.body).toBeUndefined();
    expect(state.bodyError).toMatchObject({ code: "INVALID_JSON" });
  });

  it("treats a null body as no body, and a body without Content-Type as 415", async () => {
    const none = readJsonBody({
      headers: {},
      body: null,
      isBase64Encoded: false,
    } as unknown as APIGatewayProxyEventV2);
    expect(none).toEqual({});
    const untyped = readJsonBody({ body: "{}", isBase64Encoded: false } as unknown as APIGatewayProxyEventV2);
    expect(untyped.error).toMatchObject({ code: "UNSUPPORTED_MEDIA_TYPE" });
  });

  it.each([
    ["application/json", true],
    ["Application/JSON", true],
    ["application/json ", true],
    ["application/json; charset=utf-8", true],
    ["application/json;charset=UTF-8", true],
    ['application/json; charset="utf-8"', true],
    ["application/json ;  charset = utf-8 ", true],
    ["application/jsonx", false],
    ["application/json-patch+json", false],
    ["text/application/json", false],
    [" application/json", false],
    ["application/json; charset=latin1", false],
    ["application/json; charset=utf-8x", false],
    ["application/json; charset=utf-8; x=1", false],
    ["application/json; charsetx=utf-8", false],
    ["application/json; charset", false],
    ["text/plain", false],
  ])("Content-Type %j is JSON: %s", async (contentType, json) => {
    const state = await read('{"a":1}', { contentType });
    if (json) expect(state).toEqual({ body: { a: 1 } });
    else expect(state.bodyError).toMatchObject({ code: "UNSUPPORTED_MEDIA_TYPE" });
  });
});
