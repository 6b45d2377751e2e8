/**
 * Inputs an attacker sent through `npm start` that got past the checks: an ill-formed token `sub`,
 * a forged numeric cursor, invalid UTF-8 in a body and prototype names in the query. Each must be
 * the documented 4xx, through the same gateway and bundles `npm start` runs.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { LocalCloud } from "../../infra/local/local-cloud.ts";
import { signToken } from "../../infra/local/sign-token.ts";
import {
  type ApiClient,
  type ApiResponse,
  api,
  marketBody,
  newUser,
  uniqueSub,
} from "../support/api-client.ts";
import { startE2eCloud } from "../support/e2e-cloud.ts";

let cloud: LocalCloud;
let client: ApiClient;

beforeAll(async () => {
  cloud = await startE2eCloud();
  client = api(cloud);
});

afterAll(async () => {
  await cloud?.stop();
});

const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

function expectStatus(res: ApiResponse, status: number, code: string): void {
  expect({ status: res.status, code: res.body?.code }).toEqual({ status, code });
  expect(res.body).toMatchObject({ success: false });
}

describe("token subjects that are not well-formed Unicode (defect 1)", () => {
  it("is a 401 with WWW-Authenticate, and never reaches the look-alike user's data", async () => {
    const victim = `${uniqueSub("victim")}?1`;
    const victimToken = await signToken({ sub: victim, role: "user", email: "victim@example.com" });
    expect(
      (await client.put("/api/me", { displayName: "Victim" }, { headers: bearer(victimToken) })).status,
    ).toBe(200);

    // DynamoDB Local stores a lone surrogate as "?", so this sub would name the victim's key.
    const forged = await signToken({ sub: victim.replace("?1", "\uD8001"), role: "user" });
    for (const res of [
      await client.get("/api/me/positions", { headers: bearer(forged) }),
      await client.put("/api/me", { displayName: "Attacker" }, { headers: bearer(forged) }),
      await client.post("/api/markets", marketBody(), { headers: bearer(forged) }),
      await client.get("/api/health", { headers: bearer(forged) }),
    ]) {
      expectStatus(res, 401, "UNAUTHORIZED");
      expect(res.headers.get("www-authenticate")).toMatch(/^Bearer\b/);
    }
  });

  it("refuses control characters in the sub", async () => {
    for (const sub of ["tab\tuser", "nul\u0000user", "c1\u0085user"]) {
      const token = await signToken({ sub, role: "user" });
      expectStatus(await client.get("/api/me/positions", { headers: bearer(token) }), 401, "UNAUTHORIZED");
    }
  });

  it("refuses the same characters where other user-made key parts enter (creatorId, category)", async () => {
    expectStatus(await client.get("/api/markets?creatorId=a%00b"), 400, "VALIDATION_FAILED");
    expectStatus(await client.get("/api/markets?category=a%1Fb"), 400, "VALIDATION_FAILED");
    const { token } = await newUser();
    expectStatus(
      await client.post("/api/markets", marketBody({ category: "sport\u0000" }), { headers: bearer(token) }),
      400,
      "VALIDATION_FAILED",
    );
  });
});

describe("forged numeric cursors (defect 2)", () => {
  const cursor = (key: string, ordering = "volume:desc") =>
    Buffer.from(JSON.stringify({ v: 1, o: ordering, k: key })).toString("base64url");

  it("a volume cursor with more digits than DynamoDB holds is a 400, not a 500", async () => {
    for (const key of [`${"9".repeat(20)}.${"1".repeat(20)}`, `${"9".repeat(17)}.${"1".repeat(20)}`]) {
      expectStatus(
        await client.get(`/api/markets?sort=volume&cursor=${cursor(key)}`),
        400,
        "VALIDATION_FAILED",
      );
    }
  });
});

describe("invalid UTF-8 in a body (defect 4)", () => {
  it("is 400 INVALID_JSON through the gateway, and nothing is stored", async () => {
    const { id, token } = await newUser();
    const name = `Bytes ${uniqueSub()}`;
    const head = Buffer.from(`{"name":"${name} `);
    const tail = Buffer.from(`","closesAt":"2031-01-01T00:00:00.000Z"}`);
    for (const bad of [[0xff], [0xc3], [0xed, 0xa0, 0x80], [0xc0, 0xaf]]) {
      const res = await fetch(`${cloud.url}/api/markets`, {
        method: "POST",
        headers: { "content-type": "application/json", ...bearer(token) },
        body: Buffer.concat([head, Buffer.from(bad), tail]),
      });
      const body = (await res.json()) as { code?: string };
      expect({ status: res.status, code: body.code }, JSON.stringify(bad)).toEqual({
        status: 400,
        code: "INVALID_JSON",
      });
    }
    const mine = await client.get(`/api/markets?creatorId=${encodeURIComponent(id)}`);
    expect(mine.body.data).toEqual([]);
  });

  it("still accepts valid UTF-8 and a leading byte order mark", async () => {
    const { token } = await newUser();
    const res = await fetch(`${cloud.url}/api/markets`, {
      method: "POST",
      headers: { "content-type": "application/json; charset=utf-8", ...bearer(token) },
      body: Buffer.concat([
        Buffer.from([0xef, 0xbb, 0xbf]),
        Buffer.from(JSON.stringify(marketBody({ name: "Café crème ☕ 2031?" }))),
      ]),
    });
    expect(res.status).toBe(201);
    expect(((await res.json()) as { data: { name: string } }).data.name).toBe("Café crème ☕ 2031?");
  });
});

describe("prototype names in the query (defect 5)", () => {
  it("are unknown parameters: a 400 on every route, repeats included", async () => {
    const { token } = await newUser();
    const paths = [
      "/api/markets?__proto__=1",
      "/api/markets?constructor=x",
      "/api/markets?__proto__=1&__proto__=2",
      "/api/markets?status=active&__proto__[status]=draft",
      "/api/markets/search?q=rain&__proto__=1",
      "/api/me/positions?__proto__=1",
      "/api/markets/01JABCDEFGHJKMNPQRSTVWXYZ0?__proto__=1",
    ];
    for (const path of paths) {
      const res = await client.get(path, { headers: bearer(token) });
      expect({ path, status: res.status, code: res.body?.code }).toEqual({
        path,
        status: 400,
        code: "VALIDATION_FAILED",
      });
    }
  });
});
