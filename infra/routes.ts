/**
 * The route table: the single source of truth for method + path → handler + permission (+ the
 * request schemas, for the OpenAPI document).
 * The CDK stack, the local gateway, the OpenAPI document and the esbuild entry list all read it.
 * Adding a route is one entry here, one handler file under functions/ and its responses in
 * infra/openapi/operations.ts.
 */
import type { ZodMiniType } from "zod/mini";
import type { Permission } from "../shared/auth/permissions.ts";
import {
  CreateMarketBody,
  ListMarketsQuery,
  MarketIdParams,
  OpenPositionBody,
  PageQuery,
  ReplaceMarketBody,
  SearchQuery,
  UpdateMarketBody,
  UpdateProfileBody,
} from "../shared/domain/schemas.ts";

export type HttpMethod = "GET" | "POST" | "PUT" | "PATCH" | "DELETE";

/**
 * The request schemas a route's handler validates with, read by the OpenAPI document. They are the
 * very objects the handler passes to httpHandler (test/unit/openapi/route-schemas.test.ts checks
 * it), and pure `z.lazy`s, so importing them here builds nothing for the CDK app or the esbuild
 * config. An omitted schema: the route takes no path parameters, no query parameters or no body.
 */
export interface RouteRequest {
  readonly params?: ZodMiniType;
  readonly query?: ZodMiniType;
  readonly body?: ZodMiniType;
}

export interface RouteDefinition {
  readonly method: HttpMethod;
  /** API Gateway path syntax: `{id}` is a path parameter. */
  readonly path: string;
  /** Handler file under functions/, without extension. It exports `handler`. */
  readonly handler: string;
  /** Permission the caller needs; undefined = anyone, token optional. */
  readonly permission?: Permission;
  readonly summary: string;
  /** Request schemas, for the OpenAPI document; see RouteRequest. */
  readonly request?: RouteRequest;
  readonly timeoutSeconds?: number;
  readonly memoryMb?: number;
  /** `false`: a page for people (the docs page), not an API operation, so not in the OpenAPI document. */
  readonly documented?: false;
}

export const routes: readonly RouteDefinition[] = [
  { method: "GET", path: "/api/health", handler: "system/health", summary: "Liveness" },
  { method: "GET", path: "/api/openapi.json", handler: "system/openapi", summary: "OpenAPI document" },
  {
    method: "GET",
    path: "/docs",
    handler: "system/docs",
    summary: "HTML API reference rendered from the OpenAPI document",
    documented: false,
  },
  {
    method: "GET",
    path: "/api/markets",
    handler: "markets/list",
    summary: "List markets",
    request: { query: ListMarketsQuery },
  },
  {
    method: "GET",
    path: "/api/markets/search",
    handler: "markets/search",
    summary: "Semantic search",
    request: { query: SearchQuery },
    memoryMb: 1024,
  },
  {
    method: "GET",
    path: "/api/markets/{id}",
    handler: "markets/get",
    summary: "Get one market",
    request: { params: MarketIdParams },
  },
  {
    method: "POST",
    path: "/api/markets",
    handler: "markets/create",
    permission: "write",
    summary: "Create a market",
    request: { body: CreateMarketBody },
  },
  {
    method: "PUT",
    path: "/api/markets/{id}",
    handler: "markets/replace",
    permission: "write",
    summary: "Replace a market's mutable fields",
    request: { params: MarketIdParams, body: ReplaceMarketBody },
  },
  {
    method: "PATCH",
    path: "/api/markets/{id}",
    handler: "markets/update",
    permission: "write",
    summary: "Change some fields of a market",
    request: { params: MarketIdParams, body: UpdateMarketBody },
  },
  {
    method: "DELETE",
    path: "/api/markets/{id}",
    handler: "markets/delete",
    permission: "delete",
    summary: "Delete a market",
    request: { params: MarketIdParams },
  },
  {
    method: "POST",
    path: "/api/markets/{id}/index",
    handler: "markets/reindex",
    permission: "admin",
    summary: "Queue re-indexing of a market",
    request: { params: MarketIdParams },
  },
  {
    method: "POST",
    path: "/api/markets/{id}/positions",
    handler: "positions/open",
    permission: "write",
    summary: "Take a position",
    request: { params: MarketIdParams, body: OpenPositionBody },
  },
  {
    method: "GET",
    path: "/api/markets/{id}/positions",
    handler: "positions/list-for-market",
    summary: "Positions on a market",
    request: { params: MarketIdParams, query: PageQuery },
  },
  {
    method: "GET",
    path: "/api/me/positions",
    handler: "me/positions",
    permission: "read",
    summary: "The caller's positions",
    request: { query: PageQuery },
  },
  {
    method: "PUT",
    path: "/api/me",
    handler: "me/update-profile",
    permission: "write",
    summary: "Upsert the caller's profile",
    request: { body: UpdateProfileBody },
  },
];

/** SQS-triggered workers; bundled and deployed like routes, wired to queues instead of paths. */
export const workers = [{ handler: "workers/index-markets", timeoutSeconds: 30, memoryMb: 512 }] as const;

/** Bundle name for a handler file: `markets/get` → `markets-get` (dist/functions/markets-get/index.mjs). */
export const bundleName = (handler: string): string => handler.replaceAll("/", "-");
