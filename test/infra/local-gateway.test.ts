/**
 * The local gateway must hand the bundles the events API Gateway would: same route choice, same
 * payload-2.0 shape and quirks, and the API's 404 envelope for routes that do not exist.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { request as httpRequest } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { APIGatewayProxyEventV2 } from "aws-lambda";
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { fromHandlerResult, toHttpApiEvent } from "../../infra/local/api-gateway-event.ts";
import { type HttpGateway, type Invoker, startHttpGateway } from "../../infra/local/http-gateway.ts";
import { LambdaRuntime, LambdaTimeoutError } from "../../infra/local/lambda-runtime.ts";
import { RouteMatcher } from "../../infra/local/route-matcher.ts";
import { routes } from "../../infra/route-table.ts";

describe("route matching", () => {
  const matcher = new RouteMatcher(routes);

  it("prefers a literal segment over a parameter: /search is not a market id", () => {
    expect(matcher.match("GET", "/api/markets/search")?.route.handler).toBe("markets/search");
    const byId = matcher.match("GET", "/api/markets/01J0ABC");
    expect(byId?.route.handler).toBe("markets/get");
    expect(byId?.pathParameters).toEqual({ id: "01J0ABC" });
    expect(byId?.routeKey).toBe("GET /api/markets/{id}");
  });

  it("matches the method too, and nested paths by segment count", () => {
    expect(matcher.match("POST", "/api/markets/m1/positions")?.route.handler).toBe("positions/open");
    expect(matcher.match("GET", "/api/markets/m1/positions")?.route.handler).toBe(
      "positions/list-for-market",
    );
    expect(matcher.match("POST", "/api/health")).toBeUndefined();
    expect(matcher.match("GET", "/api/markets/m1/nothing")).toBeUndefined();
  });

  it("decodes path parameters and refuses empty segments", () => {
    expect(matcher.match("GET", "/api/markets/a%20b")?.pathParameters).toEqual({ id: "a b" });
    expect(matcher.match("GET", "/api/markets/")).toBeUndefined();
  });
});

describe("event conversion", () => {
  const route = { routeKey: "GET /api/markets", pathParameters: {} };
  const base = {
    method: "GET",
    url: "/api/markets",
    rawHeaders: [] as string[],
    body: Buffer.alloc(0),
    sourceIp: "::ffff:10.1.2.3",
    protocol: "HTTP/1.1",
  };

  it("joins repeated query parameters and headers with commas, as API Gateway does", () => {
    const event = toHttpApiEvent(
      {
        ...base,
        url: "/api/markets?status=active&status=closed&q=rain%20paris",
        rawHeaders: ["X-Trace", "a", "x-trace", "b", "Host", "example.test:3000", "Cookie", "a=1; b=2"],
      },
      route,
      { requestId: "req-1", now: new Date("2026-01-02T03:04:05Z") },
    );
    expect(event.rawQueryString).toBe("status=active&status=closed&q=rain%20paris");
    expect(event.queryStringParameters).toEqual({ status: "active,closed", q: "rain paris" });
    expect(event.headers["x-trace"]).toBe("a,b");
    expect(event.headers.cookie).toBeUndefined();
    expect(event.cookies).toEqual(["a=1", "b=2"]);
    expect(event.requestContext).toMatchObject({
      requestId: "req-1",
      stage: "$default",
      apiId: "local",
      domainName: "example.test",
      time: "02/Jan/2026:03:04:05 +0000",
      timeEpoch: Date.parse("2026-01-02T03:04:05Z"),
      http: { method: "GET", path: "/api/markets", protocol: "HTTP/1.1", sourceIp: "10.1.2.3" },
    });
  });

  it("omits the optional parts of an empty request", () => {
    const event = toHttpApiEvent(base, route, { requestId: "r" });
    expect(event.queryStringParameters).toBeUndefined();
    expect(event.pathParameters).toBeUndefined();
    expect(event.body).toBeUndefined();
    expect(event.isBase64Encoded).toBe(false);
  });

  it("passes JSON as text and anything else base64-encoded", () => {
    const json = toHttpApiEvent(
      {
        ...base,
        method: "POST",
        rawHeaders: ["Content-Type", "application/json"],
        body: Buffer.from('{"a":1}'),
      },
      route,
      { requestId: "r" },
    );
    expect(json).toMatchObject({ body: '{"a":1}', isBase64Encoded: false });
    const bytes = Buffer.from([0, 255, 1, 2]);
    const binary = toHttpApiEvent(
      { ...base, method: "POST", rawHeaders: ["Content-Type", "image/png"], body: bytes },
      route,
      { requestId: "r" },
    );
    expect(binary).toMatchObject({ body: bytes.toString("base64"), isBase64Encoded: true });
  });

  it("passes a JSON body that is not valid UTF-8 base64-encoded, byte for byte", () => {
    const bytes = Buffer.concat([Buffer.from('{"name":"a'), Buffer.from([0xff, 0xc3]), Buffer.from('"}')]);
    const event = toHttpApiEvent(
      { ...base, method: "POST", rawHeaders: ["Content-Type", "application/json"], body: bytes },
      route,
      { requestId: "r" },
    );
    expect(event.isBase64Encoded).toBe(true);
    expect(Buffer.from(event.body ?? "", "base64")).toEqual(bytes);
  });

  it("builds headers and query parameters without a prototype", () => {
    const event = toHttpApiEvent(
      {
        ...base,
        url: "/api/markets?__proto__=1&constructor=x",
        rawHeaders: ["__proto__", "p", "Constructor", "c"],
      },
      route,
      { requestId: "r" },
    );
    expect(event.headers).toMatchObject({ __proto__: "p", constructor: "c" });
    expect(Object.hasOwn(event.headers, "__proto__")).toBe(true);
    expect(Object.hasOwn(event.queryStringParameters ?? {}, "__proto__")).toBe(true);
    expect(event.queryStringParameters?.constructor).toBe("x");
  });

  it("reads results like API Gateway: structured, base64, or a bare value as 200 JSON", () => {
    const structured = fromHandlerResult({
      statusCode: 201,
      headers: { Location: "/x", "X-Count": 3 },
      cookies: ["s=1; HttpOnly"],
      body: Buffer.from("hi").toString("base64"),
      isBase64Encoded: true,
    });
    expect(structured.statusCode).toBe(201);
    expect(structured.headers).toEqual({ location: "/x", "x-count": "3" });
    expect(structured.cookies).toEqual(["s=1; HttpOnly"]);
    expect(structured.body.toString()).toBe("hi");
    const bare = fromHandlerResult({ hello: "world" });
    expect(bare.statusCode).toBe(200);
    expect(bare.headers["content-type"]).toBe("application/json");
    expect(JSON.parse(bare.body.toString())).toEqual({ hello: "world" });
  });
});

describe("the HTTP gateway", () => {
  let gateway: HttpGateway;
  const invocations: { bundle: string; event: APIGatewayProxyEventV2 }[] = [];
  let respond: (event: APIGatewayProxyEventV2) => Promise<unknown> = async () => ({ statusCode: 204 });
  const invoker: Invoker = {
    invoke: async (bundle, event) => {
      invocations.push({ bundle, event: event as APIGatewayProxyEventV2 });
      return respond(event as APIGatewayProxyEventV2);
    },
  };

  beforeAll(async () => {
    gateway = await startHttpGateway({ invoker });
  });
  afterAll(() => gateway.close());
  beforeEach(() => {
    invocations.length = 0;
    respond = async () => ({ statusCode: 204 });
  });

  it("routes to the bundle and reports the socket's address, not X-Forwarded-For", async () => {
    const response = await fetch(`${gateway.url}/api/markets/search?q=rain`, {
      headers: { "X-Forwarded-For": "203.0.113.9" },
    });
    expect(response.status).toBe(204);
    expect(response.headers.get("apigw-requestid")).toBeTruthy();
    expect(invocations[0]?.bundle).toBe("markets-search");
    expect(invocations[0]?.event.requestContext.http.sourceIp).toBe("127.0.0.1");
    expect(invocations[0]?.event.headers["x-forwarded-for"]).toBe("203.0.113.9");
  });

  it("sends raw bytes of a non-JSON body base64-encoded", async () => {
    const bytes = Buffer.from([137, 80, 78, 71, 0, 1]);
    await fetch(`${gateway.url}/api/markets`, {
      method: "POST",
      headers: { "Content-Type": "image/png" },
      body: bytes,
    });
    expect(invocations[0]?.event.isBase64Encoded).toBe(true);
    expect(Buffer.from(invocations[0]?.event.body ?? "", "base64")).toEqual(bytes);
  });

  it("sends repeated headers joined with commas", async () => {
    const headers = await new Promise<Record<string, string>>((resolve, reject) => {
      const request = httpRequest(`${gateway.url}/api/health`, {
        // The raw-array form keeps the repeats; Node then sends no Host header of its own.
        headers: ["Host", "127.0.0.1", "X-Tag", "one", "X-Tag", "two"],
      });
      request.on("response", (response) => {
        response.resume();
        response.on("end", () => resolve(invocations[0]?.event.headers as Record<string, string>));
      });
      request.on("error", reject);
      request.end();
    });
    expect(headers["x-tag"]).toBe("one,two");
  });

  it("answers 404 with the envelope for an unknown route, and for a known path with another method", async () => {
    for (const [method, path] of [
      ["GET", "/api/nothing-here"],
      ["DELETE", "/api/health"],
    ] as const) {
      const response = await fetch(`${gateway.url}${path}`, {
        method,
        headers: { "x-request-id": "trace-42" },
      });
      expect(response.status).toBe(404);
      expect(response.headers.get("x-request-id")).toBe("trace-42");
      expect(await response.json()).toEqual({
        success: false,
        error: "Route not found",
        code: "NOT_FOUND",
        requestId: "trace-42",
      });
    }
    expect(invocations).toHaveLength(0);
  });

  it("writes status, headers, cookies and body back", async () => {
    respond = async () => ({
      statusCode: 201,
      headers: { "Content-Type": "application/json; charset=utf-8", Location: "/api/markets/m1" },
      cookies: ["a=1", "b=2"],
      body: JSON.stringify({ success: true }),
    });
    const response = await fetch(`${gateway.url}/api/markets`, { method: "POST" });
    expect(response.status).toBe(201);
    expect(response.headers.get("location")).toBe("/api/markets/m1");
    expect(response.headers.getSetCookie()).toEqual(["a=1", "b=2"]);
    expect(await response.json()).toEqual({ success: true });
  });

  it("turns a crashed handler into a 500 INTERNAL envelope without its message", async () => {
    respond = async () => {
      throw new Error("secret table name in here");
    };
    const silence = console.error;
    console.error = () => {};
    try {
      const response = await fetch(`${gateway.url}/api/health`);
      expect(response.status).toBe(500);
      const body = await response.json();
      expect(body).toMatchObject({ success: false, code: "INTERNAL" });
      expect(JSON.stringify(body)).not.toContain("secret");
    } finally {
      console.error = silence;
    }
  });
});

describe("the Lambda runtime", () => {
  let bundlesDir: string;
  let runtime: LambdaRuntime;

  beforeAll(() => {
    bundlesDir = mkdtempSync(join(tmpdir(), "fake-bundles-"));
    mkdirSync(join(bundlesDir, "counter", "chunks"), { recursive: true });
    // The counter lives in a chunk, like shared module state in a real split bundle.
    writeFileSync(join(bundlesDir, "counter", "chunks", "state.mjs"), "export const state = { count: 0 };\n");
    writeFileSync(
      join(bundlesDir, "counter", "index.mjs"),
      `import { state } from "./chunks/state.mjs";
       export const handler = async (event, context) => {
         if (event.sleepMs) await new Promise((resolve) => setTimeout(resolve, event.sleepMs));
         state.count += 1;
         return {
           count: state.count,
           functionName: context.functionName,
           remaining: context.getRemainingTimeInMillis(),
           remainingNow: () => context.getRemainingTimeInMillis(),
         };
       };\n`,
    );
    runtime = new LambdaRuntime({ bundlesDir });
  });
  afterAll(() => {
    runtime.dispose();
    rmSync(bundlesDir, { recursive: true, force: true });
  });

  it("keeps a warm instance's state and gives another instance its own module graph", async () => {
    const first = await runtime.invoke<{ count: number; functionName: string }>("counter", {});
    const second = await runtime.invoke<{ count: number }>("counter", {});
    const other = await runtime.invoke<{ count: number }>("counter", {}, { instance: 2 });
    expect([first.count, second.count, other.count]).toEqual([1, 2, 1]);
    expect(first.functionName).toBe("markets-api-counter");
  });

  it("counts the remaining time down from the timeout and enforces it", async () => {
    // A fake clock (timers stay real), so the countdown is exact instead of "about 5 s".
    vi.useFakeTimers({ toFake: ["Date"], now: Date.parse("2030-01-01T00:00:00.000Z") });
    try {
      const result = await runtime.invoke<{ remaining: number; remainingNow: () => number }>(
        "counter",
        {},
        { timeoutMs: 5_000 },
      );
      expect(result.remaining).toBe(5_000);
      vi.setSystemTime(Date.now() + 1_200);
      expect(result.remainingNow()).toBe(3_800);
      vi.setSystemTime(Date.now() + 10_000);
      expect(result.remainingNow()).toBe(0);
    } finally {
      vi.useRealTimers();
    }
    await expect(runtime.invoke("counter", { sleepMs: 500 }, { timeoutMs: 50 })).rejects.toBeInstanceOf(
      LambdaTimeoutError,
    );
  });
});
