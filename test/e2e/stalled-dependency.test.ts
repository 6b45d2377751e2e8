/**
 * A dependency that accepts connections and never answers: the request must still end in the
 * documented 503 envelope before the Lambda's own timeout, not in a runtime timeout.
 */
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from "aws-lambda";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { LocalCloud } from "../../infra/local/local-cloud.ts";
import { startE2eCloud } from "../support/e2e-cloud.ts";
import { startSilentServer } from "../support/silent-server.ts";

let cloud: LocalCloud;
let silent: Awaited<ReturnType<typeof startSilentServer>>;

const getMarketEvent = (): APIGatewayProxyEventV2 =>
  ({
    version: "2.0",
    routeKey: "GET /api/markets/{id}",
    rawPath: "/api/markets/01HSTALLED000000000000000",
    rawQueryString: "",
    headers: { "x-request-id": "stalled-1" },
    pathParameters: { id: "01HSTALLED000000000000000" },
    requestContext: {
      http: { method: "GET", path: "/api/markets/01HSTALLED000000000000000", sourceIp: "127.0.0.1" },
      requestId: "gw-stalled-1",
      routeKey: "GET /api/markets/{id}",
      stage: "$default",
    },
    isBase64Encoded: false,
  }) as unknown as APIGatewayProxyEventV2;

beforeAll(async () => {
  silent = await startSilentServer();
  // The stalls are the point: their 503s are asserted, their ERROR log lines would only be noise.
  cloud = await startE2eCloud({
    startPoller: false,
    env: { DYNAMODB_ENDPOINT: silent.endpoint, POWERTOOLS_LOG_LEVEL: "CRITICAL" },
  });
});

afterAll(async () => {
  await cloud?.stop();
  await silent?.stop();
});

describe("a stalled database", () => {
  it("answers 503 UNAVAILABLE in the envelope before the function times out", async () => {
    // The runtime rejects with LambdaTimeoutError when the function does not answer in time, so a
    // result at all means the function answered first: the envelope is what is asserted, not the clock.
    const result = (await cloud.runtime.invoke("markets-get", getMarketEvent(), {
      timeoutMs: 2500,
    })) as APIGatewayProxyStructuredResultV2;
    expect(result.statusCode).toBe(503);
    expect(JSON.parse(String(result.body))).toMatchObject({ code: "UNAVAILABLE", requestId: "stalled-1" });
    expect(result.headers?.["x-request-id"]).toBe("stalled-1");
  });
});
