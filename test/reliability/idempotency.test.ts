/**
 * Idempotency-Key on POST /api/markets through the local cloud: the real create bundle, the real
 * middleware and Powertools Idempotency on DynamoDB Local, called over HTTP with real tokens.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { LocalCloud } from "../../infra/local/local-cloud.ts";
import { signToken } from "../../infra/local/sign-token.ts";
import { DynamoMarketRepository } from "../../shared/repositories/dynamo-market-repository.ts";
import { startTestCloud, testDynamoClient } from "../support/local-cloud.ts";
import { documentClientOf } from "../support/market-fixtures.ts";

let cloud: LocalCloud;
const client = testDynamoClient();
const db = documentClientOf(client);
let subjects = 0;

const closesAt = () => new Date(Date.now() + 7 * 86_400_000).toISOString();

async function caller() {
  const sub = `idem-user-${++subjects}-${Date.now()}`;
  return { sub, token: await signToken({ sub, role: "user" }) };
}

async function create(token: string, body: unknown, key?: string) {
  const response = await fetch(`${cloud.url}/api/markets`, {
    method: "POST",
    headers: {
      authorization: `Bearer ${token}`,
      "content-type": "application/json",
      ...(key === undefined ? {} : { "idempotency-key": key }),
    },
    body: JSON.stringify(body),
  });
  return {
    status: response.status,
    location: response.headers.get("location"),
    body: (await response.json()) as { success: boolean; code?: string; data?: { id: string; name: string } },
  };
}

/** Markets written by `creatorId`, counted with a query of every status partition. */
async function marketsBy(creatorId: string): Promise<string[]> {
  const repository = new DynamoMarketRepository({ table: cloud.tableName, db });
  const page = await repository.list({
    statuses: ["draft", "active", "closed", "resolved"],
    creatorId,
    sort: "createdAt",
    order: "desc",
    limit: 100,
  });
  return page.items.map((market) => String(market.id));
}

beforeAll(async () => {
  cloud = await startTestCloud({ startPoller: false, env: { RATE_LIMIT_WRITES_PER_MINUTE: "1000" } });
});

afterAll(async () => {
  await cloud?.stop();
  client.destroy();
});

describe("Idempotency-Key on POST /api/markets", () => {
  it("answers a sequential repeat with the first response and writes once", async () => {
    const { sub, token } = await caller();
    const body = { name: "Idempotent market", closesAt: closesAt() };
    const first = await create(token, body, "key-sequential");
    expect(first.status).toBe(201);
    const second = await create(token, body, "key-sequential");
    expect(second.status).toBe(201);
    expect(second.body).toEqual(first.body);
    expect(second.location).toBe(first.location);
    expect(await marketsBy(sub)).toEqual([first.body.data?.id]);
  });

  it("answers the same key with another body with 409 IDEMPOTENCY_KEY_REUSED and writes nothing", async () => {
    const { sub, token } = await caller();
    const first = await create(token, { name: "Original body", closesAt: closesAt() }, "key-reused");
    expect(first.status).toBe(201);
    const changed = await create(token, { name: "Changed body", closesAt: closesAt() }, "key-reused");
    expect(changed.status).toBe(409);
    expect(changed.body).toMatchObject({ success: false, code: "IDEMPOTENCY_KEY_REUSED" });
    expect(await marketsBy(sub)).toEqual([first.body.data?.id]);
  });

  it("scopes keys to the caller and writes without a key every time", async () => {
    const a = await caller();
    const b = await caller();
    const body = { name: "Shared key", closesAt: closesAt() };
    const fromA = await create(a.token, body, "same-key");
    const fromB = await create(b.token, body, "same-key");
    expect([fromA.status, fromB.status]).toEqual([201, 201]);
    expect(fromA.body.data?.id).not.toBe(fromB.body.data?.id);
    await create(a.token, body);
    await create(a.token, body);
    expect(await marketsBy(a.sub)).toHaveLength(3);
  });

  it("writes exactly once for 10 concurrent repeats", async () => {
    const { sub, token } = await caller();
    const body = { name: "Raced market", closesAt: closesAt(), initialPosition: { side: "yes", amount: 5 } };
    const responses = await Promise.all(
      Array.from({ length: 10 }, () => create(token, body, "key-concurrent")),
    );
    const statuses = responses.map((r) => r.status);
    console.info(`[idempotency] 10 concurrent repeats answered ${statuses.join(",")}`);
    // A repeat while the first is in flight is a 409; once it finished, the first response again.
    for (const response of responses) {
      expect([201, 409]).toContain(response.status);
      if (response.status === 409) expect(response.body.code).toBe("CONFLICT");
    }
    const ids = new Set(responses.flatMap((r) => (r.status === 201 ? [r.body.data?.id] : [])));
    expect(ids.size).toBe(1);
    const written = await marketsBy(sub);
    expect(written).toHaveLength(1);
    expect(written[0]).toBe([...ids][0]);
    // After it settled, a repeat is the first response.
    const later = await create(token, body, "key-concurrent");
    expect(later.status).toBe(201);
    expect(later.body.data?.id).toBe(written[0]);
  });

  it("rejects a key that is too long", async () => {
    const { sub, token } = await caller();
    const response = await create(token, { name: "Long key", closesAt: closesAt() }, "k".repeat(129));
    expect(response.status).toBe(400);
    expect(response.body.code).toBe("VALIDATION_FAILED");
    expect(await marketsBy(sub)).toEqual([]);
  });
});
