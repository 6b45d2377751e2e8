/**
 * The event `npm run invoke` sends: a fixture file as it is, or one generated for a request written
 * as `"METHOD /path?query"`, matched against the route table the way the gateway matches it and
 * converted with the gateway's own payload-2.0 conversion. Also picks the bundle, and the role whose
 * token the route needs when `--as` is not given.
 */
import { randomUUID } from "node:crypto";
import type { Permission, Role } from "../../shared/auth/permissions.ts";
import { type AnyRoute, bundleName } from "../../shared/routes/route.ts";
import { routes, workers } from "../route-table.ts";
import { toHttpApiEvent } from "./api-gateway-event.ts";
import { RouteMatcher } from "./route-matcher.ts";

/** The least privileged role that holds each permission: what a default `--as` signs for. */
const ROLE_FOR: Record<Permission, Role> = {
  read: "user",
  write: "user",
  delete: "moderator",
  admin: "admin",
};

export interface InvokeTarget {
  bundle: string;
  /** The route (HTTP bundles only). */
  route?: AnyRoute;
}

const matcher = new RouteMatcher(routes);
const HTTP_METHOD = /^(GET|POST|PUT|PATCH|DELETE|HEAD|OPTIONS)\s+(\/\S*)$/i;

/** Every bundle name, for the help text and error messages. */
export const BUNDLES = [...routes, ...workers].map((definition) => bundleName(definition.handler));

/** Whether the target is a request (`"GET /api/health"`) rather than a bundle name. */
export function isRequestTarget(target: string): boolean {
  return HTTP_METHOD.test(target.trim());
}

/** The bundle (and route) of a bundle name; throws naming the valid ones. */
export function targetOfBundle(bundle: string): InvokeTarget {
  if (!BUNDLES.includes(bundle)) {
    throw new Error(`Unknown bundle "${bundle}". Bundles: ${BUNDLES.join(", ")}`);
  }
  return { bundle, route: routes.find((route) => bundleName(route.handler) === bundle) };
}

/** The role whose token a route needs by default; undefined for public routes and workers. */
export function defaultRole(route: AnyRoute | undefined): Role | undefined {
  return route?.permission ? ROLE_FOR[route.permission] : undefined;
}

/** Generate the payload-2.0 event for `"METHOD /path?query"` with an optional JSON body. */
export function generateEvent(request: string, body?: string): { target: InvokeTarget; event: object } {
  const [, rawMethod = "", url = ""] = HTTP_METHOD.exec(request.trim()) ?? [];
  const method = rawMethod.toUpperCase();
  const path = url.split("?")[0] ?? url;
  const match = matcher.match(method, path);
  if (!match) throw new Error(`No route matches ${method} ${path}`);
  const headers = [
    "host",
    "localhost:3000",
    "user-agent",
    "markets-api-invoke",
    "accept",
    "application/json",
  ];
  if (body !== undefined) headers.push("content-type", "application/json");
  const event = toHttpApiEvent(
    {
      method,
      url,
      rawHeaders: headers,
      body: Buffer.from(body ?? ""),
      sourceIp: "127.0.0.1",
      protocol: "HTTP/1.1",
    },
    { routeKey: match.routeKey, pathParameters: match.pathParameters },
    { requestId: randomUUID() },
  );
  return { target: { bundle: bundleName(match.route.handler), route: match.route }, event };
}
