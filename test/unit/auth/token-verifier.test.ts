import { createServer, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import {
  exportJWK,
  type GenerateKeyPairResult,
  generateKeyPair,
  type JWK,
  type JWTPayload,
  SignJWT,
  UnsecuredJWT,
} from "jose";

type KeyPair = GenerateKeyPairResult;
type SigningKey = KeyPair["privateKey"];

import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { signToken } from "../../../infra/local/sign-token.ts";
import { bearerToken, createTokenVerifier } from "../../../shared/auth/token-verifier.ts";
import { UnauthorizedError, UnavailableError } from "../../../shared/errors.ts";

const SECRET = "a-test-secret-that-is-long-enough-0123456789";
const encoded = (secret: string) => new TextEncoder().encode(secret);

async function expectUnauthorized(promise: Promise<unknown>) {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(UnauthorizedError);
  expect((error as UnauthorizedError).code).toBe("UNAUTHORIZED");
  // jose's wording never reaches the client.
  expect((error as UnauthorizedError).message).toBe("The bearer token is invalid or expired");
}

describe("HS256 verifier", () => {
  const verify = createTokenVerifier({ secret: SECRET });

  it("accepts a valid token and returns the caller", async () => {
    const token = await signToken({ sub: "u-1", role: "moderator", email: "a@example.com", secret: SECRET });
    expect(await verify(token)).toEqual({ id: "u-1", role: "moderator", email: "a@example.com" });
    const plain = await signToken({ sub: "u-2", role: "user", secret: SECRET });
    expect(await verify(plain)).toEqual({ id: "u-2", role: "user" });
  });

  it("rejects a token signed with another secret", async () => {
    await expectUnauthorized(verify(await signToken({ sub: "u", role: "user", secret: `${SECRET}x` })));
  });

  it("rejects an expired token", async () => {
    const past = Math.floor(Date.now() / 1000) - 120;
    await expectUnauthorized(
      verify(await signToken({ sub: "u", role: "user", secret: SECRET, expiresIn: past })),
    );
  });

  it("rejects a token without exp", async () => {
    const token = await new SignJWT({ role: "user" })
      .setProtectedHeader({ alg: "HS256" })
      .setSubject("u")
      .setIssuedAt()
      .sign(encoded(SECRET));
    await expectUnauthorized(verify(token));
  });

  it("rejects a token without sub", async () => {
    const token = await new SignJWT({ role: "user" })
      .setProtectedHeader({ alg: "HS256" })
      .setExpirationTime("1h")
      .sign(encoded(SECRET));
    await expectUnauthorized(verify(token));
  });

  it("rejects alg none", async () => {
    const token = new UnsecuredJWT({ role: "admin" }).setSubject("u").setExpirationTime("1h").encode();
    expect(token.split(".")[2]).toBe("");
    await expectUnauthorized(verify(token));
  });

  it("rejects HS512 even with the right secret", async () => {
    const token = await new SignJWT({ role: "user" })
      .setProtectedHeader({ alg: "HS512" })
      .setSubject("u")
      .setExpirationTime("1h")
      .sign(encoded(SECRET));
    await expectUnauthorized(verify(token));
  });

  it("rejects an unknown or missing role", async () => {
    await expectUnauthorized(
      verify(await signToken({ sub: "u", role: "user", secret: SECRET, extraClaims: { role: "root" } })),
    );
    const noRole = await new SignJWT({})
      .setProtectedHeader({ alg: "HS256" })
      .setSubject("u")
      .setExpirationTime("1h")
      .sign(encoded(SECRET));
    await expectUnauthorized(verify(noRole));
  });

  it("rejects an oversized sub and garbage", async () => {
    await expectUnauthorized(verify(await signToken({ sub: "u".repeat(129), role: "user", secret: SECRET })));
    await expectUnauthorized(verify("a.b.c"));
    await expectUnauthorized(verify(""));
  });

  it("rejects a sub that is not well-formed Unicode or holds a control character (API.md)", async () => {
    const ill = ["victim\uD8001", "\uDC00", "tab\there", "nul\u0000", "del\u007f", "c1\u0085", "\u009f"];
    for (const sub of ill) {
      await expectUnauthorized(verify(await signToken({ sub, role: "user", secret: SECRET })));
    }
  });

  it("counts a sub's length in characters, not UTF-16 units", async () => {
    const emoji = "\u{1F600}".repeat(128);
    expect((await verify(await signToken({ sub: emoji, role: "user", secret: SECRET }))).id).toBe(emoji);
    expect((await verify(await signToken({ sub: "é-ü-ß", role: "user", secret: SECRET }))).id).toBe("é-ü-ß");
    await expectUnauthorized(verify(await signToken({ sub: `${emoji}x`, role: "user", secret: SECRET })));
  });

  it("checks issuer and audience when configured", async () => {
    const strict = createTokenVerifier({ secret: SECRET, issuer: "https://issuer", audience: "markets" });
    const good = await signToken({
      sub: "u",
      role: "user",
      secret: SECRET,
      issuer: "https://issuer",
      audience: "markets",
    });
    expect(await strict(good)).toEqual({ id: "u", role: "user" });
    await expectUnauthorized(
      strict(
        await signToken({
          sub: "u",
          role: "user",
          secret: SECRET,
          issuer: "https://other",
          audience: "markets",
        }),
      ),
    );
    await expectUnauthorized(
      strict(
        await signToken({
          sub: "u",
          role: "user",
          secret: SECRET,
          issuer: "https://issuer",
          audience: "else",
        }),
      ),
    );
    await expectUnauthorized(strict(await signToken({ sub: "u", role: "user", secret: SECRET })));
  });

  it("refuses to start with a short secret", () => {
    expect(() => createTokenVerifier({ secret: "short" })).toThrow(/32 characters/);
  });
});

describe("bearerToken", () => {
  it("extracts the JWT from the header", () => {
    expect(bearerToken(undefined)).toBeUndefined();
    expect(bearerToken("Bearer aa.bb.cc")).toBe("aa.bb.cc");
    expect(bearerToken("bearer aa.bb.cc ")).toBe("aa.bb.cc");
  });

  it("rejects other schemes and malformed tokens", () => {
    for (const header of ["Basic dXNlcjpwYXNz", "Bearer", "Bearer abc", "Bearer a.b.c.d", "aa.bb.cc", ""])
      expect(() => bearerToken(header), header).toThrow(UnauthorizedError);
  });
});

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

  async function expectUnavailable(promise: Promise<unknown>) {
    const error = await promise.then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(UnavailableError);
    expect((error as UnavailableError).code).toBe("UNAVAILABLE");
    expect((error as UnavailableError).message).toBe(
      "The identity provider is unreachable; try again shortly",
    );
    // The real failure is kept for the log.
    expect((error as UnavailableError).cause).toBeInstanceOf(Error);
  }

  it("answers 503, not 401, when the JWKS endpoint refuses connections", async () => {
    const verify = createTokenVerifier({ jwksUrl: "http://127.0.0.1:1/jwks.json" });
    await expectUnavailable(verify(await token()));
  });

  it("answers 503 when the JWKS endpoint hangs past the timeout", async () => {
    const verify = createTokenVerifier({ jwksUrl: `${base}/hang`, jwksTimeoutMs: 200 });
    const started = Date.now();
    await expectUnavailable(verify(await token()));
    expect(Date.now() - started).toBeLessThan(3000);
  });

  it("answers 503 when the JWKS endpoint answers an error or no key set", async () => {
    await expectUnavailable(createTokenVerifier({ jwksUrl: `${base}/down` })(await token()));
    await expectUnavailable(createTokenVerifier({ jwksUrl: `${base}/garbage` })(await token()));
  });

  it("still answers 401 for a malformed token, without fetching the key set", async () => {
    const verify = createTokenVerifier({ jwksUrl: "http://127.0.0.1:1/jwks.json" });
    await expectUnauthorized(verify("a.b.c"));
  });
});
