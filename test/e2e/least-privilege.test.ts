/**
 * Each function's policy matches the DynamoDB requests its bundle really makes. The real bundles
 * run in a local cloud whose DynamoDB traffic passes a recording proxy that knows which function
 * made each request (test/support/function-call-recorder.ts); a walk drives every route with every
 * kind of caller, success and error paths (the route × caller matrix's cells, pages and cursors,
 * idempotent retries, conditional requests, search on the vector index) and the index worker
 * through the queue. Then, per function, against the IAM statements of the synthesized template:
 *
 * - every recorded request is allowed (action, table or index ARN, `dynamodb:LeadingKeys` over
 *   every key, `dynamodb:Attributes`, `dynamodb:Select`, `dynamodb:ReturnValues`);
 * - no more: every action × resource × key prefix granted is used by a recorded request, or is
 *   listed in UNUSED_GRANTS with the reason it cannot be reached here.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { LocalCloud } from "../../infra/local/local-cloud.ts";
import { functionId } from "../../infra/markets-api-stack.ts";
import { routes, workers } from "../../infra/route-table.ts";
import {
  type ApiClient,
  type ApiResponse,
  api,
  marketBody,
  newUser,
  type TestUser,
  uniqueSub,
} from "../support/api-client.ts";
import { startE2eCloud } from "../support/e2e-cloud.ts";
import { type FunctionCallRecorder, startFunctionCallRecorder } from "../support/function-call-recorder.ts";
import {
  cellName,
  grantCells,
  policyAllows,
  type ResolvedStatement,
  requestUsesCell,
  statementsByBundle,
} from "../support/iam-policy.ts";
import { testEndpoints } from "../support/local-cloud.ts";
import { cleanupSynth, synthStack } from "../support/synth-stack.ts";

/**
 * Grants no request of the walk uses, by bundle and cell name, each with why it stays. Keep it
 * short: an entry here is a permission the code is trusted to need without a test showing it.
 */
const UNUSED_GRANTS: Record<string, Record<string, string>> = {
  "markets-create": {
    "dynamodb:DeleteItem on table keys IDEMPOTENCY#*":
      "Powertools deletes the record of an idempotent request that failed; past validation a create fails only when DynamoDB or the queue does (test/reliability/faults.test.ts)",
  },
};

let recorder: FunctionCallRecorder;
let cloud: LocalCloud;
let client: ApiClient;
let statements: Map<string, ResolvedStatement[]>;

beforeAll(async () => {
  recorder = await startFunctionCallRecorder(testEndpoints().dynamodbEndpoint);
  cloud = await startE2eCloud({
    env: {
      // The bundles' DynamoDB traffic goes through the recorder; the cloud's own setup does not.
      DYNAMODB_ENDPOINT: recorder.endpoint,
      AWS_ENDPOINT_URL_DYNAMODB: recorder.endpoint,
      // The deployed search engine: SearchVectors on the table's vector index.
      SEARCH_ENGINE: "dynamodb",
    },
  });
  client = api(cloud);
  const functions = Object.fromEntries(
    [...routes, ...workers].map((declaration) => [declaration.handler, functionId(declaration.handler)]),
  );
  statements = statementsByBundle(synthStack().resources, functions, cloud.tableName);
}, 120_000);

afterAll(async () => {
  await cloud?.stop();
  await recorder?.stop();
  cleanupSynth();
});

async function until(check: () => Promise<boolean>, what: string): Promise<void> {
  for (let attempt = 0; attempt < 300; attempt++) {
    if (await check()) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`timed out waiting for ${what}`);
}

