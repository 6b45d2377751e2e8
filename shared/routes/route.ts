/**
 * What a route declaration says. One declaration per route (the files beside this one) is the only
 * place a route's facts are written: the handler's middleware stack, the esbuild entry, the CDK
 * function, its HTTP route and IAM policy, the local gateway and the OpenAPI document all read it.
 *
 * Declarations are plain data plus the request schemas the handler validates with (lazy zod/mini
 * objects, built on first parse). Response shapes are named, not embedded, so a route's bundle
 * carries no schema it does not validate with: the OpenAPI builder resolves the names at build time.
 */
import type { ZodMiniType } from "zod/mini";
import type { Permission } from "../auth/permissions.ts";
import type { ErrorCode } from "../errors.ts";
import type { IndexName, KeyPrefix } from "../repositories/table-schema.ts";

export type HttpMethod = "GET" | "POST" | "PUT" | "PATCH" | "DELETE";

/** A zod/mini schema whose output type is `T`. */
export type Schema<T> = ZodMiniType<T, unknown>;

/** DynamoDB read actions as IAM names them (Query here is on the table; indexes are listed apart). */
export type ReadAction = "GetItem" | "BatchGetItem" | "Query";

/** DynamoDB write actions as IAM names them (a TransactWriteItems element is authorised as one of these). */
export type WriteAction = "PutItem" | "UpdateItem" | "DeleteItem" | "ConditionCheckItem";

/** What a write may ask DynamoDB to send back besides nothing: a write that returns an item reads it. */
export type ReturnedValues = "ALL_NEW" | "UPDATED_NEW" | "ALL_OLD" | "UPDATED_OLD";

/** The queues a route may send to. */
export type QueueName = "index";

/**
 * Some actions on the items under some partition-key prefixes (IAM `dynamodb:LeadingKeys`): one
 * IAM statement.
 */
export interface ItemAccess<A extends ReadAction | WriteAction> {
  readonly keys: readonly KeyPrefix[];
  readonly actions: readonly A[];
  /**
   * Only these attributes besides the table's key (IAM `dynamodb:Attributes`). A read must then
   * project them (`dynamodb:Select` = SPECIFIC_ATTRIBUTES): other users' profiles, for instance,
   * are read for their names and never for their emails.
   */
  readonly attributes?: readonly string[];
  /** Writes only: the `ReturnValues` it may ask for; none = NONE only (IAM `dynamodb:ReturnValues`). */
  readonly returns?: readonly ReturnedValues[];
}

/**
 * The data a route touches, for its least-privilege policy: each entry is one IAM statement, so
 * list exactly the actions the code makes on each prefix (test/e2e/least-privilege.test.ts records
 * them and fails on a request not declared here and on a declaration no request uses). The
 * rate-limit counters and idempotency records follow from `rateLimit` and `idempotent`.
 */
export interface DataAccess {
  readonly reads?: readonly ItemAccess<ReadAction>[];
  /** Query on these secondary indexes. */
  readonly indexes?: readonly IndexName[];
  readonly writes?: readonly ItemAccess<WriteAction>[];
  readonly enqueue?: readonly QueueName[];
  /** Calls the embedding model (Bedrock, when configured). */
  readonly embeds?: boolean;
  /**
   * Searches the market vectors: dynamodb:SearchVectors on the vector index when the deployed
   * engine is `dynamodb`, Query on the vectorsByIndexedAt index when it is `in-process`.
   */
  readonly searchesVectors?: boolean;
}

/**
 * The success answer, by component name (infra/openapi/components.ts): `data` inside the success
 * envelope, `list` an array in it with `meta`, `body` a whole body of its own, nothing for 204.
 */
export interface SuccessResponse {
  readonly status: 200 | 201 | 202 | 204;
  readonly description: string;
  readonly data?: string;
  readonly list?: string;
  readonly meta?: string;
  readonly body?: string;
  readonly headers?: readonly ("ETag" | "Location")[];
}

