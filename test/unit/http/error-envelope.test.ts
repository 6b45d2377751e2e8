/** The code → status table, and the envelope every error becomes, through the real stack. */
import type { Logger } from "@aws-lambda-powertools/logger";
import { describe, expect, it } from "vitest";
import {
  type AppError,
  ConflictError,
  type ErrorCode,
  ForbiddenError,
  IdempotencyKeyReusedError,
  InvalidTransitionError,
  MarketHasPositionsError,
  MarketNotActiveError,
  NotFoundError,
  PreconditionFailedError,
  RateLimitedError,
  UnauthorizedError,
  UnavailableError,
  ValidationError,
} from "../../../shared/errors.ts";
import { ERROR_STATUS, httpErrorOf, INTERNAL_MESSAGE } from "../../../shared/http/error-status.ts";
import { route } from "../../../shared/routes/route.ts";
import { bodyOf, createHttpHandler, invoke, testCollaborators } from "../../support/http-harness.ts";

const thrower = route({
  method: "GET",
  path: "/api/boom",
  handler: "test/boom",
  summary: "Throws",
  description: "Throws what the test gives it.",
  tags: ["test"],
  response: { status: 200, description: "never", data: "Health" },
  rateLimit: "none",
  access: {},
});

function throwing(error: unknown) {
  return createHttpHandler(
    thrower,
    async () => {
      throw error;
    },
    testCollaborators(),
  );
}

describe("httpErrorOf", () => {
  const cases: [AppError, number, ErrorCode][] = [
    [new ValidationError([{ path: "name", message: "too short" }]), 400, "VALIDATION_FAILED"],
    [new UnauthorizedError(), 401, "UNAUTHORIZED"],
    [new ForbiddenError(), 403, "FORBIDDEN"],
    [new NotFoundError("Market"), 404, "NOT_FOUND"],
    [new ConflictError("busy"), 409, "CONFLICT"],
    [new InvalidTransitionError("closed", "active"), 409, "INVALID_TRANSITION"],
    [new MarketNotActiveError("m-1"), 409, "MARKET_NOT_ACTIVE"],
    [new MarketHasPositionsError("m-1"), 409, "MARKET_HAS_POSITIONS"],
    [new IdempotencyKeyReusedError(), 409, "IDEMPOTENCY_KEY_REUSED"],
    [new PreconditionFailedError(), 412, "PRECONDITION_FAILED"],
    [new RateLimitedError(17), 429, "RATE_LIMITED"],
    [new UnavailableError(), 503, "UNAVAILABLE"],
  ];

  it.each(cases)("maps %o to its status and code", (error, status, code) => {
    expect(httpErrorOf(error)).toMatchObject({ status, code, message: error.message });
    expect(ERROR_STATUS[code]).toBe(status);
  });

  it("adds the headers the codes promise", () => {
    expect(httpErrorOf(new UnauthorizedError()).headers).toEqual({
      "WWW-Authenticate": 'Bearer realm="markets-api"',
    });
    expect(httpErrorOf(new RateLimitedError(17)).headers).toEqual({ "Retry-After": "17" });
    expect(httpErrorOf(new UnavailableError()).headers).toEqual({ "Retry-After": "1" });
  });

  it("answers anything else as a bare 500 that says nothing", () => {
    const leaky = new Error("ValidationException: table markets-prod has no attribute #pk");
    expect(httpErrorOf(leaky)).toEqual({
      status: 500,
      code: "INTERNAL",
      message: INTERNAL_MESSAGE,
      headers: {},
    });
    expect(httpErrorOf("a string")).toMatchObject({ status: 500 });
  });
});

describe("errorEnvelope", () => {
  it("writes the documented envelope with the request id", async () => {
    const answer = await invoke(throwing(new ValidationError([{ path: "q", message: "required" }])), {
      path: "/api/boom",
      headers: { "x-request-id": "req-abc" },
    });
    expect(answer.statusCode).toBe(400);
    expect(answer.headers?.["x-request-id"]).toBe("req-abc");
    expect(bodyOf(answer)).toEqual({
      success: false,
      error: "Request validation failed",
      code: "VALIDATION_FAILED",
      details: [{ path: "q", message: "required" }],
      requestId: "req-abc",
    });
  });

  it("hides internal messages and stacks", async () => {
    const answer = await invoke(
      throwing(new TypeError("Cannot read properties of undefined (reading 'pk')")),
    );
    expect(answer.statusCode).toBe(500);
    expect(answer.body).not.toMatch(/pk|TypeError|at /);
    expect(bodyOf(answer)).toMatchObject({ success: false, code: "INTERNAL", error: INTERNAL_MESSAGE });
  });

  it("answers an outage as 503 with Retry-After, never showing its cause", async () => {
    const cause = new Error("connect ECONNREFUSED 10.0.0.1:8000");
    const answer = await invoke(throwing(new UnavailableError(undefined, { cause })));
    expect(answer.statusCode).toBe(503);
    expect(answer.headers?.["Retry-After"]).toBe("1");
    expect(answer.body).not.toContain("ECONNREFUSED");
  });
});

describe("what an error leaves in the log", () => {
  type Line = { level: string; message: string; keys: Record<string, unknown> };

  function logged(error: unknown): Promise<Line[]> {
    const lines: Line[] = [];
    const at =
      (level: string) =>
      (message: string, keys: Record<string, unknown> = {}) =>
        lines.push({ level, message, keys });
    const logger = { debug: at("debug"), info: at("info"), warn: at("warn"), error: at("error") };
    const handler = createHttpHandler(
      thrower,
      async () => {
        throw error;
      },
      testCollaborators({ logger: logger as unknown as Logger }),
    );
    return invoke(handler, { path: "/api/boom", headers: { "x-request-id": "req-log" } }).then(() => lines);
  }

  it.each<{ name: string; error: unknown; level: string; message: string; keys: Record<string, unknown> }>([
    {
      name: "a bug",
      error: new TypeError("boom"),
      level: "error",
      message: "unhandled error",
      keys: { error: expect.any(TypeError) },
    },
    {
      name: "a thrown non-error",
      error: undefined,
      level: "error",
      message: "unhandled error",
      keys: { error: "unknown" },
    },
    {
      name: "an outage",
      error: new UnavailableError(),
      level: "error",
      message: "dependency unavailable",
      keys: { error: expect.any(UnavailableError) },
    },
    {
      name: "a refusal",
      error: new NotFoundError("Market"),
      level: "info",
      message: "request rejected",
      keys: { code: "NOT_FOUND", status: 404 },
    },
  ])(
    '$name: one $level line, "$message", with the request\'s id',
    async ({ error, level, message, keys }) => {
      const lines = (await logged(error)).filter((line) => line.message !== "request completed");
      expect(lines).toEqual([
        {
          level,
          message,
          keys: expect.objectContaining({ ...keys, requestId: "req-log", path: "/api/boom" }),
        },
      ]);
    },
  );
});
