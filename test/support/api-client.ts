/**
 * A small HTTP client for e2e tests: real requests with global fetch against a local cloud's
 * gateway, answering `{ status, headers, body }` with the body parsed as JSON when there is one.
 */

import { randomBytes } from "node:crypto";
import { signToken, type TokenClaims } from "../../infra/local/sign-token.ts";
import type { Role } from "../../shared/auth/permissions.ts";

/**
 * A JSON value as the tests read it: loosely typed on purpose, since the point of an e2e test is to
 * assert the shape, not to trust it.
 */
// biome-ignore lint/suspicious/noExplicitAny: response bodies are asserted field by field, not typed
export type Json = Record<string, any>;

export interface ApiResponse<T = Json> {
  status: number;
  headers: Headers;
  /** Parsed JSON, the raw text when it is not JSON, or undefined for an empty body. */
  body: T;
  text: string;
}

export interface RequestOptions {
  token?: string;
  headers?: Record<string, string>;
  /** Serialised as JSON unless it is already a string (sent as is). */
  body?: unknown;
  /** Content type of the body; `application/json` by default when there is a body. */
  contentType?: string | null;
}

export interface ApiClient {
  request(method: string, path: string, options?: RequestOptions): Promise<ApiResponse>;
  get(path: string, options?: RequestOptions): Promise<ApiResponse>;
  post(path: string, body?: unknown, options?: RequestOptions): Promise<ApiResponse>;
  put(path: string, body?: unknown, options?: RequestOptions): Promise<ApiResponse>;
  patch(path: string, body?: unknown, options?: RequestOptions): Promise<ApiResponse>;
  delete(path: string, options?: RequestOptions): Promise<ApiResponse>;
}

/** A client for the cloud at `base` (a LocalCloud or its URL). */
export function api(base: { url: string } | string): ApiClient {
  const url = typeof base === "string" ? base : base.url;
  const request = async (method: string, path: string, options: RequestOptions = {}) => {
    const headers: Record<string, string> = { ...options.headers };
    if (options.token !== undefined) headers.authorization = `Bearer ${options.token}`;
    let body: string | undefined;
    if (options.body !== undefined) {
      body = typeof options.body === "string" ? options.body : JSON.stringify(options.body);
      const contentType = options.contentType === undefined ? "application/json" : options.contentType;
      if (contentType !== null) headers["content-type"] = contentType;
    }
    const response = await fetch(`${url}${path}`, { method, headers, body });
    const text = await response.text();
    let parsed: unknown;
    if (text.length > 0) {
      try {
        parsed = JSON.parse(text);
      } catch {
        parsed = text;
      }
    }
    return { status: response.status, headers: response.headers, body: parsed, text } as ApiResponse;
  };
  return {
    request,
    get: (path, options) => request("GET", path, options),
    post: (path, body, options) => request("POST", path, { ...options, body }),
    put: (path, body, options) => request("PUT", path, { ...options, body }),
    patch: (path, body, options) => request("PATCH", path, { ...options, body }),
    delete: (path, options) => request("DELETE", path, options),
  };
}

let counter = 0;

/** An id no other test uses (a user id, a category). */
export function uniqueSub(prefix = "u"): string {
  counter += 1;
  return `${prefix}-${Date.now().toString(36)}-${counter}-${randomBytes(3).toString("hex")}`;
}

/** A signed token for the local development secret (what the local cloud checks by default). */
export function tokenFor(
  role: Role,
  sub = uniqueSub(role),
  extra: Omit<TokenClaims, "sub" | "role"> = {},
): Promise<string> {
  return signToken({ sub, role, ...extra });
}

/** A caller: its id and a valid token. */
export interface TestUser {
  id: string;
  role: Role;
  token: string;
}

export async function newUser(role: Role = "user", extra: Omit<TokenClaims, "sub" | "role"> = {}) {
  const id = uniqueSub(role);
  return { id, role, token: await tokenFor(role, id, extra) } satisfies TestUser;
}

/** An ISO date `days` from now. */
export function inDays(days: number): string {
  return new Date(Date.now() + days * 24 * 60 * 60 * 1000).toISOString();
}

/** A valid create-market body, with overrides. */
export function marketBody(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  counter += 1;
  return { name: `Test market ${counter}`, closesAt: inDays(30), ...overrides };
}
