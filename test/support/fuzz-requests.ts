/**
 * Request generators for the fuzz suite. Each generated request is data (fast-check prints and
 * shrinks it); market ids and tokens are picked at send time from the world the test built, so a
 * request can aim at a real draft, a closed market or one that is gone.
 *
 * Two families: `schemaRequest` follows one operation of the OpenAPI document (its path, query
 * parameters and body schema, valid or one step off), `freeFormRequest` is hostile input that no
 * schema describes (huge and deeply nested bodies, NUL bytes, lone surrogates, invalid UTF-8, edge
 * numbers, prototype keys, repeated or odd headers and query parameters, forged cursors, odd
 * content types). `viaEvent` requests skip the HTTP gateway and go to the bundle as an API Gateway
 * event with a base64-encoded body, which the local gateway only produces for binary media types.
 */
import fc from "fast-check";
import {
  EDGE_NUMBERS,
  type JsonSchema,
  nearMiss,
  PROTOTYPE_KEYS,
  validValue,
} from "./json-schema-arbitrary.ts";

export const CALLERS = ["anonymous", "alice", "bob", "moderator", "admin", "bad-token"] as const;
export type CallerName = (typeof CALLERS)[number];

export interface Operation {
  method: string;
  /** Path template, `{id}` for the market id. */
  path: string;
  query: { name: string; required: boolean; schema: JsonSchema }[];
  body?: JsonSchema;
}

/** Where the market id comes from: the world's pool (index modulo its size) or a literal segment. */
export type IdChoice = { pool: number } | { segment: string };

export interface FuzzRequest {
  family: "schema" | "free-form";
  method: string;
  path: string;
  id?: IdChoice;
  /** Raw query string without `?`, already encoded. */
  query: string;
  headers: [string, string][];
  caller: CallerName;
  /** A bad token's Authorization value, for caller "bad-token". */
  badAuthorization?: string;
  body?: Buffer;
  /** Send as an API Gateway event with `isBase64Encoded: true` instead of over HTTP. */
  viaEvent: boolean;
}

/** The operations of an OpenAPI document, with `$ref` parameters resolved and headers left out. */
export function operationsOf(document: {
  paths: Record<string, Record<string, unknown>>;
  components?: { parameters?: Record<string, unknown> };
}): Operation[] {
  const operations: Operation[] = [];
  for (const [path, item] of Object.entries(document.paths)) {
    for (const [method, raw] of Object.entries(item)) {
      const operation = raw as {
        parameters?: (
          | { $ref?: string; name?: string; in?: string; required?: boolean; schema?: JsonSchema }
          | undefined
        )[];
        requestBody?: { content?: Record<string, { schema?: JsonSchema }> };
      };
      const parameters = (operation.parameters ?? []).map((parameter) =>
        parameter?.$ref
          ? (document.components?.parameters?.[parameter.$ref.split("/").pop() ?? ""] as typeof parameter)
          : parameter,
      );
      operations.push({
        method: method.toUpperCase(),
        path,
        query: parameters
          .filter((parameter) => parameter?.in === "query")
          .map((parameter) => ({
            name: String(parameter?.name),
            required: parameter?.required === true,
            schema: parameter?.schema ?? {},
          })),
        body: operation.requestBody?.content?.["application/json"]?.schema,
      });
    }
  }
  return operations;
}

/**
 * Percent-encoding that also takes lone surrogates, which encodeURIComponent refuses: they go out
 * as the three bytes a careless client's encoder would write (WTF-8), invalid UTF-8 on the wire.
 */
function enc(value: string): string {
  if (value.isWellFormed()) return encodeURIComponent(value);
  let out = "";
  for (const char of value) {
    const code = char.codePointAt(0) ?? 0;
    if (code < 0xd800 || code > 0xdfff) out += encodeURIComponent(char);
    else {
      for (const byte of [0xe0 | (code >> 12), 0x80 | ((code >> 6) & 0x3f), 0x80 | (code & 0x3f)]) {
        out += `%${byte.toString(16).toUpperCase()}`;
      }
    }
  }
  return out;
}

/**
 * Strings a hostile client puts anywhere: NUL, lone surrogates, bidi overrides, long ones. Kept
 * under 4,000 characters, since they go into URLs: API Gateway refuses request lines over 10 KB
 * itself, so longer ones never reach a function (huge bodies are generated separately).
 */
