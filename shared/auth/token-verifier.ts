/**
 * Bearer token verification with jose. Algorithms are pinned (HS256 for a shared secret,
 * RS256/ES256 for a JWKS), `exp` and `sub` are required, the `sub` must be a well-formed user id
 * (shared/domain/identifiers.ts), and the role must be known: a token that
 * fails any of this is an UnauthorizedError (401), never a 500. A JWKS endpoint that cannot be
 * reached, times out or answers garbage says nothing about the token: that is an outage of the
 * identity provider, answered with UnavailableError (503) so clients retry instead of signing out.
 * A token that passed is remembered until its `exp` (at most a minute, verified-token-cache.ts), so
 * a caller's repeated token costs a map lookup instead of a signature check.
 */
// Subpath imports, and the JWKS client only on first use in JWKS mode: a bundle carries the
// HS256/JWKS verification path and nothing else of jose (docs/performance.md, "Cold start").

import type { JWTPayload, JWTVerifyGetKey } from "jose";
import * as errors from "jose/errors";
import { jwtVerify } from "jose/jwt/verify";
import { isUserId } from "../domain/identifiers.ts";
import { UnauthorizedError, UnavailableError } from "../errors.ts";
import { isNetworkFailure } from "../util/network-failure.ts";
import { type Caller, isRole } from "./permissions.ts";
import type { SecretSource } from "./secret-value.ts";
import { VerifiedTokenCache, type VerifiedTokenCacheOptions } from "./verified-token-cache.ts";

export interface TokenVerifierOptions {
  /**
   * The HS256 key: its value (the local path), or a source that reads it on first use and caches
   * it (Secrets Manager, deployed: shared/auth/secret-value.ts).
   */
  secret?: string | SecretSource;
  jwksUrl?: string;
  issuer?: string;
  audience?: string;
  /** How long one fetch of the JWKS may take (jose's default is 5 s); tests shorten it. */
  jwksTimeoutMs?: number;
  /** Verified tokens kept for their repeats (bounds and maximum age); `false` verifies every time. */
  cache?: VerifiedTokenCacheOptions | false;
}

export type TokenVerifier = (token: string) => Promise<Caller>;

/** Build a verifier for either a shared HS256 secret or a JWKS endpoint (Cognito, Auth0, …). */
export function createTokenVerifier(options: TokenVerifierOptions): TokenVerifier {
  const key: Uint8Array | JWTVerifyGetKey = options.jwksUrl
    ? remoteKeySet(options.jwksUrl, options.jwksTimeoutMs)
    : typeof options.secret === "function"
      ? secretKey(options.secret)
      : new TextEncoder().encode(requireSecret(options.secret));
  const algorithms = options.jwksUrl ? ["RS256", "ES256"] : ["HS256"];
  const cache = options.cache === false ? undefined : new VerifiedTokenCache(options.cache);

  return async (token) => {
    const cached = cache?.get(token);
    if (cached) return cached;
    let payload: JWTPayload;
    try {
      ({ payload } = await jwtVerify(token, key as JWTVerifyGetKey, {
        algorithms,
        issuer: options.issuer,
        audience: options.audience,
        requiredClaims: ["exp", "sub"],
      }));
    } catch (error) {
      if (options.jwksUrl && isKeySetOutage(error)) {
        throw new UnavailableError("The identity provider is unreachable; try again shortly", {
          cause: error,
        });
      }
      // jose's messages name claims and keys; the client only learns that the token is not valid.
      if (error instanceof errors.JOSEError)
        throw new UnauthorizedError("The bearer token is invalid or expired");
      // Not a verdict on the token but a bug: a 500, logged with its stack.
      throw error;
    }
    // Frozen: one caller object may answer many requests from the cache.
    const caller = Object.freeze(toCaller(payload));
    // jose has checked that `exp` is a number (a required claim) and `nbf`, when present, is one.
    cache?.set(token, caller, { exp: payload.exp as number, nbf: payload.nbf });
    return caller;
  };
}

