/**
 * The HS256 verifier and the Authorization header parser. The JWKS verifier needs an identity
 * provider to fetch keys from: test/integration/auth/jwks-verifier.test.ts runs one.
 */
import { SignJWT, UnsecuredJWT } from "jose";
import { describe, expect, it } from "vitest";
import { signToken } from "../../../infra/local/sign-token.ts";
import { bearerToken, createTokenVerifier, MAX_TOKEN_LENGTH } from "../../../shared/auth/token-verifier.ts";
import { AppError, UnauthorizedError, UnavailableError } from "../../../shared/errors.ts";
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
    expect(() => createTokenVerifier({ secret: "s".repeat(31) })).toThrow(/32 characters/);
    expect(() => createTokenVerifier({})).toThrow(/32 characters/);
    expect(() => createTokenVerifier({ secret: "s".repeat(32) })).not.toThrow();
  });

  it("keeps only a string email", async () => {
    const numeric = await signToken({ sub: "u", role: "user", secret: SECRET, extraClaims: { email: 42 } });
    expect(await verify(numeric)).toEqual({ id: "u", role: "user" });
  });
});

describe("HS256 verifier over a secret source (Secrets Manager, deployed)", () => {
  const OTHER = "another-secret-that-is-long-enough-9876543210";

  it("reads the key on use and follows a rotation", async () => {
    let current = SECRET;
    let reads = 0;
    const verify = createTokenVerifier({
      secret: async () => {
        reads += 1;
        return current;
      },
    });
    expect(reads).toBe(0);
    expect((await verify(await signToken({ sub: "u-1", role: "user", secret: SECRET }))).id).toBe("u-1");
    expect((await verify(await signToken({ sub: "u-2", role: "user", secret: SECRET }))).id).toBe("u-2");
    current = OTHER;
    expect((await verify(await signToken({ sub: "u-3", role: "user", secret: OTHER }))).id).toBe("u-3");
    await expectUnauthorized(verify(await signToken({ sub: "u-4", role: "user", secret: SECRET })));
    expect(reads).toBe(4);
  });

  it("passes an unreadable secret on as the source's 503", async () => {
    const outage = new UnavailableError("A required secret could not be read; try again shortly");
    const verify = createTokenVerifier({ secret: () => Promise.reject(outage) });
    await expect(verify(await signToken({ sub: "u", role: "user", secret: SECRET }))).rejects.toBe(outage);
  });

  it("treats a short secret from the source as a deployment error (500), not a bad token", async () => {
    const verify = createTokenVerifier({ secret: async () => "s".repeat(31) });
    const error = await verify(await signToken({ sub: "u", role: "user", secret: SECRET })).catch(
      (e: unknown) => e,
    );
    expect(error).not.toBeInstanceOf(AppError);
    expect(String(error)).toMatch(/32 characters/);
  });

  it("never reads the secret for a token that fails before a key is needed", async () => {
    let reads = 0;
    const verify = createTokenVerifier({
      secret: async () => {
        reads += 1;
        return SECRET;
      },
    });
    const none = new UnsecuredJWT({ role: "admin" }).setSubject("u").setExpirationTime("1h").encode();
    await expectUnauthorized(verify(none));
    await expectUnauthorized(verify("a.b.c"));
    expect(reads).toBe(0);
  });
});

describe("bearerToken", () => {
  /** A token-shaped string of exactly `length` characters. */
  const tokenOf = (length: number) => `aa.bb.${"c".repeat(length - 6)}`;

  it.each([
    ["Bearer aa.bb.cc", "aa.bb.cc"],
    ["bearer aa.bb.cc ", "aa.bb.cc"],
    ["BEARER aa.bb.cc", "aa.bb.cc"],
    ["  Bearer aa.bb.cc", "aa.bb.cc"],
    ["Bearer eyJh-_Z9.eyJz-_A0.sig-_09", "eyJh-_Z9.eyJz-_A0.sig-_09"],
    // An unsigned token has this shape too; the verifier refuses it, not the parser.
    ["Bearer aa.bb.", "aa.bb."],
  ])("extracts the JWT from %j", (header, token) => {
    expect(bearerToken(header)).toBe(token);
  });

  it("is undefined without a header (an anonymous caller)", () => {
    expect(bearerToken(undefined)).toBeUndefined();
  });

  it.each([
    "Basic dXNlcjpwYXNz",
    "Bearer",
    "Bearer ",
    "Bearer abc",
    "Bearer a.b.c.d",
    "Bearer .bb.cc",
    "Bearer aa..cc",
    "Bearer aa.bb.cc extra",
    "Bearer aa.bb.c$c",
    "Bearer aa.b b.cc",
    "Bearer  aa.bb.cc",
    "Basic Bearer aa.bb.cc",
    "Token aa.bb.cc",
    "aa.bb.cc",
    "",
  ])("refuses %j with the expected form in the message", (header) => {
    expect(() => bearerToken(header)).toThrow(UnauthorizedError);
    expect(() => bearerToken(header)).toThrow("Authorization must be 'Bearer <JWT>'");
  });

  it(`takes tokens up to ${MAX_TOKEN_LENGTH} characters, surrounding whitespace included`, () => {
    const longest = tokenOf(MAX_TOKEN_LENGTH);
    expect(bearerToken(`Bearer ${longest}`)).toBe(longest);
    expect(bearerToken(` Bearer ${longest} `)).toBe(longest);
  });

  it("refuses a longer token before parsing it, as an invalid token", () => {
    for (const header of [`Bearer ${tokenOf(MAX_TOKEN_LENGTH + 3)}`, `Bearer ${tokenOf(100 * 1024)}`]) {
      expect(() => bearerToken(header)).toThrow(UnauthorizedError);
      expect(() => bearerToken(header)).toThrow("The bearer token is invalid or expired");
    }
  });
});