/** Every route, every kind of caller, success and error paths; the worker through the queue. */
async function walk(): Promise<void> {
  const owner = await newUser("user");
  const other = await newUser("user", { email: "other@example.test" });
  const moderator = await newUser("moderator");
  const admin = await newUser("admin");
  const as = (user: TestUser | undefined) => (user ? { token: user.token } : {});
  const callers = [undefined, owner, other, moderator, admin];
  const expectStatus = async (response: Promise<ApiResponse>, status: number) => {
    const answer = await response;
    expect(answer.status, answer.text.slice(0, 300)).toBe(status);
    return answer;
  };

  await expectStatus(client.get("/api/health"), 200);
  await expectStatus(client.get("/api/openapi.json"), 200);
  await expectStatus(client.get("/docs"), 200);

  const category = uniqueSub("cat");
  const created = await expectStatus(
    client.post(
      "/api/markets",
      marketBody({ category, initialPosition: { side: "yes", amount: 4 } }),
      as(owner),
    ),
    201,
  );
  const id = created.body.data.id as string;
  const draft = (
    await expectStatus(client.post("/api/markets", marketBody({ status: "draft" }), as(owner)), 201)
  ).body.data.id as string;
  // Idempotent create: the repeat is answered from the stored record.
  const idempotent = { ...as(other), headers: { "idempotency-key": uniqueSub("idem") } };
  const body = marketBody({ name: "Rain tomorrow in the least-privilege town" });
  const first = await expectStatus(client.request("POST", "/api/markets", { ...idempotent, body }), 201);
  const again = await expectStatus(client.request("POST", "/api/markets", { ...idempotent, body }), 201);
  expect(again.body.data.id).toBe(first.body.data.id);
  await expectStatus(client.request("POST", "/api/markets", { ...idempotent, body: marketBody() }), 409);

  for (const caller of callers) {
    await client.get(`/api/markets/${id}`, as(caller));
    await client.get(`/api/markets/${draft}`, as(caller));
    await client.get("/api/markets/01HMISSING0000000000000000", as(caller));
    for (const query of [
      "",
      "?status=draft",
      "?sort=volume",
      "?sort=closesAt",
      `?creatorId=${owner.id}`,
      `?creatorId=${owner.id}&sort=volume`,
      `?creatorId=${owner.id}&sort=closesAt`,
      `?category=${category}`,
      `?category=${category}&sort=volume`,
      `?category=${category}&sort=closesAt`,
      "?fields=id,name",
      "?limit=1",
      "?offset=1",
    ])
      await client.get(`/api/markets${query}`, as(caller));
    await client.get(`/api/markets/${id}/positions`, as(caller));
    await client.get(`/api/markets/${draft}/positions`, as(caller));
    await client.get("/api/me/positions", as(caller));
    await client.put("/api/me", { displayName: `Caller ${uniqueSub()}` }, as(caller));
    await client.post(`/api/markets/${id}/index`, undefined, as(caller));
  }
  const etag = (await expectStatus(client.get(`/api/markets/${id}`), 200)).headers.get("etag") as string;
  await expectStatus(client.get(`/api/markets/${id}`, { headers: { "if-none-match": etag } }), 304);
  const page = await expectStatus(client.get("/api/markets?limit=1"), 200);
  if (page.body.meta?.nextCursor)
    await expectStatus(client.get(`/api/markets?limit=1&cursor=${page.body.meta.nextCursor}`), 200);

  // Positions: new, a repeat, idempotent, on a closed market and a draft.
  for (const caller of [owner, other, moderator]) {
    await expectStatus(
      client.post(`/api/markets/${id}/positions`, { side: "no", amount: 2 }, as(caller)),
      201,
    );
  }
  const positionKey = { ...as(admin), headers: { "idempotency-key": uniqueSub("idem") } };
  for (let i = 0; i < 2; i++)
    await expectStatus(
      client.request("POST", `/api/markets/${id}/positions`, {
        ...positionKey,
        body: { side: "yes", amount: 1 },
      }),
      201,
    );
  await client.post(`/api/markets/${draft}/positions`, { side: "no", amount: 1 }, as(other));
  // An idempotent request that fails: its record is deleted, so a retry may succeed.
  await expectStatus(
    client.request("POST", `/api/markets/${draft}/positions`, {
      ...as(other),
      headers: { "idempotency-key": uniqueSub("idem") },
      body: { side: "no", amount: 1 },
    }),
    404,
  );
  const positions = await expectStatus(client.get(`/api/markets/${id}/positions?limit=1`), 200);
  if (positions.body.meta?.nextCursor)
    await expectStatus(
      client.get(`/api/markets/${id}/positions?limit=1&cursor=${positions.body.meta.nextCursor}`),
      200,
    );
  const mine = await expectStatus(client.get("/api/me/positions?limit=1", as(other)), 200);
  expect(mine.body.data.length).toBe(1);

  // Changes: PUT and PATCH by every caller, conditional, stale, a status change and resolution.
  for (const caller of callers) {
    await client.patch(`/api/markets/${id}`, { name: `Renamed ${uniqueSub()}` }, as(caller));
    await client.put(
      `/api/markets/${id}`,
      {
        name: `Replaced ${uniqueSub()}`,
        description: "",
        closesAt: marketBody().closesAt,
        status: "active",
        category,
      },
      as(caller),
    );
  }
  await client.patch(
    `/api/markets/${id}`,
    { name: "stale" },
    { ...as(owner), headers: { "if-match": '"1"' } },
  );
  await client.patch("/api/markets/01HMISSING0000000000000000", { name: "nobody" }, as(owner));
  await expectStatus(client.patch(`/api/markets/${id}`, { status: "closed" }, as(owner)), 200);
  await client.post(`/api/markets/${id}/positions`, { side: "no", amount: 1 }, as(other));
  await expectStatus(
    client.patch(`/api/markets/${id}`, { status: "resolved", outcome: "yes" }, as(moderator)),
    200,
  );

  // Deletes: refused with positions, forbidden, missing, done.
  const doomed = (await expectStatus(client.post("/api/markets", marketBody(), as(owner)), 201)).body.data.id;
  for (const caller of callers) await client.delete(`/api/markets/${id}`, as(caller));
  await client.delete("/api/markets/01HMISSING0000000000000000", as(moderator));
  await client.delete(`/api/markets/${doomed}`, { ...as(moderator), headers: { "if-match": '"9"' } });
  await expectStatus(client.delete(`/api/markets/${doomed}`, as(moderator)), 204);

  // Search on the vector index, once the worker has indexed what was created.
  await until(async () => {
    const found = await client.get("/api/markets/search?q=rain%20tomorrow%20town");
    return (
      found.status === 200 &&
      found.body.data.some((market: { id: string }) => market.id === first.body.data.id)
    );
  }, "the worker to index the new market");
  await expectStatus(client.get("/api/markets/search?q=rain&limit=1"), 200);
  await cloud.poller.drain();
}

