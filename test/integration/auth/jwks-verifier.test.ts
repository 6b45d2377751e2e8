/**
 * The JWKS verifier (RS256 and ES256) against a local identity provider that serves a key set over
 * HTTP, and against one that is down, hangs or answers garbage: an outage is a 503, never a 401.
 */
import { createServer, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import {
  errors,
  exportJWK,
  type GenerateKeyPairResult,
  generateKeyPair,
  type JWK,
  type JWTPayload,
  SignJWT,
} from "jose";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTokenVerifier } from "../../../shared/auth/token-verifier.ts";
import { expectUnauthorized, expectUnavailable } from "../../support/token-assertions.ts";

type KeyPair = GenerateKeyPairResult;
type SigningKey = KeyPair["privateKey"];

const SECRET = "a-test-secret-that-is-long-enough-0123456789";
const encoded = (secret: string) => new TextEncoder().encode(secret);

describe("JWKS verifier (RS256 and ES256)", () => {
  const ISSUER = "https://auth.example.test/";
  const AUDIENCE = "markets-api";
  let server: Server;
  let jwksUrl: string;
  let rsa: KeyPair;
  let ec: KeyPair;
  let foreign: KeyPair;
  let jwksRequests = 0;

  beforeAll(async () => {
    rsa = await generateKeyPair("RS256", { extractable: true });
    ec = await generateKeyPair("ES256", { extractable: true });
    foreign = await generateKeyPair("RS256", { extractable: true });
    const keys: JWK[] = [
      { ...(await exportJWK(rsa.publicKey)), kid: "rsa-1", alg: "RS256", use: "sig" },
      { ...(await exportJWK(ec.publicKey)), kid: "ec-1", alg: "ES256", use: "sig" },
    ];
    server = createServer((request, response) => {
      jwksRequests++;
      if (request.url !== "/.well-known/jwks.json") {
        response.writeHead(404).end();
        return;
      }
      response.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify({ keys }));
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    jwksUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/.well-known/jwks.json`;
  });

  afterAll(async () => {
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });

  const sign = (
    key: SigningKey,
    alg: string,
    kid: string,
    claims: JWTPayload = {},
    options: { issuer?: string; audience?: string } = {},
  ) =>
    new SignJWT({ role: "admin", ...claims })
      .setProtectedHeader({ alg, kid })
      .setSubject("idp-user")
      .setIssuer(options.issuer ?? ISSUER)
      .setAudience(options.audience ?? AUDIENCE)
      .setIssuedAt()
      .setExpirationTime("5m")
      .sign(key);

  it("accepts RS256 and ES256 tokens signed by keys of the JWKS", async () => {
    const verify = createTokenVerifier({ jwksUrl, issuer: ISSUER, audience: AUDIENCE });
    expect(await verify(await sign(rsa.privateKey, "RS256", "rsa-1"))).toEqual({
      id: "idp-user",
      role: "admin",
    });
    expect(await verify(await sign(ec.privateKey, "ES256", "ec-1", { email: "e@x.y" }))).toEqual({
      id: "idp-user",
      role: "admin",
      email: "e@x.y",
    });
    expect(jwksRequests).toBeGreaterThanOrEqual(1);
  });

  it("rejects the wrong issuer or audience", async () => {
    const verify = createTokenVerifier({ jwksUrl, issuer: ISSUER, audience: AUDIENCE });
    await expectUnauthorized(
      verify(await sign(rsa.privateKey, "RS256", "rsa-1", {}, { issuer: "https://evil/" })),
    );
    await expectUnauthorized(
      verify(await sign(ec.privateKey, "ES256", "ec-1", {}, { audience: "another-api" })),
    );
  });

  it("rejects a key that is not in the JWKS, and HS256 tokens", async () => {
    const verify = createTokenVerifier({ jwksUrl, issuer: ISSUER, audience: AUDIENCE });
    await expectUnauthorized(verify(await sign(foreign.privateKey, "RS256", "rsa-1")));
    await expectUnauthorized(verify(await sign(foreign.privateKey, "RS256", "unknown-kid")));
    const hs = await new SignJWT({ role: "admin" })
      .setProtectedHeader({ alg: "HS256", kid: "rsa-1" })
      .setSubject("idp-user")
      .setIssuer(ISSUER)
      .setAudience(AUDIENCE)
      .setExpirationTime("5m")
      .sign(encoded(SECRET));
    await expectUnauthorized(verify(hs));
  });

  it("fetches the key set once for many tokens, and not again for each unknown kid", async () => {
    const verify = createTokenVerifier({ jwksUrl, issuer: ISSUER, audience: AUDIENCE });
    const before = jwksRequests;
    for (let index = 0; index < 5; index += 1) {
      expect((await verify(await sign(rsa.privateKey, "RS256", "rsa-1"))).id).toBe("idp-user");
      expect((await verify(await sign(ec.privateKey, "ES256", "ec-1"))).id).toBe("idp-user");
    }
    expect(jwksRequests - before).toBe(1);
    // Forged kids right after a fetch: the key set is not fetched again for each (a cooldown), so
    // a flood of them costs the identity provider nothing.
    for (let index = 0; index < 3; index += 1) {
      await expectUnauthorized(verify(await sign(foreign.privateKey, "RS256", `forged-${index}`)));
    }
    expect(jwksRequests - before).toBe(1);
  });

  it("rejects an unknown role from the identity provider", async () => {
    const verify = createTokenVerifier({ jwksUrl, issuer: ISSUER, audience: AUDIENCE });
    await expectUnauthorized(verify(await sign(rsa.privateKey, "RS256", "rsa-1", { role: "superuser" })));
  });
});

/** An outage of the identity provider says nothing about the token: 503, so the client retries. */
describe("JWKS outage", () => {
  let rsa: KeyPair;
  let server: Server;
  let base: string;
  const hung: ServerResponse[] = [];

  beforeAll(async () => {
    rsa = await generateKeyPair("RS256", { extractable: true });
    server = createServer((request, response) => {
      if (request.url === "/hang") {
        hung.push(response); // never answered within the verifier's timeout
        return;
      }
      if (request.url === "/down") {
        response.writeHead(503, { "content-type": "text/plain" }).end("maintenance");
        return;
      }
      response.writeHead(200, { "content-type": "text/html" }).end("<html>not a key set</html>");
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  afterAll(async () => {
    for (const response of hung) response.destroy();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });

  const token = () =>
    new SignJWT({ role: "user" })
      .setProtectedHeader({ alg: "RS256", kid: "rsa-1" })
      .setSubject("idp-user")
      .setExpirationTime("5m")
      .sign(rsa.privateKey);

  it("answers 503, not 401, when the JWKS endpoint refuses connections", async () => {
    const verify = createTokenVerifier({ jwksUrl: "http://127.0.0.1:1/jwks.json" });
    // fetch's own failure, whose cause is the refused connection.
    const error = await expectUnavailable(verify(await token()), TypeError);
    expect((error.cause as TypeError).message).toBe("fetch failed");
  });

  it("answers 503 when the TLS handshake with the JWKS endpoint fails", async () => {
    // https to a plain-HTTP server: fetch fails with a TLS error, no socket error code.
    const verify = createTokenVerifier({ jwksUrl: `${base.replace("http:", "https:")}/jwks.json` });
    const error = await expectUnavailable(verify(await token()), TypeError);
    expect((error.cause as TypeError).message).toBe("fetch failed");
  });

  it("answers 503 when the JWKS endpoint hangs past the timeout", async () => {
    const verify = createTokenVerifier({ jwksUrl: `${base}/hang`, jwksTimeoutMs: 200 });
    // jose's JWKSTimeout says the fetch was cut off by the configured timeout; the clock is not asserted.
    await expectUnavailable(verify(await token()), errors.JWKSTimeout);
    expect(hung).toHaveLength(1);
  });

  it("answers 503 when the JWKS endpoint answers an error or no key set", async () => {
    const down = await expectUnavailable(createTokenVerifier({ jwksUrl: `${base}/down` })(await token()));
    expect(down.cause).toMatchObject({ code: "ERR_JOSE_GENERIC" });
    const garbage = await expectUnavailable(
      createTokenVerifier({ jwksUrl: `${base}/garbage` })(await token()),
    );
    expect(garbage.cause).toMatchObject({ code: "ERR_JOSE_GENERIC" });
  });

  it("still answers 401 for a malformed token, without fetching the key set", async () => {
    const verify = createTokenVerifier({ jwksUrl: "http://127.0.0.1:1/jwks.json" });
    await expectUnauthorized(verify("a.b.c"));
  });
});
