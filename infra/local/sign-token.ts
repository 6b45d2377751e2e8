/**
 * Signs the HS256 tokens the API accepts when JWT_SECRET is set: for `npm run token`, the banner
 * of `npm start`, and tests that call routes with real tokens through the real middleware.
 */
import { type JWTPayload, SignJWT } from "jose";
import type { Role } from "../../shared/auth/permissions.ts";
import { DEV_JWT_SECRET } from "./local-env.ts";

/**
 * The one default lifetime: `npm run token`, the banner of `npm start`, `npm run invoke` and
 * `npm run seed` all mint tokens that last a working day, so none expires in the middle of one.
 */
export const DEFAULT_TOKEN_TTL = "12h";

export interface TokenClaims {
  sub: string;
  role: Role;
  email?: string;
  /** jose time span ("1h", "12h", "30m") or seconds since the epoch. Default DEFAULT_TOKEN_TTL. */
  expiresIn?: string | number;
  issuer?: string;
  audience?: string;
  /** Defaults to JWT_SECRET, else the local development secret. */
  secret?: string;
  /** Claims added as they are, for tests of bad tokens (an unknown role, an oversized sub, …). */
  extraClaims?: JWTPayload;
}

/** Sign an HS256 JWT with `sub`, `role`, optional `email`, `iat` and `exp`. */
export async function signToken(claims: TokenClaims): Promise<string> {
  const secret = claims.secret ?? (process.env.JWT_SECRET || DEV_JWT_SECRET);
  let jwt = new SignJWT({
    role: claims.role,
    ...(claims.email ? { email: claims.email } : {}),
    ...claims.extraClaims,
  })
    .setProtectedHeader({ alg: "HS256", typ: "JWT" })
    .setSubject(claims.sub)
    .setIssuedAt()
    .setExpirationTime(claims.expiresIn ?? DEFAULT_TOKEN_TTL);
  if (claims.issuer) jwt = jwt.setIssuer(claims.issuer);
  if (claims.audience) jwt = jwt.setAudience(claims.audience);
  return jwt.sign(new TextEncoder().encode(secret));
}