const hostileString = fc.oneof(
  fc.string({ maxLength: 20 }),
  fc.string({ unit: "binary", maxLength: 20 }),
  fc.constantFrom(
    "",
    " ",
    "\u0000",
    "a\u0000b",
    "\ud800",
    "victim\ud8001",
    "\udfffx",
    "\u202eevil",
    "\ufeff",
    "\r\n",
    "null",
    "undefined",
    "NaN",
    "-1",
    "1e400",
    "../../etc/passwd",
    "%00",
    "' OR '1'='1",
    "<script>",
    "$" + "{jndi:x}",
  ),
  ...PROTOTYPE_KEYS.map((key) => fc.constant(key)),
  fc.integer({ min: 100, max: 4_000 }).map((length) => "x".repeat(length)),
);

const forgedCursor = fc
  .record({
    v: fc.constantFrom<unknown>(1, 2, "1", null),
    o: fc.constantFrom(
      "createdAt:desc",
      "createdAt:asc",
      "closesAt:asc",
      "closesAt:desc",
      "volume:desc",
      "volume:asc",
      "market-positions",
      "user-positions",
      "__proto__",
    ),
    k: fc.oneof(
      fc
        .tuple(fc.integer({ min: 1, max: 20 }), fc.integer({ min: 0, max: 20 }))
        .map(([whole, fraction]) => `${"9".repeat(whole)}.${"0".repeat(fraction)}`),
      fc.constantFrom(
        "2026-01-01T00:00:00.000Z#01ABC",
        "9999-99-99T99:99:99.999Z#x",
        "u-1",
        "victim\ud8001",
        "a\u0000b",
        "",
        "x".repeat(600),
      ),
      hostileString,
    ),
  })
  .map((cursor) => Buffer.from(JSON.stringify(cursor)).toString("base64url"));

/** A query string value: valid for its schema, one step off, or hostile; then percent-encoded. */
const queryValue = (schema: JsonSchema) =>
  fc
    .oneof(
      { weight: 4, arbitrary: validValue(schema) },
      { weight: 2, arbitrary: nearMiss(schema) },
      { weight: 1, arbitrary: hostileString },
    )
    .map((value) => enc(typeof value === "string" ? value : (JSON.stringify(value) ?? "")));

const idSegment: fc.Arbitrary<IdChoice> = fc.oneof(
  { weight: 6, arbitrary: fc.nat().map((pool) => ({ pool })) },
  {
    weight: 3,
    arbitrary: fc
      .oneof(
        fc.stringMatching(/^[A-Za-z0-9_-]{1,130}$/).map(enc),
        hostileString.map(enc),
        fc.constantFrom(
          "%30",
          "%2F",
          "%2e%2e",
          "%ZZ",
          "%",
          "%ED%A0%80",
          "%C0%AF",
          "%00",
          "search",
          "__proto__",
          "constructor",
          "01HMISSING0000000000000000",
          "%E2%80%AE",
          "%C3%A9",
          "%FF%FE",
        ),
      )
      .map((segment) => ({ segment: segment.length > 0 ? segment : "%20" })),
  },
);

const contentTypes = fc.constantFrom(
  "application/json",
  "application/json; charset=utf-8",
  "APPLICATION/JSON",
  'application/json; charset="UTF-8"',
  "application/json; charset=latin1",
  "application/json; boundary=x",
  "application/json, text/plain",
  "text/plain",
  "text/json",
  "application/x-www-form-urlencoded",
  "multipart/form-data; boundary=x",
  "application/octet-stream",
  "image/png",
  "application/vnd.api+json",
  "",
  ";;;",
);

/** What HTTP allows in a header value: visible ASCII, spaces and obs-text (0x80–0xff), no DEL. */
const latin1Text = fc.string({
  unit: fc
    .oneof(fc.integer({ min: 0x20, max: 0x7e }), fc.integer({ min: 0x80, max: 0xff }))
    .map((code) => String.fromCharCode(code)),
  maxLength: 40,
});

/** Headers beyond the caller's token: request ids, idempotency keys, ETags, proxies, repeats. */
const oddHeaders: fc.Arbitrary<[string, string][]> = fc.array(
  fc.oneof(
    fc.tuple(
      fc.constant("x-request-id"),
      fc.oneof(fc.stringMatching(/^[A-Za-z0-9._~-]{1,128}$/), latin1Text, fc.constant("x".repeat(200))),
    ),
    fc.tuple(
      fc.constant("idempotency-key"),
      fc.oneof(fc.stringMatching(/^[\x21-\x7e]{1,20}$/), latin1Text, fc.constant("k".repeat(129))),
    ),
    fc.tuple(
      fc.constantFrom("if-match", "if-none-match"),
      fc.constantFrom(
        '"1"',
        '"2"',
        "*",
        'W/"1"',
        '"0"',
        '"99999999999999999999"',
        '"1", "2"',
        "junk",
        '""',
        "",
      ),
    ),
    fc.tuple(
      fc.constantFrom("x-forwarded-for", "x-real-ip"),
      fc.constantFrom("10.0.0.1", "::1, 1.2.3.4", "junk"),
    ),
    fc.tuple(fc.constant("content-type"), contentTypes),
    fc.tuple(fc.constantFrom("accept", "accept-encoding", "x-amzn-trace-id", "cookie", "origin"), latin1Text),
  ),
  { maxLength: 4 },
);

