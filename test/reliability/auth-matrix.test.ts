/**
 * The authentication matrix for an HS256 deployment with issuer and audience configured: every
 * forged, broken, expired or ill-formed token is a 401 with `WWW-Authenticate: Bearer` and the
 * error envelope, on a write route, a read route and a public route. Real tokens signed with jose,
 * through the real bundles. A valid token on the same routes is the control.
 */
import { generateKeyPair } from "jose";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { LocalCloud } from "../../infra/local/local-cloud.ts";
import { uniqueSub } from "../support/api-client.ts";
import {
  type AttackCase,
  AUTH_TARGETS,
  bearer,
  nowSeconds,
  signRaw,
  unsigned,
} from "../support/auth-attacks.ts";
import { contractViolations } from "../support/contract-checks.ts";
import { invokeDirect } from "../support/direct-invoke.ts";
import { startE2eCloud } from "../support/e2e-cloud.ts";
import { type RawRequest, type RawResponse, sendRaw } from "../support/raw-http.ts";

const ISSUER = "https://issuer.example.test/";
const AUDIENCE = "markets-api-test";
const SECRET = "auth-matrix-secret-0123456789-abcdefghijklmnop";

let cloud: LocalCloud;
const key = new TextEncoder().encode(SECRET);
const HS = { alg: "HS256", typ: "JWT" } as const;

/** Claims of a valid token; each case breaks one thing. */
const claims = (overrides: Record<string, unknown> = {}) => ({
  sub: uniqueSub("auth"),
  role: "user",
  iss: ISSUER,
  aud: AUDIENCE,
  iat: nowSeconds(),
  exp: nowSeconds() + 3600,
  ...overrides,
});
const without = (name: string) => {
  const payload: Record<string, unknown> = claims();
  delete payload[name];
  return payload;
};

const cases: AttackCase[] = [
  { name: "no token", authorization: async () => undefined },
  {
    name: "alg none",
    authorization: async () => `Bearer ${unsigned({ alg: "none", typ: "JWT" }, claims())}`,
  },
  { name: "alg NONE", authorization: async () => `Bearer ${unsigned({ alg: "NONE" }, claims())}` },
  {
    name: "alg none with the HS256 signature of another token",
    authorization: async () => {
      const valid = await signRaw(HS, claims(), key);
      return `Bearer ${unsigned({ alg: "none" }, claims({ role: "admin" }))}${valid.split(".")[2]}`;
    },
  },
  {
    name: "wrong secret",
    authorization: () => bearer(signRaw(HS, claims(), new TextEncoder().encode(`${SECRET}-other`))),
  },
  {
    name: "HS384 with the right secret",
    authorization: () => bearer(signRaw({ alg: "HS384" }, claims(), key)),
  },
  {
    name: "HS512 with the right secret",
    authorization: () => bearer(signRaw({ alg: "HS512" }, claims(), key)),
  },
  {
    name: "RS256 (HS/RS confusion)",
    authorization: async () => {
      const { privateKey } = await generateKeyPair("RS256");
      return bearer(signRaw({ alg: "RS256" }, claims(), privateKey));
    },
  },
  {
    name: "ES256",
    authorization: async () => {
      const { privateKey } = await generateKeyPair("ES256");
      return bearer(signRaw({ alg: "ES256" }, claims(), privateKey));
    },
  },
  {
    name: "tampered payload",
    authorization: async () => {
      const [header, , signature] = (await signRaw(HS, claims(), key)).split(".");
      const forged = Buffer.from(JSON.stringify(claims({ role: "admin" }))).toString("base64url");
      return `Bearer ${header}.${forged}.${signature}`;
    },
  },
  {
    name: "wrong issuer",
    authorization: () => bearer(signRaw(HS, claims({ iss: "https://evil.example/" }), key)),
  },
  { name: "missing issuer", authorization: () => bearer(signRaw(HS, without("iss"), key)) },
  { name: "wrong audience", authorization: () => bearer(signRaw(HS, claims({ aud: "another-api" }), key)) },
  {
    name: "audience list without ours",
    authorization: () => bearer(signRaw(HS, claims({ aud: ["a", "b"] }), key)),
  },
  { name: "missing audience", authorization: () => bearer(signRaw(HS, without("aud"), key)) },
  { name: "missing exp", authorization: () => bearer(signRaw(HS, without("exp"), key)) },
  { name: "expired exp", authorization: () => bearer(signRaw(HS, claims({ exp: nowSeconds() - 120 }), key)) },
  {
    name: "exp as a string",
    authorization: () => bearer(signRaw(HS, claims({ exp: String(nowSeconds() + 3600) }), key)),
  },
  { name: "exp = 0", authorization: () => bearer(signRaw(HS, claims({ exp: 0 }), key)) },
  {
    name: "nbf in the future",
    authorization: () => bearer(signRaw(HS, claims({ nbf: nowSeconds() + 3600 }), key)),
  },
  { name: "nbf as a string", authorization: () => bearer(signRaw(HS, claims({ nbf: "soon" }), key)) },
  {
    name: "unknown crit header",
    authorization: () =>
      bearer(signRaw({ alg: "HS256", crit: ["x-unknown"], "x-unknown": true }, claims(), key)),
  },
  {
    name: "crit naming a registered header",
    authorization: () => bearer(signRaw({ alg: "HS256", crit: ["alg"] }, claims(), key)),
  },
  {
    name: "b64 false (RFC 7797)",
    authorization: () => bearer(signRaw({ alg: "HS256", b64: false, crit: ["b64"] }, claims(), key)),
  },
  {
    name: "100 KB token",
    direct: true,
    authorization: () => bearer(signRaw(HS, claims({ padding: "p".repeat(100 * 1024) }), key)),
  },
  { name: "unknown role", authorization: () => bearer(signRaw(HS, claims({ role: "superuser" }), key)) },
  { name: "role in another case", authorization: () => bearer(signRaw(HS, claims({ role: "Admin" }), key)) },
  { name: "role as a list", authorization: () => bearer(signRaw(HS, claims({ role: ["admin"] }), key)) },
  { name: "missing role", authorization: () => bearer(signRaw(HS, without("role"), key)) },
  { name: "missing sub", authorization: () => bearer(signRaw(HS, without("sub"), key)) },
  { name: "empty sub", authorization: () => bearer(signRaw(HS, claims({ sub: "" }), key)) },
  {
    name: "sub of 129 characters",
    authorization: () => bearer(signRaw(HS, claims({ sub: "s".repeat(129) }), key)),
  },
  { name: "sub as a number", authorization: () => bearer(signRaw(HS, claims({ sub: 42 }), key)) },
  {
    name: "sub with a lone surrogate",
    authorization: () => bearer(signRaw(HS, claims({ sub: "victim\ud8001" }), key)),
  },
  {
    name: "sub with a lone low surrogate",
    authorization: () => bearer(signRaw(HS, claims({ sub: "x\udc00" }), key)),
  },
  { name: "sub with NUL", authorization: () => bearer(signRaw(HS, claims({ sub: "a\u0000b" }), key)) },
  { name: "sub with a newline", authorization: () => bearer(signRaw(HS, claims({ sub: "a\nb" }), key)) },
  { name: "sub with DEL", authorization: () => bearer(signRaw(HS, claims({ sub: "a\u007fb" }), key)) },
  {
    name: "sub with a C1 control",
    authorization: () => bearer(signRaw(HS, claims({ sub: "a\u0085b" }), key)),
  },
  {
    name: "payload is not JSON",
    authorization: async () => {
      const header = Buffer.from(JSON.stringify(HS)).toString("base64url");
      return `Bearer ${header}.${Buffer.from("not json").toString("base64url")}.sig`;
    },
  },
  {
    name: "payload is a JSON array",
    authorization: async () => {
      const [header] = (await signRaw(HS, claims(), key)).split(".");
      return `Bearer ${header}.${Buffer.from("[]").toString("base64url")}.sig`;
    },
  },
  { name: "five-part JWE", authorization: async () => "Bearer aaa.bbb.ccc.ddd.eee" },
  { name: "Basic scheme", authorization: async () => "Basic dXNlcjpwYXNz" },
  { name: "bare token without scheme", authorization: () => signRaw(HS, claims(), key) },
  {
    name: "two tokens",
    authorization: async () =>
      `Bearer ${await signRaw(HS, claims(), key)} ${await signRaw(HS, claims(), key)}`,
  },
];

