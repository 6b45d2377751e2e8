/**
 * The authentication matrix for a JWKS deployment (RS256/ES256 keys served by a local identity
 * provider, issuer and audience configured): a key the set does not hold, an algorithm the
 * deployment does not accept (the HS/RS confusion: HS256 signed with the RSA public key as the
 * secret), unsigned tokens and wrong claims are each a 401 with `WWW-Authenticate: Bearer`, through
 * the real bundles. A valid RS256 token and a valid ES256 token are the controls.
 */
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { exportJWK, exportSPKI, type GenerateKeyPairResult, generateKeyPair, type JWK } from "jose";
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
import { startE2eCloud } from "../support/e2e-cloud.ts";
import { sendRaw } from "../support/raw-http.ts";

const ISSUER = "https://idp.example.test/";
const AUDIENCE = "markets-api-jwks";
const RSA_KID = "rsa-1";
const EC_KID = "ec-1";

let cloud: LocalCloud;
let idp: Server;
let rsa: GenerateKeyPairResult;
let ec: GenerateKeyPairResult;
let foreign: GenerateKeyPairResult;
let rsaPublicJwk: JWK;
let rsaPublicPem: string;

const claims = (overrides: Record<string, unknown> = {}) => ({
  sub: uniqueSub("jwks"),
  role: "user",
  iss: ISSUER,
  aud: AUDIENCE,
  iat: nowSeconds(),
  exp: nowSeconds() + 3600,
  ...overrides,
});
const RS = (kid = RSA_KID) => ({ alg: "RS256", typ: "JWT", kid });
const utf8 = (text: string) => new TextEncoder().encode(text);

const cases: AttackCase[] = [
  {
    name: "kid the key set does not hold",
    authorization: () => bearer(signRaw(RS("rsa-9"), claims(), rsa.privateKey)),
  },
  {
    name: "bogus kid, signed by a foreign key",
    authorization: () => bearer(signRaw(RS("attacker"), claims(), foreign.privateKey)),
  },
  {
    name: "our kid, signed by a foreign key",
    authorization: () => bearer(signRaw(RS(), claims(), foreign.privateKey)),
  },
  {
    name: "no kid, signed by a foreign key",
    authorization: () => bearer(signRaw({ alg: "RS256" }, claims(), foreign.privateKey)),
  },
  {
    name: "kid that is a path",
    authorization: () => bearer(signRaw(RS("../../etc/passwd"), claims(), rsa.privateKey)),
  },
  {
    name: "HS256 signed with the RSA public key (PEM) as the secret",
    authorization: () => bearer(signRaw({ alg: "HS256", kid: RSA_KID }, claims(), utf8(rsaPublicPem))),
  },
  {
    name: "HS256 signed with the RSA public key (JWK JSON) as the secret",
    authorization: () =>
      bearer(signRaw({ alg: "HS256", kid: RSA_KID }, claims(), utf8(JSON.stringify(rsaPublicJwk)))),
  },
  {
    name: "HS256 signed with the RSA modulus as the secret",
    authorization: () =>
      bearer(
        signRaw({ alg: "HS256", kid: RSA_KID }, claims(), Buffer.from(String(rsaPublicJwk.n), "base64url")),
      ),
  },
  {
    name: "HS256 signed with the development secret",
    authorization: () =>
      bearer(signRaw({ alg: "HS256" }, claims(), utf8("local-development-secret-change-me-0123456789"))),
  },
  {
    name: "alg none",
    authorization: async () => `Bearer ${unsigned({ alg: "none", kid: RSA_KID }, claims())}`,
  },
  {
    name: "alg none with a valid RS256 signature",
    authorization: async () => {
      const valid = await signRaw(RS(), claims(), rsa.privateKey);
      return `Bearer ${unsigned({ alg: "none", kid: RSA_KID }, claims({ role: "admin" }))}${valid.split(".")[2]}`;
    },
  },
  {
    name: "RS256 header on the EC key's kid",
    authorization: () => bearer(signRaw(RS(EC_KID), claims(), rsa.privateKey)),
  },
  {
    name: "ES256 header on the RSA key's kid",
    authorization: () => bearer(signRaw({ alg: "ES256", kid: RSA_KID }, claims(), ec.privateKey)),
  },
  {
    name: "PS256 (not accepted) on our kid",
    authorization: async () => {
      const { privateKey } = await generateKeyPair("PS256");
      return bearer(signRaw({ alg: "PS256", kid: RSA_KID }, claims(), privateKey));
    },
  },
  {
    name: "an embedded jwk header naming the attacker's key",
    authorization: async () => {
      const jwk = await exportJWK(foreign.publicKey);
      return bearer(signRaw({ alg: "RS256", jwk }, claims(), foreign.privateKey));
    },
  },
  {
    name: "a jku header pointing elsewhere",
    authorization: () =>
      bearer(
        signRaw(
          { alg: "RS256", kid: "x", jku: "https://evil.example/jwks.json" },
          claims(),
          foreign.privateKey,
        ),
      ),
  },
  {
    name: "tampered payload",
    authorization: async () => {
      const [header, , signature] = (await signRaw(RS(), claims(), rsa.privateKey)).split(".");
      const forged = Buffer.from(JSON.stringify(claims({ role: "admin" }))).toString("base64url");
      return `Bearer ${header}.${forged}.${signature}`;
    },
  },
  {
    name: "wrong issuer",
    authorization: () => bearer(signRaw(RS(), claims({ iss: "https://evil.example/" }), rsa.privateKey)),
  },
  {
    name: "issuer without its trailing slash",
    authorization: () => bearer(signRaw(RS(), claims({ iss: ISSUER.slice(0, -1) }), rsa.privateKey)),
  },
  {
    name: "wrong audience",
    authorization: () => bearer(signRaw(RS(), claims({ aud: "another-api" }), rsa.privateKey)),
  },
  {
    name: "audience list without ours",
    authorization: () => bearer(signRaw(RS(), claims({ aud: ["a", "b"] }), rsa.privateKey)),
  },
  {
    name: "expired",
    authorization: () => bearer(signRaw(RS(), claims({ exp: nowSeconds() - 120 }), rsa.privateKey)),
  },
  {
    name: "sub with a lone surrogate",
    authorization: () => bearer(signRaw(RS(), claims({ sub: "victim\ud8001" }), rsa.privateKey)),
  },
  {
    name: "unknown role",
    authorization: () => bearer(signRaw(RS(), claims({ role: "root" }), rsa.privateKey)),
  },
];

