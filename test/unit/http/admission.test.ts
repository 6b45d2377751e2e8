/**
 * Admission through the real stack, in API.md's answer order: body (413, 415, 400 INVALID_JSON) →
 * token (401) → permission (401/403) → validation (400), with the rate limiter counting every
 * request first.
 */
import { describe, expect, it } from "vitest";
import { MarketIdParams, OpenPositionBody } from "../../../shared/domain/schemas.ts";
import { MAX_BODY_BYTES } from "../../../shared/http/json-body.ts";
import { ok } from "../../../shared/http/response.ts";
import { route } from "../../../shared/routes/route.ts";
import type { RateLimitDecision } from "../../../shared/services/rate-limiter.ts";
import {
  bodyOf,
  createHttpHandler,
  invoke,
  memoryRateLimiter,
  testCollaborators,
  testReadRoute,
  tokenFor,
} from "../../support/http-harness.ts";

const write = route({
  method: "POST",
  path: "/api/things/{id}",
  handler: "test/write",
  summary: "A write",
  description: "A write route for tests.",
  tags: ["test"],
  permission: "delete",
  params: MarketIdParams,
  body: OpenPositionBody,
  response: { status: 200, description: "ok", data: "Health" },
  rateLimit: "write",
  access: {},
});

const read = testReadRoute;

const JSON_TYPE = { "content-type": "application/json" };
const goodBody = JSON.stringify({ side: "yes", amount: 5 });

describe("admission order", () => {
  const handler = createHttpHandler(
    write,
    async ({ params, body, caller }) => ok({ params, body, caller }),
    testCollaborators(),
  );
  const call = async (headers: Record<string, string>, body: string | undefined, id = "m-1") =>
    invoke(handler, { method: "POST", path: `/api/things/${id}`, pathParameters: { id }, headers, body });

  it("answers a bad body before a bad token, and a bad token before permission and validation", async () => {
    const badToken = { authorization: "Bearer not.a.token", ...JSON_TYPE };
    expect(bodyOf(await call(badToken, "x".repeat(MAX_BODY_BYTES + 1))).code).toBe("PAYLOAD_TOO_LARGE");
    expect(bodyOf(await call({ ...badToken, "content-type": "text/plain" }, goodBody)).code).toBe(
      "UNSUPPORTED_MEDIA_TYPE",
    );
    expect(bodyOf(await call(badToken, "{nope")).code).toBe("INVALID_JSON");
    const unauthorized = await call(badToken, JSON.stringify({ side: "maybe" }), "bad id!");
    expect(unauthorized.statusCode).toBe(401);
    expect(unauthorized.headers?.["WWW-Authenticate"]).toMatch(/^Bearer/);
  });

  it("answers a missing token with 401, a weak role with 403, both before validation", async () => {
    expect((await call(JSON_TYPE, "{}", "bad id!")).statusCode).toBe(401);
    const user = { authorization: `Bearer ${await tokenFor("u-1", "user")}`, ...JSON_TYPE };
    const forbidden = await call(user, "{}", "bad id!");
    expect(forbidden.statusCode).toBe(403);
    expect(bodyOf(forbidden).code).toBe("FORBIDDEN");
  });

  it("validates path, query and body, naming each failing field", async () => {
    const moderator = { authorization: `Bearer ${await tokenFor("mod-1", "moderator")}`, ...JSON_TYPE };
    const invalid = await call(moderator, JSON.stringify({ side: "maybe", amount: 5, extra: 1 }));
    expect(invalid.statusCode).toBe(400);
    expect(bodyOf(invalid)).toMatchObject({
      code: "VALIDATION_FAILED",
      details: expect.arrayContaining([{ path: "extra", message: "Unknown field" }]),
    });
    const admitted = await call(moderator, goodBody);
    expect(admitted.statusCode).toBe(200);
    expect(bodyOf(admitted).data).toEqual({
      params: { id: "m-1" },
      body: { side: "yes", amount: 5 },
      caller: { id: "mod-1", role: "moderator" },
    });
  });

  it("refuses unknown and repeated query parameters on every route", async () => {
    const moderator = { authorization: `Bearer ${await tokenFor("mod-2", "moderator")}`, ...JSON_TYPE };
    const unknown = await invoke(handler, {
      method: "POST",
      path: "/api/things/m-1",
      pathParameters: { id: "m-1" },
      query: "x=1",
      headers: moderator,
      body: goodBody,
    });
    expect(bodyOf(unknown)).toMatchObject({ code: "VALIDATION_FAILED" });
    const readHandler = createHttpHandler(read, async () => ok({}), testCollaborators());
    const repeated = await invoke(readHandler, { path: "/api/things", query: "limit=1&limit=2" });
    expect(bodyOf(repeated)).toMatchObject({ code: "VALIDATION_FAILED", details: [{ path: "limit" }] });
  });

  it("ignores any body on a route that takes none", async () => {
    const readHandler = createHttpHandler(read, async () => ok({ fine: true }), testCollaborators());
    const answer = await invoke(readHandler, {
      path: "/api/things",
      headers: { "content-type": "text/plain" },
      body: "x".repeat(MAX_BODY_BYTES + 1),
    });
    expect(answer.statusCode).toBe(200);
  });
});