/** Where each case is tried: a write, a read that needs a token, and a public route. */
const targets = AUTH_TARGETS;

const meTarget = targets[1] as (typeof targets)[number];
let attempted = 0;
let refused = 0;

beforeAll(async () => {
  cloud = await startE2eCloud({
    startPoller: false,
    env: { JWT_SECRET: SECRET, JWT_ISSUER: ISSUER, JWT_AUDIENCE: AUDIENCE },
  });
});

afterAll(async () => {
  console.info(
    `[auth-matrix] HS256: ${cases.length} attack cases, ${attempted} requests, ${refused} answered 401`,
  );
  await cloud?.stop();
});

const send = (request: RawRequest, direct: boolean | undefined): Promise<RawResponse> =>
  direct ? invokeDirect(cloud, request) : sendRaw(cloud.url, request);

describe("a valid token (the control)", () => {
  it("is accepted on every target", async () => {
    const authorization = await bearer(signRaw(HS, claims(), key));
    const statuses = await Promise.all(
      targets.map(async (target) => (await sendRaw(cloud.url, target.request(authorization))).status),
    );
    expect(statuses).toEqual([201, 200, 200]);
    // The 100 KB case goes straight to the bundle: a valid token does pass that way.
    expect((await invokeDirect(cloud, meTarget.request(authorization))).status).toBe(200);
  });
});

describe.each(cases)("$name", (attack) => {
  it.each(targets)("is a 401 with WWW-Authenticate: Bearer on $name", async (target) => {
    const authorization = await attack.authorization();
    if (authorization === undefined && target.public) return; // no token on a public route is fine
    attempted += 1;
    const response = await send(target.request(authorization), attack.direct);
    expect(response.status, response.text).toBe(401);
    expect(contractViolations(response)).toEqual([]);
    expect(response.headers["www-authenticate"]).toMatch(/^Bearer\b/);
    refused += 1;
  });
});
