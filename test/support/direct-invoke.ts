/**
 * A request handed straight to the route's bundle as an API Gateway payload-2.0 event, built by the
 * same code as the local gateway's: for what the gateway cannot carry or would refuse first (a base64
 * JSON body, a header larger than Node's 16 KB limit, which API Gateway also refuses at its edge).
 */
import { fromHandlerResult, toHttpApiEvent } from "../../infra/local/api-gateway-event.ts";
import type { LocalCloud } from "../../infra/local/local-cloud.ts";
import { RouteMatcher } from "../../infra/local/route-matcher.ts";
import { routes } from "../../infra/route-table.ts";
import { bundleName } from "../../shared/routes/route.ts";
import type { RawRequest, RawResponse } from "./raw-http.ts";

const matcher = new RouteMatcher(routes);

/** Whether a method and path reach a bundle at all. */
export const routeExists = (method: string, path: string): boolean =>
  matcher.match(method, path.split("?", 1)[0] ?? "/") !== undefined;

export async function invokeDirect(
  cloud: LocalCloud,
  request: RawRequest,
  options: { base64Body?: boolean } = {},
): Promise<RawResponse> {
  const match = matcher.match(request.method, request.path.split("?", 1)[0] ?? "/");
  if (!match) throw new Error(`no route for ${request.method} ${request.path}`);
  const body = request.body ?? Buffer.alloc(0);
  const event = toHttpApiEvent(
    {
      method: request.method,
      url: request.path,
      rawHeaders: (request.headers ?? []).flat(),
      body,
      sourceIp: "127.0.0.1",
      protocol: "HTTP/1.1",
    },
    match,
    { requestId: `direct-${Math.random().toString(36).slice(2)}` },
  );
  // What API Gateway hands a function for a body it treats as binary.
  if (options.base64Body && body.length > 0) {
    Object.assign(event, { body: body.toString("base64"), isBase64Encoded: true });
  }
  let result: unknown;
  try {
    result = await cloud.invoke(bundleName(match.route.handler), event);
  } catch (error) {
    return { status: 500, headers: {}, text: `invocation failed: ${String(error)}`, json: undefined };
  }
  const answer = fromHandlerResult(result);
  const text = answer.body.toString("utf8");
  let json: unknown;
  try {
    json = text ? JSON.parse(text) : undefined;
  } catch {
    json = undefined;
  }
  return { status: answer.statusCode, headers: answer.headers, text, json };
}
