/**
 * The local API Gateway: a node:http server that routes with the route table, turns each request
 * into a payload-2.0 event, invokes the route's bundle and writes the result back. Unmatched
 * routes get the API's 404 envelope (deployed, API Gateway answers those itself, see API.md).
 */
import { randomBytes } from "node:crypto";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { requestIdOf } from "../../shared/http/request-id.ts";
import { bundleName, type RouteDeclaration } from "../../shared/routes/route.ts";
import { routes as routeTable } from "../route-table.ts";
import { fromHandlerResult, type GatewayResponse, toHttpApiEvent } from "./api-gateway-event.ts";
import { LambdaTimeoutError } from "./lambda-runtime.ts";
import { RouteMatcher } from "./route-matcher.ts";

/** API Gateway's own payload limit; the handlers answer 413 themselves above 64 KiB. */
export const MAX_GATEWAY_BODY_BYTES = 10 * 1024 * 1024;

/** The part of LambdaRuntime the gateway needs; tests can pass a fake. */
export interface Invoker {
  invoke(bundle: string, event: unknown): Promise<unknown>;
}

export interface HttpGatewayOptions {
  invoker: Invoker;
  port?: number;
  host?: string;
  routes?: readonly RouteDeclaration[];
  /** One line per request (`GET /api/markets 200 12 ms`); silent when omitted. */
  log?: (line: string) => void;
}

export interface HttpGateway {
  readonly url: string;
  readonly port: number;
  close(): Promise<void>;
}

export async function startHttpGateway(options: HttpGatewayOptions): Promise<HttpGateway> {
  const matcher = new RouteMatcher(options.routes ?? routeTable);
  const listener = (request: IncomingMessage, response: ServerResponse) => {
    handle(request, response, matcher, options).catch((error: unknown) => {
      // Only a bug in the gateway itself gets here; never leave the client hanging.
      console.error("[gateway] unexpected failure", error);
      if (!response.headersSent) response.writeHead(500);
      response.end();
    });
  };
  const host = options.host ?? "127.0.0.1";
  const server = createServer(listener);
  await listen(server, options.port ?? 0, host);
  const { port } = server.address() as AddressInfo;
  // `localhost` resolves to ::1 first on some systems; answer there too when serving on the IPv4
  // loopback, so http://localhost:$PORT works for every client. Best effort: IPv6 may be off.
  const servers = [server];
  if (host === "127.0.0.1") {
    const ipv6 = createServer(listener);
    if (
      await listen(ipv6, port, "::1").then(
        () => true,
        () => false,
      )
    )
      servers.push(ipv6);
  }
  return {
    url: `http://${host === "0.0.0.0" ? "localhost" : host}:${port}`,
    port,
    close: () =>
      Promise.all(
        servers.map(
          (each) =>
            new Promise<void>((resolve) => {
              each.closeAllConnections();
              each.close(() => resolve());
            }),
        ),
      ).then(() => undefined),
  };
}

function listen(server: Server, port: number, host: string): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, host, () => {
      server.off("error", reject);
      resolve();
    });
  });
}

async function handle(
  request: IncomingMessage,
  response: ServerResponse,
  matcher: RouteMatcher<RouteDeclaration>,
  options: HttpGatewayOptions,
): Promise<void> {
  const startedAt = Date.now();
  const gatewayRequestId = randomBytes(12).toString("base64url");
  const method = request.method ?? "GET";
  const url = request.url ?? "/";
  const path = url.split("?", 1)[0] ?? "/";
  const match = matcher.match(method, path);
  const body = await readBody(request);

  const gatewayRequest = {
    method,
    url,
    rawHeaders: request.rawHeaders,
    body: body ?? Buffer.alloc(0),
    sourceIp: request.socket.remoteAddress ?? "127.0.0.1",
    protocol: `HTTP/${request.httpVersion}`,
  };
  const event = toHttpApiEvent(gatewayRequest, match ?? { routeKey: "$default", pathParameters: {} }, {
    requestId: gatewayRequestId,
  });
  const requestId = requestIdOf(event);

  let result: GatewayResponse;
  if (!match) {
    result = envelope(404, "Route not found", "NOT_FOUND", requestId);
  } else if (body === undefined) {
    result = envelope(413, "Request body too large", "PAYLOAD_TOO_LARGE", requestId);
  } else {
    const bundle = bundleName(match.route.handler);
    try {
      result = fromHandlerResult(await options.invoker.invoke(bundle, event));
    } catch (error) {
      // Lambda would log this in CloudWatch and API Gateway would answer a bare 500.
      console.error(`[gateway] ${bundle} failed:`, error);
      const message = error instanceof LambdaTimeoutError ? "The function timed out" : "The function crashed";
      result = envelope(500, message, "INTERNAL", requestId);
    }
  }
  write(response, result, gatewayRequestId);
  options.log?.(`${method} ${url} ${result.statusCode} ${Date.now() - startedAt} ms`);
}

/** The request body, or undefined when it exceeds API Gateway's limit (the rest is discarded). */
async function readBody(request: IncomingMessage): Promise<Buffer | undefined> {
  const chunks: Buffer[] = [];
  let size = 0;
  let tooLarge = false;
  for await (const chunk of request as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_GATEWAY_BODY_BYTES) tooLarge = true;
    if (!tooLarge) chunks.push(chunk);
  }
  return tooLarge ? undefined : Buffer.concat(chunks);
}

function envelope(statusCode: number, error: string, code: string, requestId: string): GatewayResponse {
  return {
    statusCode,
    headers: { "content-type": "application/json; charset=utf-8", "x-request-id": requestId },
    cookies: [],
    body: Buffer.from(JSON.stringify({ success: false, error, code, requestId })),
  };
}

function write(response: ServerResponse, result: GatewayResponse, gatewayRequestId: string): void {
  response.statusCode = result.statusCode;
  for (const [name, value] of Object.entries(result.headers)) response.setHeader(name, value);
  if (result.cookies.length > 0) response.setHeader("set-cookie", [...result.cookies]);
  // API Gateway adds its own id to every response; handy for matching a response to its log lines.
  response.setHeader("apigw-requestid", gatewayRequestId);
  response.end(result.body);
}