const prototypeBodies = [
  '{"__proto__":{"role":"admin","isAdmin":true}}',
  '{"constructor":{"prototype":{"polluted":true}}}',
  '{"name":"Prototype market","closesAt":"2030-01-01T00:00:00Z","__proto__":{"status":"resolved"}}',
  '{"displayName":"x","__proto__":null}',
  '{"side":"yes","amount":1,"constructor":{"name":"x"}}',
];

/** JSON text no schema describes, and bytes that are not JSON or not UTF-8 at all. */
const freeFormBody: fc.Arbitrary<Buffer> = fc.oneof(
  fc.integer({ min: 1, max: 30_000 }).map((depth) => Buffer.from(`${"[".repeat(depth)}${"]".repeat(depth)}`)),
  fc
    .integer({ min: 1, max: 5_000 })
    .map((depth) => Buffer.from(`${'{"a":'.repeat(depth)}1${"}".repeat(depth)}`)),
  fc
    .tuple(
      fc.constantFrom("name", "displayName", "description", "side"),
      fc.integer({ min: 1_000, max: 70_000 }),
    )
    .map(([key, length]) => Buffer.from(JSON.stringify({ [key]: "y".repeat(length) }))),
  fc.constantFrom(...prototypeBodies).map((text) => Buffer.from(text)),
  fc
    .constantFrom(
      ...EDGE_NUMBERS.map(String),
      "1e400",
      "-1e400",
      "1e-400",
      "123456789012345678901234567890",
      "-0.0",
    )
    .map((number) => Buffer.from(`{"side":"yes","amount":${number}}`)),
  fc
    .constantFrom(
      '{"name":"\\u0000\\u0000\\u0000","closesAt":"2030-01-01T00:00:00Z"}',
      '{"displayName":"\\ud800"}',
      '{"displayName":"a\\udfffb"}',
      '{"name":"dup","name":"duplicate keys win last","closesAt":"2030-01-01T00:00:00Z"}',
      '{"displayName":"ok"} trailing',
      '{"displayName":"ok",}',
      "// comment\n{}",
      "[]",
      '"string"',
      "42",
      "null",
      "true",
      "{}",
      "   ",
      "\ufeff{}",
      "\ufeff\ufeff{}",
      "not json",
      "{",
    )
    .map((text) => Buffer.from(text)),
  // Invalid UTF-8: a stray continuation byte, an overlong slash, an encoded surrogate, a cut sequence.
  fc
    .constantFrom([0xff], [0xc0, 0xaf], [0xed, 0xa0, 0x80], [0xe2, 0x82], [0xc3, 0x28])
    .map((bytes) => Buffer.concat([Buffer.from('{"displayName":"'), Buffer.from(bytes), Buffer.from('"}')])),
  fc.uint8Array({ maxLength: 64 }).map((bytes) => Buffer.from(bytes)),
  fc.jsonValue({ maxDepth: 4 }).map((value) => Buffer.from(JSON.stringify(value) ?? "null")),
);

const badAuthorization = fc.constantFrom(
  "Bearer",
  "Bearer ",
  "Bearer a.b.c",
  "Bearer not-a-jwt",
  "Basic dXNlcjpwYXNz",
  "bearer eyJhbGciOiJub25lIn0.eyJzdWIiOiJ4Iiwicm9sZSI6ImFkbWluIn0.",
  `Bearer ${"x".repeat(8_000)}.${"y".repeat(10)}.z`,
  "Bearer \u00ff\u00fe.\u00e9.x",
  "Token abc",
);

const callerArb = fc.constantFrom(...CALLERS);

function withCaller(request: Omit<FuzzRequest, "caller" | "badAuthorization">): fc.Arbitrary<FuzzRequest> {
  return fc.tuple(callerArb, badAuthorization).map(([caller, bad]) => ({
    ...request,
    caller,
    ...(caller === "bad-token" ? { badAuthorization: bad } : {}),
  }));
}