export interface RouteDeclaration<P = unknown, Q = unknown, B = unknown> {
  readonly method: HttpMethod;
  /** API Gateway path syntax: `{id}` is a path parameter. */
  readonly path: string;
  /** Handler file under functions/, without extension; it exports `handler`. */
  readonly handler: string;
  readonly summary: string;
  readonly description: string;
  readonly tags: readonly string[];
  /** Permission the caller needs; none = anyone, token optional. */
  readonly permission?: Permission;
  readonly params?: Schema<P>;
  /** None = no query parameters allowed. */
  readonly query?: Schema<Q>;
  readonly body?: Schema<B>;
  /** A request body example, by name (`examples` in infra/openapi/components.ts). */
  readonly example?: string;
  readonly response: SuccessResponse;
  /**
   * The route's own error codes with what they mean here. The generic ones (validation, body,
   * token, permission, rate limit, outages) follow from the rest of the declaration.
   */
  readonly errors?: Partial<Record<ErrorCode, string>>;
  /** Which budget a request spends; `none` for health and the documents. */
  readonly rateLimit: "read" | "write" | "none";
  /**
   * Who waits for the limiter on a write route. By default admission does, before the function
   * runs. `function`: the limiter's update runs beside the function's first reads, and the function
   * awaits `beforeWrite()` before its first write (a read can be discarded, a write cannot be undone).
   */
  readonly rateLimitAwaitedBy?: "admission" | "function";
  /** Honours `Idempotency-Key`: a repeat returns the first response and writes nothing. */
  readonly idempotent?: boolean;
  /** `If-Match` (412 when stale) or `If-None-Match` (304 when current). */
  readonly conditional?: "If-Match" | "If-None-Match";
  readonly access: DataAccess;
  readonly timeoutSeconds?: number;
  readonly memoryMb?: number;
  /** `false`: a page for people (the docs page), not an API operation, so not in the OpenAPI document. */
  readonly documented?: false;
}

/** A queue consumer: bundled and deployed like a route, triggered by its queue instead of a path. */
export interface WorkerDeclaration {
  readonly handler: string;
  readonly description: string;
  readonly consumes: QueueName;
  readonly access: DataAccess;
  readonly timeoutSeconds: number;
  readonly memoryMb: number;
}

/** Declare a route; the identity function, there for the types. */
export const route = <
  P = undefined,
  Q = Record<string, never>,
  B = undefined,
  R extends Permission | undefined = undefined,
>(
  declaration: RouteDeclaration<P, Q, B> & { permission?: R },
): RouteDeclaration<P, Q, B> & { permission?: R } => declaration;

/** Declare a worker; the identity function, there for the types. */
export const worker = (declaration: WorkerDeclaration): WorkerDeclaration => declaration;

/** Bundle name for a handler file: `markets/get` → `markets-get` (dist/functions/markets-get/index.mjs). */
export const bundleName = (handler: string): string => handler.replaceAll("/", "-");

// Every route is ANY declaration file in this folder: build, deploy and the local cloud collect
// what the files export (infra/route-table.ts, esbuild.config.mjs), so adding a route is one
// declaration and one handler, with no list to update.

// biome-ignore lint/suspicious/noExplicitAny: the schema type parameters differ per route.
export type AnyRoute = RouteDeclaration<any, any, any>;

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === "object" && value !== null;

export const isRouteDeclaration = (value: unknown): value is AnyRoute =>
  isObject(value) &&
  typeof value.method === "string" &&
  typeof value.path === "string" &&
  typeof value.handler === "string";

export const isWorkerDeclaration = (value: unknown): value is WorkerDeclaration =>
  isObject(value) && typeof value.consumes === "string" && typeof value.handler === "string";

const METHOD_ORDER: readonly HttpMethod[] = ["GET", "POST", "PUT", "PATCH", "DELETE"];

/**
 * The routes and workers among the exports of the declaration modules, in a stable order (path,
 * then method) whatever order the files were read in. Two declarations of one method and path, or
 * of one handler, are refused: each would silently shadow the other.
 */
export function collectDeclarations(modules: readonly Record<string, unknown>[]): {
  routes: AnyRoute[];
  workers: WorkerDeclaration[];
} {
  const values = modules.flatMap((module) => Object.values(module));
  const routes = [...new Set(values.filter(isRouteDeclaration))].sort(
    (a, b) => a.path.localeCompare(b.path) || METHOD_ORDER.indexOf(a.method) - METHOD_ORDER.indexOf(b.method),
  );
  const workers = [...new Set(values.filter(isWorkerDeclaration))].sort((a, b) =>
    a.handler.localeCompare(b.handler),
  );
  const seen = new Set<string>();
  for (const key of [
    ...routes.map((r) => `${r.method} ${r.path}`),
    ...[...routes, ...workers].map((d) => d.handler),
  ]) {
    if (seen.has(key)) throw new Error(`two declarations of ${key} in shared/routes/`);
    seen.add(key);
  }
  return { routes, workers };
}
