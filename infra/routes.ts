/**
 * The route table: the single source of truth for method + path → handler + permission.
 * The CDK stack, the local gateway, the OpenAPI document and the esbuild entry list all read it.
 * Adding a route is one line here plus one handler file under functions/.
 */
import type { Permission } from "../shared/auth/permissions.ts";

export type HttpMethod = "GET" | "POST" | "PUT" | "PATCH" | "DELETE";

export interface RouteDefinition {
  readonly method: HttpMethod;
  /** API Gateway path syntax: `{id}` is a path parameter. */
  readonly path: string;
  /** Handler file under functions/, without extension. It exports `handler`. */
  readonly handler: string;
  /** Permission the caller needs; undefined = anyone, token optional. */
  readonly permission?: Permission;
  readonly summary: string;
  readonly timeoutSeconds?: number;
  readonly memoryMb?: number;
}

export const routes: readonly RouteDefinition[] = [
  { method: "GET", path: "/api/health", handler: "system/health", summary: "Liveness" },
  { method: "GET", path: "/api/openapi.json", handler: "system/openapi", summary: "OpenAPI document" },
  { method: "GET", path: "/api/markets", handler: "markets/list", summary: "List markets" },
  {
    method: "GET",
    path: "/api/markets/search",
    handler: "markets/search",
    summary: "Semantic search",
    memoryMb: 1024,
  },
  { method: "GET", path: "/api/markets/{id}", handler: "markets/get", summary: "Get one market" },
  {
    method: "POST",
    path: "/api/markets",
    handler: "markets/create",
    permission: "write",
    summary: "Create a market",
  },
  {
    method: "PUT",
    path: "/api/markets/{id}",
    handler: "markets/replace",
    permission: "write",
    summary: "Replace a market's mutable fields",
  },
  {
    method: "PATCH",
    path: "/api/markets/{id}",
    handler: "markets/update",
    permission: "write",
    summary: "Change some fields of a market",
  },
  {
    method: "DELETE",
    path: "/api/markets/{id}",
    handler: "markets/delete",
    permission: "delete",
    summary: "Delete a market",
  },
  {
    method: "POST",
    path: "/api/markets/{id}/index",
    handler: "markets/reindex",
    permission: "admin",
    summary: "Queue re-indexing of a market",
  },
  {
    method: "POST",
    path: "/api/markets/{id}/positions",
    handler: "positions/open",
    permission: "write",
    summary: "Take a position",
  },
  {
    method: "GET",
    path: "/api/markets/{id}/positions",
    handler: "positions/list-for-market",
    summary: "Positions on a market",
  },
  {
    method: "GET",
    path: "/api/me/positions",
    handler: "me/positions",
    permission: "read",
    summary: "The caller's positions",
  },
  {
    method: "PUT",
    path: "/api/me",
    handler: "me/update-profile",
    permission: "write",
    summary: "Upsert the caller's profile",
  },
];

/** SQS-triggered workers; bundled and deployed like routes, wired to queues instead of paths. */
export const workers = [{ handler: "workers/index-markets", timeoutSeconds: 30, memoryMb: 512 }] as const;

/** Bundle name for a handler file: `markets/get` → `markets-get` (dist/functions/markets-get/index.mjs). */
export const bundleName = (handler: string): string => handler.replaceAll("/", "-");
