/**
 * A dependency outage is a 503 UNAVAILABLE, never a 500: the bundles' DynamoDB endpoint points at a
 * closed port, so every call fails with ECONNREFUSED after the SDK's own (short) retries.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { LocalCloud } from "../../infra/local/local-cloud.ts";
import { type ApiClient, api, marketBody, newUser } from "../support/api-client.ts";
import { startE2eCloud } from "../support/e2e-cloud.ts";

let cloud: LocalCloud;
let client: ApiClient;

beforeAll(async () => {
  // Every request here fails on purpose: its 503 is asserted, its ERROR log line would only be noise.
  cloud = await startE2eCloud({
    startPoller: false,
    env: { DYNAMODB_ENDPOINT: "http://127.0.0.1:1", POWERTOOLS_LOG_LEVEL: "CRITICAL" },
  });
  client = api(cloud);
});

afterAll(async () => {
  await cloud?.stop();
});

describe("database unreachable", () => {
  it("reading a market answers 503 UNAVAILABLE with Retry-After and nothing internal", async () => {
    const res = await client.get("/api/markets/01HMISSING0000000000000000", {
      headers: { "x-request-id": "outage-1" },
    });
    expect(res.status).toBe(503);
    expect(res.body).toEqual({
      success: false,
      error: "A dependency is temporarily unavailable; try again shortly",
      code: "UNAVAILABLE",
      requestId: "outage-1",
    });
    expect(res.headers.get("retry-after")).toBe("1");
    expect(res.text).not.toMatch(/ECONNREFUSED|127\.0\.0\.1|dynamodb|stack/i);
  });

  it("a write answers 503 too", async () => {
    const user = await newUser("user");
    const res = await client.post("/api/markets", marketBody(), { token: user.token });
    expect(res.status).toBe(503);
    expect(res.body.code).toBe("UNAVAILABLE");
  });

  it("routes that need no database still answer", async () => {
    expect((await client.get("/api/health")).status).toBe(200);
  });
});