/**
 * Whether verification failed for want of the key set rather than because of the token: jose's
 * JWKSTimeout; JWKSInvalid (the endpoint answered JSON that is no key set); its bare JOSEError
 * (ERR_JOSE_GENERIC), which it throws only when the JWKS response is not a 200 or not JSON; and a
 * failed fetch (a TypeError from fetch whose cause is the network error). Every other JOSEError is
 * a verdict on the token, and any other error is a bug (500).
 */
function isKeySetOutage(error: unknown): boolean {
  if (error instanceof errors.JOSEError) {
    return (
      error instanceof errors.JWKSTimeout ||
      error instanceof errors.JWKSInvalid ||
      error.code === "ERR_JOSE_GENERIC"
    );
  }
  return isNetworkFailure(error) || (error instanceof TypeError && error.message === "fetch failed");
}

function toCaller(payload: JWTPayload): Caller {
  const { sub, role, email } = payload as JWTPayload & { role?: unknown; email?: unknown };
  // The sub becomes part of keys (USER#, IDEMPOTENCY#, RATE#, POSITION#): an ill-formed one could
  // name another user's items once stored, so it is refused here, where it enters (API.md: a 401).
  if (!isUserId(sub) || !isRole(role)) {
    throw new UnauthorizedError("The bearer token is invalid or expired");
  }
  return typeof email === "string" ? { id: sub, role, email } : { id: sub, role };
}

/** jose's remote key set, imported on the first token: HS256 deployments never load it. */
function remoteKeySet(url: string, timeoutMs: number | undefined): JWTVerifyGetKey {
  let keySet: Promise<JWTVerifyGetKey> | undefined;
  return async (header, token) => {
    keySet ??= import("jose/jwks/remote").then(({ createRemoteJWKSet }) =>
      createRemoteJWKSet(new URL(url), {
        cooldownDuration: 30_000,
        cacheMaxAge: 600_000,
        ...(timeoutMs === undefined ? {} : { timeoutDuration: timeoutMs }),
      }),
    );
    return (await keySet)(header, token);
  };
}

/**
 * A jose key function over a secret source. jose calls it only for a token whose header passed the
 * algorithm check, so `alg: none` or garbage never costs a Secrets Manager read. A failed read is
 * an UnavailableError (503), which the verifier passes on untouched.
 */
function secretKey(source: SecretSource): JWTVerifyGetKey {
  let encoded: { secret: string; key: Uint8Array } | undefined;
  return async () => {
    const secret = requireSecret(await source());
    if (encoded?.secret !== secret) encoded = { secret, key: new TextEncoder().encode(secret) };
    return encoded.key;
  };
}

function requireSecret(secret: string | undefined): string {
  if (!secret || secret.length < 32) throw new Error("JWT_SECRET must be at least 32 characters");
  return secret;
}

/**
 * The longest token accepted. Identity providers' tokens are 1–4 KB (Cognito's with many groups
 * stay under 8 KB) and API Gateway refuses headers over 10 KB; a function reached some other way
 * must not base64-decode and parse a megabyte of claims for every request.
 */
export const MAX_TOKEN_LENGTH = 8 * 1024;

/** Extract the token from an `Authorization: Bearer …` header; undefined when there is no header. */
export function bearerToken(header: string | undefined): string | undefined {
  if (header === undefined) return undefined;
  if (header.length > MAX_TOKEN_LENGTH + "Bearer ".length + 2) {
    throw new UnauthorizedError("The bearer token is invalid or expired");
  }
  const match = /^Bearer ([A-Za-z0-9\-_]+\.[A-Za-z0-9\-_]+\.[A-Za-z0-9\-_]*)$/i.exec(header.trim());
  if (!match?.[1]) throw new UnauthorizedError("Authorization must be 'Bearer <JWT>'");
  return match[1];
}
