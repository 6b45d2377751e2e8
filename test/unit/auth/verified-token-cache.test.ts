/**
 * The cache of verified tokens behind the verifier, with real HS256 tokens and a clock moved by
 * hand: a repeated token skips verification (the key is read only once), but only until its `exp`
 * and at most the cache's maximum age; a token not valid yet is never served; a token with the same
 * claims and another signature is verified, and refused, on its own; failures are never kept; and
 * the number of tokens kept is bounded.
 */
import { SignJWT } from "jose";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { signToken } from "../../../infra/local/sign-token.ts";
import { createTokenVerifier } from "../../../shared/auth/token-verifier.ts";
import { VerifiedTokenCache } from "../../../shared/auth/verified-token-cache.ts";
import { UnavailableError } from "../../../shared/errors.ts";
import { expectUnauthorized } from "../../support/token-assertions.ts";

const SECRET = "a-test-secret-that-is-long-enough-0123456789";
const T0 = Date.UTC(2030, 0, 1, 12, 0, 0);

/** A verifier whose key reads are counted: a read is a full verification, a cache hit reads none. */
function countingVerifier(options: { maxAgeMs?: number; maxEntries?: number } = {}) {
  const reads = { count: 0 };
  const verify = createTokenVerifier({
    secret: async () => {
      reads.count += 1;
      return SECRET;
    },
    cache: options,
  });
  return { verify, reads };
}

beforeEach(() => {
  vi.useFakeTimers({ toFake: ["Date"] });
  vi.setSystemTime(T0);
});

afterEach(() => {
  vi.useRealTimers();
});

describe("verified-token cache", () => {
  it("serves a repeated token without verifying it again", async () => {
    const { verify, reads } = countingVerifier();
    const token = await signToken({ sub: "u-1", role: "user", secret: SECRET, expiresIn: "1h" });
    expect(await verify(token)).toEqual({ id: "u-1", role: "user" });
    expect(await verify(token)).toEqual({ id: "u-1", role: "user" });
    expect(reads.count).toBe(1);
  });

  it("stops serving a token at its exp", async () => {
    const { verify, reads } = countingVerifier();
    const exp = T0 / 1000 + 30;
    const token = await signToken({ sub: "u-1", role: "user", secret: SECRET, expiresIn: exp });
    await verify(token);
    vi.setSystemTime(exp * 1000 - 1);
    expect(await verify(token)).toEqual({ id: "u-1", role: "user" });
    expect(reads.count).toBe(1);
    vi.setSystemTime(exp * 1000);
    await expectUnauthorized(verify(token));
  });

  it("verifies a token again after the cache's maximum age, whatever its exp", async () => {
    const { verify, reads } = countingVerifier({ maxAgeMs: 10_000 });
    const token = await signToken({ sub: "u-1", role: "user", secret: SECRET, expiresIn: "1h" });
    await verify(token);
    vi.setSystemTime(T0 + 9_999);
    await verify(token);
    expect(reads.count).toBe(1);
    vi.setSystemTime(T0 + 10_000);
    await verify(token);
    expect(reads.count).toBe(2);
  });

  it("never serves a token before its nbf, and keeps no failure", async () => {
    const { verify } = countingVerifier();
    const nbf = T0 / 1000 + 60;
    const token = await new SignJWT({ role: "user" })
      .setProtectedHeader({ alg: "HS256" })
      .setSubject("u-early")
      .setNotBefore(nbf)
      .setExpirationTime(nbf + 3600)
      .sign(new TextEncoder().encode(SECRET));
    await expectUnauthorized(verify(token));
    await expectUnauthorized(verify(token));
    vi.setSystemTime(nbf * 1000);
    expect(await verify(token)).toEqual({ id: "u-early", role: "user" });
  });

  it("keys on the whole token: the same claims with another signature are refused", async () => {
    const { verify } = countingVerifier();
    const token = await signToken({ sub: "u-1", role: "admin", secret: SECRET, expiresIn: "1h" });
    // The clock has not moved: the same claims, byte for byte, signed with another key.
    const forged = await signToken({ sub: "u-1", role: "admin", secret: `${SECRET}-other`, expiresIn: "1h" });
    expect(forged.split(".").slice(0, 2)).toEqual(token.split(".").slice(0, 2));
    expect(forged).not.toBe(token);
    await verify(token);
    await expectUnauthorized(verify(forged));
    const [header, payload, signature] = token.split(".") as [string, string, string];
    const flipped = signature.startsWith("A") ? `B${signature.slice(1)}` : `A${signature.slice(1)}`;
    await expectUnauthorized(verify(`${header}.${payload}.${flipped}`));
    await expectUnauthorized(verify(`${header}.${payload}.`));
  });

  it("keeps no outage as a verdict: the token is verified once the key can be read", async () => {
    let down = true;
    const verify = createTokenVerifier({
      secret: async () => {
        if (down) throw new UnavailableError("A required secret could not be read; try again shortly");
        return SECRET;
      },
    });
    const token = await signToken({ sub: "u-1", role: "user", secret: SECRET, expiresIn: "1h" });
    await expect(verify(token)).rejects.toBeInstanceOf(UnavailableError);
    down = false;
    expect(await verify(token)).toEqual({ id: "u-1", role: "user" });
  });

  it("keeps at most maxEntries tokens, forgetting the least recently used first", async () => {
    const cache = new VerifiedTokenCache({ maxEntries: 3 });
    const exp = T0 / 1000 + 3600;
    for (const token of ["a", "b", "c"]) cache.set(token, { id: token, role: "user" }, { exp });
    expect(cache.get("a")).toEqual({ id: "a", role: "user" });
    cache.set("d", { id: "d", role: "user" }, { exp });
    expect(cache.size).toBe(3);
    expect(cache.get("b")).toBeUndefined();
    expect(cache.get("a")).toBeDefined();
    expect(cache.get("c")).toBeDefined();
    expect(cache.get("d")).toBeDefined();
    for (let i = 0; i < 100; i++) cache.set(`t${i}`, { id: "u", role: "user" }, { exp });
    expect(cache.size).toBe(3);
  });

  it("through the verifier too: with room for two tokens, a third pushes the oldest out", async () => {
    const { verify, reads } = countingVerifier({ maxEntries: 2 });
    const tokens = await Promise.all(
      ["u-1", "u-2", "u-3"].map((sub) => signToken({ sub, role: "user", secret: SECRET, expiresIn: "1h" })),
    );
    for (const token of tokens) await verify(token);
    expect(reads.count).toBe(3);
    await verify(tokens[2] as string);
    await verify(tokens[1] as string);
    expect(reads.count).toBe(3);
    await verify(tokens[0] as string);
    expect(reads.count).toBe(4);
  });

  it("hands out a caller no request can change for the next", async () => {
    const { verify } = countingVerifier();
    const token = await signToken({ sub: "u-1", role: "user", secret: SECRET, expiresIn: "1h" });
    const first = await verify(token);
    expect(() => {
      (first as { role: string }).role = "admin";
    }).toThrow(TypeError);
    expect((await verify(token)).role).toBe("user");
  });
});