/** A request that follows `operation`: its parameters and body, valid or one step off. */
export function schemaRequest(operation: Operation): fc.Arbitrary<FuzzRequest> {
  const query = fc
    .tuple(
      ...operation.query.map((parameter) =>
        fc.option(queryValue(parameter.schema), { freq: parameter.required ? 8 : 2 }),
      ),
    )
    .map((values) =>
      values.flatMap((value, index) =>
        value === null ? [] : [`${enc(operation.query[index]?.name ?? "")}=${value}`],
      ),
    );
  const body = operation.body
    ? fc.option(
        fc
          .oneof(
            { weight: 3, arbitrary: validValue(operation.body) },
            { weight: 2, arbitrary: nearMiss(operation.body) },
          )
          .map((value) => Buffer.from(JSON.stringify(value) ?? "null")),
        { freq: 10 },
      )
    : fc.constant(null);
  return fc
    .record({
      id: operation.path.includes("{id}") ? idSegment : fc.constant(undefined),
      query,
      body,
      headers: oddHeaders,
      viaEvent: fc.boolean().map((flip) => flip && operation.body !== undefined),
    })
    .chain((parts) =>
      withCaller({
        family: "schema",
        method: operation.method,
        path: operation.path,
        ...(parts.id ? { id: parts.id } : {}),
        query: parts.query.join("&"),
        headers: parts.body ? [["content-type", "application/json"], ...parts.headers] : parts.headers,
        ...(parts.body ? { body: parts.body } : {}),
        viaEvent: parts.viaEvent && parts.body !== null,
      }),
    );
}

/** Hostile query strings: prototype keys, repeats, bad escapes, forged cursors. */
const freeFormQuery = fc
  .array(
    fc.oneof(
      fc.constantFrom(...PROTOTYPE_KEYS).map((key) => `${key}=1`),
      fc.constantFrom("__proto__[role]=admin", "constructor[prototype][x]=1", "a=1&a=2", "limit=1&limit=2"),
      fc.constantFrom(
        "=",
        "&",
        "%",
        "%ZZ=1",
        "limit=%00",
        "limit=1e3",
        "limit=-1",
        "limit=%D9%A3",
        "q=%ED%A0%80",
      ),
      forgedCursor.map((cursor) => `cursor=${cursor}`),
      fc
        .tuple(
          fc.constantFrom("sort", "order", "fields", "status", "creatorId", "category", "q", "offset"),
          hostileString,
        )
        .map(([key, value]) => `${key}=${enc(value)}`),
      fc.tuple(hostileString, hostileString).map(([key, value]) => `${enc(key)}=${enc(value)}`),
    ),
    { maxLength: 4 },
  )
  .map((parts) => parts.join("&"));

/** A request for any route, or a path next to one, that no schema describes. */
export function freeFormRequest(operations: readonly Operation[]): fc.Arbitrary<FuzzRequest> {
  const method = fc.oneof(
    { weight: 8, arbitrary: fc.constantFrom(...new Set(operations.map((operation) => operation.method))) },
    { weight: 1, arbitrary: fc.constantFrom("HEAD", "OPTIONS", "TRACE", "PROPFIND") },
  );
  const path = fc.oneof(
    { weight: 6, arbitrary: fc.constantFrom(...new Set(operations.map((operation) => operation.path))) },
    {
      weight: 1,
      arbitrary: fc.constantFrom(
        "/api/markets/{id}/positions/extra",
        "/api//markets",
        "/api/markets/",
        "/API/MARKETS",
        "/api/markets/{id}/index/",
        "/api/me/",
        "/api/%6Darkets",
        "/",
        "/api",
      ),
    },
  );
  return fc
    .record({
      method,
      path,
      id: idSegment,
      query: freeFormQuery,
      headers: oddHeaders,
      contentType: fc.option(contentTypes, { freq: 6 }),
      body: fc.option(freeFormBody, { freq: 8 }),
      viaEvent: fc.boolean(),
    })
    .chain((parts) =>
      withCaller({
        family: "free-form",
        method: parts.method,
        path: parts.path,
        ...(parts.path.includes("{id}") ? { id: parts.id } : {}),
        query: parts.query,
        headers:
          parts.contentType === null
            ? parts.headers
            : [["content-type", parts.contentType], ...parts.headers],
        ...(parts.body ? { body: parts.body } : {}),
        viaEvent: parts.viaEvent && parts.body !== null && !parts.path.includes("//"),
      }),
    );
}