describe("each function's policy against its recorded DynamoDB requests", () => {
  it("allows every request and grants nothing unused", async () => {
    await walk();
    const requests = recorder.requests;
    expect(recorder.unattributed).toBe(0);

    const byBundle = new Map<string, typeof requests>();
    for (const request of requests)
      byBundle.set(request.bundle, [...(byBundle.get(request.bundle) ?? []), request]);
    const denied = requests
      .filter((request) => !policyAllows(statements.get(request.bundle) ?? [], request))
      .map(
        (request) =>
          `${request.bundle}: ${request.operation} as ${request.action}${request.index ? ` on ${request.index}` : ""} keys ${request.leadingKeys.map((key) => key.replace(/#.*/, "#…")).join(",")} attributes ${(request.attributes ?? []).join(",")} select ${request.select ?? "-"} returns ${request.returnValues ?? "-"}`,
      );
    const unused: string[] = [];
    for (const [bundle, granted] of statements) {
      const made = byBundle.get(bundle) ?? [];
      for (const statement of granted) {
        for (const cell of grantCells(statement)) {
          const name = cellName(cell);
          if (made.some((request) => requestUsesCell(statement, cell, request))) continue;
          if (UNUSED_GRANTS[bundle]?.[name]) continue;
          unused.push(`${bundle}: ${name}`);
        }
      }
    }
    const cells = [...statements.values()].flat().flatMap(grantCells).length;
    console.info(
      `[least-privilege] ${byBundle.size} functions, ${requests.length} DynamoDB requests recorded, ${cells} granted cells checked, ${Object.values(UNUSED_GRANTS).flatMap(Object.keys).length} listed as unreachable`,
    );
    expect({ denied: [...new Set(denied)], unused }).toEqual({ denied: [], unused: [] });
    // Every function that may touch the table was driven.
    const granted = [...statements].filter(([, list]) =>
      list.some((st) => st.actions.some((a) => a.startsWith("dynamodb:"))),
    );
    expect(granted.map(([bundle]) => bundle).filter((bundle) => !byBundle.has(bundle))).toEqual([]);
  }, 240_000);
});
