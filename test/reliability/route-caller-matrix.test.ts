/**
 * Every route of API.md × every kind of caller (anonymous, the owner, another user, a moderator, an
 * admin), each cell's expected status written once in the table below. Cells that change or delete
 * a market get a fresh one, so the order of the cells never matters.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { LocalCloud } from "../../infra/local/local-cloud.ts";
import { type ApiClient, api, marketBody, newUser, type TestUser } from "../support/api-client.ts";
import { contractViolations } from "../support/contract-checks.ts";
import { startE2eCloud } from "../support/e2e-cloud.ts";
import { sendRaw } from "../support/raw-http.ts";

type CallerKind = "anonymous" | "owner" | "other" | "moderator" | "admin";
const CALLER_KINDS: readonly CallerKind[] = ["anonymous", "owner", "other", "moderator", "admin"];

/** What a cell needs: a market in some state, owned by "owner" (a user). */
type Fixture = "none" | "active" | "draft" | "closed" | "withPositions";

interface Row {
  route: string;
  method: string;
  /** `{id}` is the fixture market's id. */
  path: string;
  fixture: Fixture;
  body?: unknown;
  /** Expected status per caller, in CALLER_KINDS order. */
  expect: readonly [number, number, number, number, number];
  raw?: true;
}

//                                                                       anon owner other  mod admin
const ROWS: Row[] = [
  {
    route: "GET /api/health",
    method: "GET",
    path: "/api/health",
    fixture: "none",
    expect: [200, 200, 200, 200, 200],
  },
  {
    route: "GET /api/openapi.json",
    method: "GET",
    path: "/api/openapi.json",
    fixture: "none",
    raw: true,
    expect: [200, 200, 200, 200, 200],
  },
  {
    route: "GET /api/markets",
    method: "GET",
    path: "/api/markets",
    fixture: "none",
    expect: [200, 200, 200, 200, 200],
  },
  {
    route: "GET /api/markets?status=draft",
    method: "GET",
    path: "/api/markets?status=draft",
    fixture: "none",
    expect: [401, 200, 200, 200, 200],
  },
  {
    route: "GET /api/markets/search",
    method: "GET",
    path: "/api/markets/search?q=rain",
    fixture: "none",
    expect: [200, 200, 200, 200, 200],
  },
  {
    route: "GET /api/markets/{id} (active)",
    method: "GET",
    path: "/api/markets/{id}",
    fixture: "active",
    expect: [200, 200, 200, 200, 200],
  },
  {
    route: "GET /api/markets/{id} (draft)",
    method: "GET",
    path: "/api/markets/{id}",
    fixture: "draft",
    expect: [404, 200, 404, 200, 200],
  },
  {
    route: "GET /api/markets/{id} (missing)",
    method: "GET",
    path: "/api/markets/01HMISSING0000000000000000",
    fixture: "none",
    expect: [404, 404, 404, 404, 404],
  },
  {
    route: "POST /api/markets",
    method: "POST",
    path: "/api/markets",
    fixture: "none",
    body: "market",
    expect: [401, 201, 201, 201, 201],
  },
  {
    route: "PUT /api/markets/{id}",
    method: "PUT",
    path: "/api/markets/{id}",
    fixture: "active",
    body: "replace",
    expect: [401, 200, 403, 200, 200],
  },
  {
    route: "PUT /api/markets/{id} (draft)",
    method: "PUT",
    path: "/api/markets/{id}",
    fixture: "draft",
    body: "replace-draft",
    expect: [401, 200, 404, 200, 200],
  },
  {
    route: "PATCH /api/markets/{id}",
    method: "PATCH",
    path: "/api/markets/{id}",
    fixture: "active",
    body: { name: "Renamed in the matrix" },
    expect: [401, 200, 403, 200, 200],
  },
  {
    route: "PATCH /api/markets/{id} (resolve)",
    method: "PATCH",
    path: "/api/markets/{id}",
    fixture: "closed",
    body: { status: "resolved", outcome: "yes" },
    expect: [401, 403, 403, 200, 200],
  },
  {
    route: "PATCH /api/markets/{id} (missing)",
    method: "PATCH",
    path: "/api/markets/01HMISSING0000000000000000",
    fixture: "none",
    body: { name: "Nobody here" },
    expect: [401, 404, 404, 404, 404],
  },
  {
    route: "DELETE /api/markets/{id}",
    method: "DELETE",
    path: "/api/markets/{id}",
    fixture: "active",
    expect: [401, 403, 403, 204, 204],
  },
  {
    route: "DELETE /api/markets/{id} (positions)",
    method: "DELETE",
    path: "/api/markets/{id}",
    fixture: "withPositions",
    expect: [401, 403, 403, 409, 409],
  },
  {
    route: "POST /api/markets/{id}/index",
    method: "POST",
    path: "/api/markets/{id}/index",
    fixture: "active",
    expect: [401, 403, 403, 403, 202],
  },
  {
    route: "POST /api/markets/{id}/positions",
    method: "POST",
    path: "/api/markets/{id}/positions",
    fixture: "active",
    body: { side: "yes", amount: 5 },
    expect: [401, 201, 201, 201, 201],
  },
  {
    route: "POST /api/markets/{id}/positions (closed)",
    method: "POST",
    path: "/api/markets/{id}/positions",
    fixture: "closed",
    body: { side: "no", amount: 1 },
    expect: [401, 409, 409, 409, 409],
  },
  {
    route: "POST /api/markets/{id}/positions (draft)",
    method: "POST",
    path: "/api/markets/{id}/positions",
    fixture: "draft",
    body: { side: "no", amount: 1 },
    expect: [401, 409, 404, 409, 409],
  },
  {
    route: "GET /api/markets/{id}/positions",
    method: "GET",
    path: "/api/markets/{id}/positions",
    fixture: "withPositions",
    expect: [200, 200, 200, 200, 200],
  },
  {
    route: "GET /api/markets/{id}/positions (draft)",
    method: "GET",
    path: "/api/markets/{id}/positions",
    fixture: "draft",
    expect: [404, 200, 404, 200, 200],
  },
  {
    route: "GET /api/me/positions",
    method: "GET",
    path: "/api/me/positions",
    fixture: "none",
    expect: [401, 200, 200, 200, 200],
  },
  {
    route: "PUT /api/me",
    method: "PUT",
    path: "/api/me",
    fixture: "none",
    body: { displayName: "Matrix caller" },
    expect: [401, 200, 200, 200, 200],
  },
  {
    route: "unknown route",
    method: "GET",
    path: "/api/nothing-here",
    fixture: "none",
    expect: [404, 404, 404, 404, 404],
  },
];

