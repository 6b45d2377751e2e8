/**
 * Forged and broken tokens for the authentication matrices, all real JWS built with jose: every one
 * must be a 401 with `WWW-Authenticate: Bearer`, on protected and public routes alike.
 */
import { createHmac } from "node:crypto";
import { type CompactJWSHeaderParameters, CompactSign, type CryptoKey, type KeyObject } from "jose";
import { marketBody } from "./api-client.ts";
import type { RawRequest } from "./raw-http.ts";

export type SigningKey = CryptoKey | KeyObject | Uint8Array;

export interface AttackCase {
  readonly name: string;
  /** The Authorization header value; undefined sends none. */
  readonly authorization: () => Promise<string | undefined>;
  /** Goes straight to the bundle: too large for the HTTP gateway (API Gateway refuses it too). */
  readonly direct?: boolean;
}

export const nowSeconds = (): number => Math.floor(Date.now() / 1000);

const HMAC: Record<string, string> = { HS256: "sha256", HS384: "sha384", HS512: "sha512" };

/**
 * A compact JWS over any header and payload, including what jose refuses to write: HMAC tokens are
 * signed here with node:crypto (so a `crit` jose does not know, or `b64: false`, can be sent), the
 * others with jose's CompactSign.
 */
export async function signRaw(
  header: CompactJWSHeaderParameters & Record<string, unknown>,
  payload: Record<string, unknown>,
  key: SigningKey,
): Promise<string> {
  const hash = HMAC[header.alg];
  if (hash && key instanceof Uint8Array) {
    const signingInput = `${part(header)}.${part(payload)}`;
    return `${signingInput}.${createHmac(hash, key).update(signingInput).digest("base64url")}`;
  }
  return new CompactSign(new TextEncoder().encode(JSON.stringify(payload)))
    .setProtectedHeader(header)
    .sign(key);
}

const part = (value: unknown) => Buffer.from(JSON.stringify(value)).toString("base64url");

/** An unsigned token (`alg: none` and friends). */
export function unsigned(header: Record<string, unknown>, payload: Record<string, unknown>): string {
  return `${part(header)}.${part(payload)}.`;
}

/** `Bearer <token>`, for a token or a token still being signed. */
export const bearer = async (token: Promise<string> | string): Promise<string> => `Bearer ${await token}`;

export interface AuthTarget {
  readonly name: string;
  /** The request with this Authorization header, or with none. */
  readonly request: (authorization: string | undefined) => RawRequest;
  /** Open to anonymous callers: a bad token must still be a 401, not an anonymous read. */
  readonly public?: true;
}

/** The routes each attack is sent to: a protected write, a protected read and a public read. */
export const AUTH_TARGETS: readonly AuthTarget[] = [
  {
    name: "POST /api/markets",
    request: (authorization) => ({
      method: "POST",
      path: "/api/markets",
      headers: [
        ["content-type", "application/json"],
        ...(authorization ? [["authorization", authorization] as const] : []),
      ],
      body: Buffer.from(JSON.stringify(marketBody())),
    }),
  },
  {
    name: "GET /api/me/positions",
    request: (authorization) => ({
      method: "GET",
      path: "/api/me/positions",
      headers: authorization ? [["authorization", authorization]] : [],
    }),
  },
  {
    name: "GET /api/markets",
    public: true,
    request: (authorization) => ({
      method: "GET",
      path: "/api/markets",
      headers: authorization ? [["authorization", authorization]] : [],
    }),
  },
];