const targets = AUTH_TARGETS;

let attempted = 0;
let refused = 0;

beforeAll(async () => {
  rsa = await generateKeyPair("RS256", { extractable: true });
  ec = await generateKeyPair("ES256", { extractable: true });
  foreign = await generateKeyPair("RS256", { extractable: true });
  rsaPublicJwk = { ...(await exportJWK(rsa.publicKey)), kid: RSA_KID, alg: "RS256", use: "sig" };
  rsaPublicPem = await exportSPKI(rsa.publicKey);
  const keys = [rsaPublicJwk, { ...(await exportJWK(ec.publicKey)), kid: EC_KID, alg: "ES256", use: "sig" }];
  idp = createServer((request, response) => {
    if (request.url !== "/.well-known/jwks.json") {
      response.writeHead(404).end();
      return;
    }
    response.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify({ keys }));
  });
  await new Promise<void>((resolve) => idp.listen(0, "127.0.0.1", resolve));
  const jwksUrl = `http://127.0.0.1:${(idp.address() as AddressInfo).port}/.well-known/jwks.json`;
  cloud = await startE2eCloud({
    startPoller: false,
    env: { JWT_JWKS_URL: jwksUrl, JWT_ISSUER: ISSUER, JWT_AUDIENCE: AUDIENCE },
  });
});

afterAll(async () => {
  console.info(
    `[auth-matrix] JWKS: ${cases.length} attack cases, ${attempted} requests, ${refused} answered 401`,
  );
  await cloud?.stop();
  await new Promise<void>((resolve) => (idp ? idp.close(() => resolve()) : resolve()));
});

describe("valid tokens (the controls)", () => {
  it("RS256 and ES256 tokens from the key set are accepted on every target", async () => {
    for (const authorization of [
      await bearer(signRaw(RS(), claims(), rsa.privateKey)),
      await bearer(signRaw({ alg: "ES256", kid: EC_KID }, claims(), ec.privateKey)),
    ]) {
      const statuses = await Promise.all(
        targets.map(async (target) => (await sendRaw(cloud.url, target.request(authorization))).status),
      );
      expect(statuses).toEqual([201, 200, 200]);
    }
  });
});

describe.each(cases)("$name", (attack) => {
  it.each(targets)("is a 401 with WWW-Authenticate: Bearer on $name", async (target) => {
    const authorization = (await attack.authorization()) as string;
    attempted += 1;
    const response = await sendRaw(cloud.url, target.request(authorization));
    expect(response.status, response.text).toBe(401);
    expect(contractViolations(response)).toEqual([]);
    expect(response.headers["www-authenticate"]).toMatch(/^Bearer\b/);
    refused += 1;
  });
});