describe("rate limiting in admission", () => {
  it("counts rejected requests too, against the source IP when the token is bad", async () => {
    const deps = testCollaborators({
      rateLimiter: (() => {
        const limiter = memoryRateLimiter({ read: 2, write: 2 });
        return () => limiter;
      })(),
    });
    const handler = createHttpHandler(write, async () => ok({}), deps);
    const badToken = { authorization: "Bearer bad.token.here", ...JSON_TYPE };
    const request = {
      method: "POST",
      path: "/api/things/m-1",
      pathParameters: { id: "m-1" },
      headers: badToken,
      body: goodBody,
    };
    const statuses: number[] = [];
    for (let i = 0; i < 3; i++) statuses.push((await invoke(handler, request)).statusCode);
    expect(statuses).toEqual([401, 401, 429]);
    const limited = await invoke(handler, request);
    expect(limited.headers).toMatchObject({ "RateLimit-Limit": "2", "RateLimit-Remaining": "0" });
    expect(Number(limited.headers?.["Retry-After"])).toBeGreaterThan(0);
    // Another address has its own budget.
    expect((await invoke(handler, { ...request, sourceIp: "203.0.113.9" })).statusCode).toBe(401);
  });

  it("lets a read run beside the limiter, and answers a denial instead of the read", async () => {
    let reads = 0;
    const limiter = memoryRateLimiter({ read: 1, write: 1 });
    const handler = createHttpHandler(
      read,
      async () => {
        reads += 1;
        return ok({ reads });
      },
      testCollaborators({ rateLimiter: () => limiter }),
    );
    const first = await invoke(handler, { path: "/api/things" });
    expect(first.statusCode).toBe(200);
    expect(first.headers).toMatchObject({ "RateLimit-Limit": "1", "RateLimit-Remaining": "0" });
    const second = await invoke(handler, { path: "/api/things" });
    expect(second.statusCode).toBe(429);
    expect(bodyOf(second)).toMatchObject({ success: false, code: "RATE_LIMITED" });
  });

  it("on a write route whose function awaits it, runs the limiter beside the read and gates the write", async () => {
    const readThenWrite = route({ ...write, rateLimitAwaitedBy: "function" });
    const events: string[] = [];
    let decide: (allowed: boolean) => void = () => {};
    const limiter = {
      consume: () =>
        new Promise<RateLimitDecision>((resolve) => {
          events.push("limiter asked");
          decide = (allowed) => {
            events.push("limiter answered");
            resolve({ allowed, limit: 1, remaining: 0, resetSeconds: 30 });
          };
        }),
    };
    const handler = createHttpHandler(
      readThenWrite,
      async ({ beforeWrite }) => {
        events.push("read");
        // The limiter answers (a denial) only once the read has started beside it.
        decide(false);
        await beforeWrite();
        events.push("write");
        return ok({});
      },
      testCollaborators({ rateLimiter: () => limiter }),
    );
    const moderator = { authorization: `Bearer ${await tokenFor("mod-3", "moderator")}`, ...JSON_TYPE };
    const request = {
      method: "POST",
      path: "/api/things/m-1",
      pathParameters: { id: "m-1" },
      headers: moderator,
    };
    const denied = await invoke(handler, { ...request, body: goodBody });
    expect(denied.statusCode).toBe(429);
    expect(denied.headers).toMatchObject({ "RateLimit-Limit": "1", "Retry-After": "30" });
    expect(events).toEqual(["limiter asked", "read", "limiter answered"]);
  });

  it("on a plain write route, waits for the limiter before the function runs", async () => {
    let ran = false;
    const limiter = memoryRateLimiter({ read: 1, write: 1 });
    const handler = createHttpHandler(
      write,
      async ({ beforeWrite }) => {
        ran = true;
        // Already settled by admission: resolves at once.
        await beforeWrite();
        return ok({});
      },
      testCollaborators({ rateLimiter: () => limiter }),
    );
    const moderator = { authorization: `Bearer ${await tokenFor("mod-4", "moderator")}`, ...JSON_TYPE };
    const request = {
      method: "POST",
      path: "/api/things/m-1",
      pathParameters: { id: "m-1" },
      headers: moderator,
    };
    expect((await invoke(handler, { ...request, body: goodBody })).statusCode).toBe(200);
    ran = false;
    expect((await invoke(handler, { ...request, body: goodBody })).statusCode).toBe(429);
    expect(ran).toBe(false);
  });
});
