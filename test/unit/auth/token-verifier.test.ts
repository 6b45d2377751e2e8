/**
 * The HS256 verifier and the Authorization header parser. The JWKS verifier needs an identity
 * provider to fetch keys from: test/integration/auth/jwks-verifier.test.ts runs one.
 */
import { SignJWT, UnsecuredJWT } from "jose";
import { describe, expect, it } from "vitest";
import { signToken } from "../../../infra/local/sign-token.ts";
import { bearerToken, createTokenVerifier } from "../../../shared/auth/token-verifier.ts";
import { UnauthorizedError } from "../../../shared/errors.ts";
import { expectUnauthorized } from "../../support/token-assertions.ts";

const SECRET = "a-test-secret-that-is-long-enough-0123456789";
const encoded = (secret: string) => new TextEncoder().encode(secret);

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
