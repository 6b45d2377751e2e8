/**
 * The event fixtures under test/fixtures/events (the ones `sam local invoke -e` and
 * `infra/local/invoke.ts` use) invoked against the real bundles: they must stay valid events.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import type {
  APIGatewayProxyEventV2,
  APIGatewayProxyStructuredResultV2,
  SQSBatchResponse,
  SQSEvent,
} from "aws-lambda";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { LocalCloud } from "../../infra/local/local-cloud.ts";
import { signToken } from "../../infra/local/sign-token.ts";
import { startE2eCloud } from "../support/e2e-cloud.ts";

const FIXTURES = join(import.meta.dirname, "..", "fixtures", "events");
const fixture = <T>(name: string): T => JSON.parse(readFileSync(join(FIXTURES, name), "utf8")) as T;

let cloud: LocalCloud;

async function invokeHttp(bundle: string, name: string, token?: string) {
  const event = fixture<APIGatewayProxyEventV2>(name);
  if (token) event.headers = { ...event.headers, authorization: `Bearer ${token}` };
  return cloud.invoke<APIGatewayProxyStructuredResultV2>(bundle, event);
}

beforeAll(async () => {
  cloud = await startE2eCloud({ startPoller: false });
});

afterAll(async () => {
  await cloud?.stop();
});

describe("API Gateway v2 event fixtures", () => {
  it("health.json → 200", async () => {
    const result = await invokeHttp("system-health", "health.json");
    expect(result.statusCode).toBe(200);
  });

  it("create-market.json → 201 with the initial position, and get/list/search fixtures answer", async () => {
    const token = await signToken({ sub: "fixture-user", role: "user" });
    const created = await invokeHttp("markets-create", "create-market.json", token);
    expect(created.statusCode).toBe(201);
    expect(JSON.parse(String(created.body)).data.position.yesAmount).toBe(10);

    expect((await invokeHttp("markets-list", "list-markets.json")).statusCode).toBe(200);
    expect((await invokeHttp("markets-search", "search-markets.json")).statusCode).toBe(200);
    // The fixture names a market id that does not exist in a fresh table.
    const get = await invokeHttp("markets-get", "get-market.json");
    expect(get.statusCode).toBe(404);
    expect(JSON.parse(String(get.body)).code).toBe("NOT_FOUND");
  });

  it("without a fresh token the placeholder is a clean 401", async () => {
    const result = await invokeHttp("markets-create", "create-market.json");
    expect(result.statusCode).toBe(401);
  });
});

describe("SQS event fixture", () => {
  it("index-markets-sqs.json → a partial batch response (the fixture's market does not exist)", async () => {
    const result = await cloud.invoke<SQSBatchResponse>(
      "workers-index-markets",
      fixture<SQSEvent>("index-markets-sqs.json"),
    );
    expect(result).toEqual({ batchItemFailures: expect.any(Array) });
  });
});
