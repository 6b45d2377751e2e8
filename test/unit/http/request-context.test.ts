/**
 * The request context: one id per request on every answer and every log line, and log keys that
 * stay with their own request when one execution environment serves many at once.
 */
import { Logger } from "@aws-lambda-powertools/logger";
import { afterEach, describe, expect, it, vi } from "vitest";
import { ValidationError } from "../../../shared/errors.ts";
import { ok } from "../../../shared/http/response.ts";
import { route } from "../../../shared/routes/route.ts";
import { createHttpHandler, invoke, testCollaborators, tokenFor } from "../../support/http-harness.ts";

const slow = route({
  method: "GET",
  path: "/api/slow",
  handler: "test/slow",
  summary: "Slow",
  description: "Answers after the test lets it.",
  tags: ["test"],
  response: { status: 200, description: "ok", data: "Health" },
  rateLimit: "read",
  access: {},
});

afterEach(() => vi.restoreAllMocks());

describe("request id", () => {
  const handler = createHttpHandler(slow, async () => ok({}), testCollaborators());

  it("echoes a safe x-request-id, else uses the gateway's id, on successes and errors alike", async () => {
    expect(
      (await invoke(handler, { headers: { "x-request-id": "abc-123" } })).headers?.["x-request-id"],
    ).toBe("abc-123");
    const unsafe = await invoke(handler, { headers: { "x-request-id": "no spaces please" } });
    expect(unsafe.headers?.["x-request-id"]).toMatch(/^gw-\d+$/);
    const failing = createHttpHandler(
      slow,
      async () => {
        throw new ValidationError([]);
      },
      testCollaborators(),
    );
    expect((await invoke(failing, { headers: { "x-request-id": "e-1" } })).headers?.["x-request-id"]).toBe(
      "e-1",
    );
  });
});

describe("log context under concurrency", () => {
  it("keeps every line's requestId and userId with its own request", async () => {
    const lines: Record<string, unknown>[] = [];
    vi.spyOn(process.stdout, "write").mockImplementation((chunk: string | Uint8Array) => {
      for (const line of String(chunk).split("\n").filter(Boolean)) lines.push(JSON.parse(line));
      return true;
    });
    const logger = new Logger({ serviceName: "markets-api-test", logLevel: "DEBUG" });
    // Each request waits until all have started, so all of them are in flight at once.
    const COUNT = 40;
    let started = 0;
    let release: () => void = () => {};
    const allStarted = new Promise<void>((resolve) => {
      release = resolve;
    });
    const handler = createHttpHandler(
      slow,
      async ({ log, caller }) => {
        started += 1;
        if (started === COUNT) release();
        await allStarted;
        log.debug("working", { for: caller?.id ?? "anonymous" });
        return ok({});
      },
      testCollaborators({ logger }),
    );
    const tokens = await Promise.all(Array.from({ length: COUNT }, (_, i) => tokenFor(`user-${i}`)));
    await Promise.all(
      tokens.map((token, i) =>
        invoke(handler, {
          path: "/api/slow",
          headers: {
            "x-request-id": `req-${i}`,
            ...(i % 4 === 0 ? {} : { authorization: `Bearer ${token}` }),
          },
        }),
      ),
    );
    const requestLines = lines.filter(
      (line) => line.message === "working" || line.message === "request completed",
    );
    expect(requestLines).toHaveLength(2 * COUNT);
    for (const line of requestLines) {
      const i = Number(String(line.requestId).replace("req-", ""));
      expect(line.requestId).toBe(`req-${i}`);
      if (i % 4 === 0) expect(line.userId).toBeUndefined();
      else expect(line.userId).toBe(`user-${i}`);
      if (line.message === "working") expect(line.for).toBe(i % 4 === 0 ? "anonymous" : `user-${i}`);
    }
    const functionIds = new Set(requestLines.map((line) => line.function_request_id));
    expect(functionIds.size).toBe(COUNT);
  });
});