let cloud: LocalCloud;
let client: ApiClient;
let owner: TestUser;
let users: Record<Exclude<CallerKind, "anonymous">, TestUser>;

beforeAll(async () => {
  cloud = await startE2eCloud({ startPoller: false });
  client = api(cloud);
  owner = await newUser("user");
  users = {
    owner,
    other: await newUser("user"),
    moderator: await newUser("moderator"),
    admin: await newUser("admin"),
  };
});

afterAll(async () => {
  console.info(
    `[route-caller-matrix] ${ROWS.length} routes × ${CALLER_KINDS.length} callers = ${ROWS.length * CALLER_KINDS.length} cells`,
  );
  await cloud?.stop();
});

/** A market owned by the owner, in the state the cell needs. */
async function fixture(kind: Fixture): Promise<string | undefined> {
  if (kind === "none") return undefined;
  const body = kind === "draft" ? marketBody({ status: "draft" }) : marketBody();
  const created = await client.post("/api/markets", body, { token: owner.token });
  expect(created.status).toBe(201);
  const id = created.body.data.id as string;
  if (kind === "closed")
    expect(
      (await client.patch(`/api/markets/${id}`, { status: "closed" }, { token: owner.token })).status,
    ).toBe(200);
  if (kind === "withPositions") {
    expect(
      (
        await client.post(
          `/api/markets/${id}/positions`,
          { side: "yes", amount: 3 },
          { token: users.other.token },
        )
      ).status,
    ).toBe(201);
  }
  return id;
}

function bodyOf(row: Row): unknown {
  if (row.body === "market") return marketBody();
  if (row.body === "replace" || row.body === "replace-draft") {
    return {
      name: "Replaced in the matrix",
      description: "",
      closesAt: marketBody().closesAt,
      status: row.body === "replace" ? "active" : "draft",
    };
  }
  return row.body;
}

const cells = ROWS.flatMap((row) =>
  CALLER_KINDS.map((caller, index) => ({ ...row, caller, status: row.expect[index] as number })),
);

describe("route × caller", () => {
  it.each(cells)("$route as $caller → $status", async (cell) => {
    const id = await fixture(cell.fixture);
    const path = id ? cell.path.replace("{id}", id) : cell.path;
    const body = bodyOf(cell);
    const headers: [string, string][] = [];
    if (cell.caller !== "anonymous") headers.push(["authorization", `Bearer ${users[cell.caller].token}`]);
    if (body !== undefined) headers.push(["content-type", "application/json"]);
    const response = await sendRaw(cloud.url, {
      method: cell.method,
      path,
      headers,
      ...(body !== undefined ? { body: Buffer.from(JSON.stringify(body)) } : {}),
    });
    expect(response.status, response.text.slice(0, 300)).toBe(cell.status);
    expect(contractViolations(response, { rawSuccess: cell.raw })).toEqual([]);
  });
});
