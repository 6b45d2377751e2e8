/**
 * The world the fuzzer aims at: a local cloud, callers of every role, and markets in every state
 * (active with positions, draft, closed, resolved, one without positions), plus the means to send a
 * generated request to it, over HTTP or as an API Gateway event with a base64 body.
 */
import type { LocalCloud } from "../../infra/local/local-cloud.ts";
import { api, inDays, marketBody, newUser, type TestUser } from "./api-client.ts";
import { invokeDirect, routeExists } from "./direct-invoke.ts";
import type { CallerName, FuzzRequest } from "./fuzz-requests.ts";
import { type RawResponse, sendRaw } from "./raw-http.ts";

export interface FuzzWorld {
  readonly cloud: LocalCloud;
  readonly users: Readonly<Record<Exclude<CallerName, "anonymous" | "bad-token">, TestUser>>;
  /** Market ids the fuzzer aims at; markets it creates are added. */
  readonly marketIds: string[];
}

export async function buildFuzzWorld(cloud: LocalCloud): Promise<FuzzWorld> {
  const client = api(cloud);
  const [alice, bob, moderator, admin] = await Promise.all([
    newUser("user"),
    newUser("user"),
    newUser("moderator"),
    newUser("admin"),
  ]);
  const create = async (owner: TestUser, body: Record<string, unknown> = {}) => {
    const res = await client.post("/api/markets", marketBody(body), { token: owner.token });
    if (res.status !== 201) throw new Error(`world setup: create answered ${res.status} ${res.text}`);
    return res.body.data.id as string;
  };
  const active = await create(alice, { category: "fuzz", initialPosition: { side: "yes", amount: 10 } });
  await client.post(`/api/markets/${active}/positions`, { side: "no", amount: 2.5 }, { token: bob.token });
  const draft = await create(alice, { status: "draft" });
  const closed = await create(alice);
  await client.patch(`/api/markets/${closed}`, { status: "closed" }, { token: alice.token });
  const resolved = await create(bob, { closesAt: inDays(2) });
  await client.patch(`/api/markets/${resolved}`, { status: "closed" }, { token: admin.token });
  await client.patch(
    `/api/markets/${resolved}`,
    { status: "resolved", outcome: "no" },
    { token: admin.token },
  );
  const empty = await create(bob);
  await client.put("/api/me", { displayName: "Alice" }, { token: alice.token });
  // Index what exists, so search answers with real hits; the fuzz itself runs with the poller off.
  await cloud.poller.drain();
  return {
    cloud,
    users: { alice, bob, moderator, admin },
    marketIds: [active, draft, closed, resolved, empty, "01HMISSING0000000000000000"],
  };
}

/** The wire path of a generated request: its id resolved against the world. */
export function pathOf(world: FuzzWorld, request: FuzzRequest): string {
  let path = request.path;
  if (request.id) {
    const segment =
      "pool" in request.id
        ? (world.marketIds[request.id.pool % world.marketIds.length] ?? "none")
        : request.id.segment;
    path = path.replace("{id}", segment);
  }
  return request.query ? `${path}?${request.query}` : path;
}

/** Header pairs of a generated request, its caller's Authorization first. */
export function headersOf(world: FuzzWorld, request: FuzzRequest): [string, string][] {
  const headers: [string, string][] = [];
  if (request.caller === "bad-token") headers.push(["authorization", request.badAuthorization ?? "Bearer x"]);
  else if (request.caller !== "anonymous")
    headers.push(["authorization", `Bearer ${world.users[request.caller].token}`]);
  return [...headers, ...request.headers];
}

/** Send a generated request over HTTP, or as an event with a base64 body when it asks for that. */
export function sendFuzzRequest(world: FuzzWorld, request: FuzzRequest): Promise<RawResponse> {
  const raw = {
    method: request.method,
    path: pathOf(world, request),
    headers: headersOf(world, request),
    body: request.body,
  };
  return request.viaEvent && routeExists(raw.method, raw.path)
    ? invokeDirect(world.cloud, raw, { base64Body: true })
    : sendRaw(world.cloud.url, raw);
}
