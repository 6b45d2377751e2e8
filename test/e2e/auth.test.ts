import { SignJWT } from "jose";
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

const secret = () => new TextEncoder().encode(cloud.env.JWT_SECRET);
const base64url = (value: unknown) => Buffer.from(JSON.stringify(value)).toString("base64url");
const inSeconds = (seconds: number) => Math.floor(Date.now() / 1000) + seconds;

function expectUnauthorized(res: ApiResponse): void {
  expect(res.status).toBe(401);
  expect(res.body).toMatchObject({ success: false, code: "UNAUTHORIZED" });
  expect(res.headers.get("www-authenticate")).toMatch(/^Bearer\b/);
  expect(res.body.requestId).toBeTruthy();
}

/** A write that needs a token; only the Authorization header varies. */
const createWith = (headers: Record<string, string>) =>
  client.post("/api/markets", marketBody(), { headers });

describe("401 UNAUTHORIZED", () => {
  it("a missing token on a route that needs one", async () => {
    expectUnauthorized(await client.post("/api/markets", marketBody()));
    expectUnauthorized(await client.get("/api/me/positions"));
  });

  it("a malformed Authorization header", async () => {
    expectUnauthorized(await createWith({ authorization: "Bearer" }));
    expectUnauthorized(await createWith({ authorization: "Bearer not-a-jwt" }));
    expectUnauthorized(await createWith({ authorization: "Basic dXNlcjpwYXNz" }));
    expectUnauthorized(await createWith({ authorization: "Bearer a.b.c" }));
  });

  it("an expired token", async () => {
    const token = await signToken({ sub: uniqueSub(), role: "user", expiresIn: inSeconds(-60) });
    expectUnauthorized(await createWith({ authorization: `Bearer ${token}` }));
  });

  it("a token signed with another secret", async () => {
    const token = await signToken({
      sub: uniqueSub(),
      role: "admin",
      secret: "another-secret-that-is-long-enough-0123456789",
    });
    expectUnauthorized(await createWith({ authorization: `Bearer ${token}` }));
  });

  it("a tampered payload", async () => {
    const token = await signToken({ sub: uniqueSub(), role: "user" });
    const [header, , signature] = token.split(".");
    const payload = base64url({ sub: "someone-else", role: "admin", exp: inSeconds(3600) });
    expectUnauthorized(await createWith({ authorization: `Bearer ${header}.${payload}.${signature}` }));
  });

  it("alg none", async () => {
    const header = base64url({ alg: "none", typ: "JWT" });
    const payload = base64url({ sub: uniqueSub(), role: "admin", exp: inSeconds(3600) });
    expectUnauthorized(await createWith({ authorization: `Bearer ${header}.${payload}.` }));
  });

  it("another HMAC algorithm with the right secret", async () => {
    const token = await new SignJWT({ role: "user" })
      .setProtectedHeader({ alg: "HS512" })
      .setSubject(uniqueSub())
      .setExpirationTime("1h")
      .sign(secret());
    expectUnauthorized(await createWith({ authorization: `Bearer ${token}` }));
  });

  it("a token without exp", async () => {
    const token = await new SignJWT({ role: "user" })
      .setProtectedHeader({ alg: "HS256" })
      .setSubject(uniqueSub())
      .setIssuedAt()
      .sign(secret());
    expectUnauthorized(await createWith({ authorization: `Bearer ${token}` }));
  });

  it("a token without sub", async () => {
    const token = await new SignJWT({ role: "user" })
      .setProtectedHeader({ alg: "HS256" })
      .setExpirationTime("1h")
      .sign(secret());
    expectUnauthorized(await createWith({ authorization: `Bearer ${token}` }));
  });

  it("an unknown or missing role", async () => {
    const token = await signToken({ sub: uniqueSub(), role: "user", extraClaims: { role: "superuser" } });
    expectUnauthorized(await createWith({ authorization: `Bearer ${token}` }));
    const noRole = await new SignJWT({})
      .setProtectedHeader({ alg: "HS256" })
      .setSubject(uniqueSub())
      .setExpirationTime("1h")
      .sign(secret());
    expectUnauthorized(await createWith({ authorization: `Bearer ${noRole}` }));
  });

  it("an invalid token is a 401 even on a public route", async () => {
    expectUnauthorized(await client.get("/api/markets", { token: "a.b.c" }));
  });

  it("no internal detail of the failure reaches the client", async () => {
    const token = await signToken({ sub: uniqueSub(), role: "user", expiresIn: inSeconds(-60) });
    const res = await createWith({ authorization: `Bearer ${token}` });
    expect(res.text).not.toMatch(/jose|JWTExpired|ERR_JWT|"exp" claim/i);
  });
});

describe("valid tokens", () => {
  it("the lower-case bearer scheme is accepted", async () => {
    const user = await newUser("user");
    const res = await createWith({ authorization: `bearer ${user.token}` });
    expect(res.status).toBe(201);
  });

  it("a public route needs no token", async () => {
    expect((await client.get("/api/markets")).status).toBe(200);
  });
});

describe("403 FORBIDDEN by role", () => {
  it("a user may not delete", async () => {
    const user = await newUser("user");
    const created = await client.post("/api/markets", marketBody(), { token: user.token });
    expect(created.status).toBe(201);
    const res = await client.delete(`/api/markets/${created.body.data.id}`, { token: user.token });
    expect(res.status).toBe(403);
    expect(res.body).toMatchObject({ success: false, code: "FORBIDDEN" });
    expect((await client.get(`/api/markets/${created.body.data.id}`)).status).toBe(200);
  });

  it("users and moderators may not queue re-indexing; admins may", async () => {
    const admin = await newUser("admin");
    const created = await client.post("/api/markets", marketBody(), { token: admin.token });
    const path = `/api/markets/${created.body.data.id}/index`;
    for (const role of ["user", "moderator"] as const) {
      const res = await client.post(path, undefined, { token: (await newUser(role)).token });
      expect(res.status).toBe(403);
      expect(res.body.code).toBe("FORBIDDEN");
    }
    const res = await client.post(path, undefined, { token: admin.token });
    expect(res.status).toBe(202);
    expect(res.body).toMatchObject({ success: true, message: "Job queued" });
    expect(typeof res.body.data.jobId).toBe("string");
  });

  it("re-indexing a missing market is a 404", async () => {
    const admin = await newUser("admin");
    const res = await client.post("/api/markets/01MISSINGMARKET/index", undefined, { token: admin.token });
    expect(res.status).toBe(404);
    expect(res.body.code).toBe("NOT_FOUND");
  });

  it("every role may read its own positions and write", async () => {
    for (const role of ["user", "moderator", "admin"] as const) {
      const caller = await newUser(role);
      expect((await client.get("/api/me/positions", { token: caller.token })).status).toBe(200);
      expect(
        (await client.put("/api/me", { displayName: `n-${role}` }, { token: caller.token })).status,
      ).toBe(200);
    }
  });

  it("moderators and admins may delete", async () => {
    for (const role of ["moderator", "admin"] as const) {
      const caller = await newUser(role);
      const created = await client.post("/api/markets", marketBody(), { token: caller.token });
      const res = await client.delete(`/api/markets/${created.body.data.id}`, { token: caller.token });
      expect(res.status).toBe(204);
    }
  });
});
