/**
 * Conversion between plain HTTP and API Gateway HTTP API's Lambda payload format 2.0, in both
 * directions, as pure functions (the gateway server and its tests share them). Where API Gateway
 * has a quirk, this follows it: repeated headers and query parameters are joined with commas,
 * cookies move out of the headers into `cookies`, and bodies that are not UTF-8 text arrive
 * base64-encoded.
 */
import type { APIGatewayProxyEventV2 } from "aws-lambda";

/** What the gateway knows about one HTTP request before it picks a route. */
export interface GatewayRequest {
  readonly method: string;
  /** Path and query exactly as sent, e.g. `/api/markets?status=active`. */
  readonly url: string;
  /** Node's `rawHeaders`: alternating names and values, repeats preserved. */
  readonly rawHeaders: readonly string[];
  readonly body: Buffer;
  /** The TCP peer's address: API Gateway never trusts X-Forwarded-For for this. */
  readonly sourceIp: string;
  readonly protocol: string;
}

export interface RouteInfo {
  readonly routeKey: string;
  readonly pathParameters: Record<string, string>;
}

/** What the gateway writes back. */
export interface GatewayResponse {
  readonly statusCode: number;
  readonly headers: Record<string, string>;
  readonly cookies: readonly string[];
  readonly body: Buffer;
}

const TEXT_MEDIA_TYPE = /^(text\/|application\/([\w.+-]+\+)?(json|xml|javascript|x-www-form-urlencoded))/i;

/** Build the payload-2.0 event for a request routed to `route`. */
export function toHttpApiEvent(
  request: GatewayRequest,
  route: RouteInfo,
  options: { requestId: string; now?: Date },
): APIGatewayProxyEventV2 {
  const now = options.now ?? new Date();
  const queryStart = request.url.indexOf("?");
  const rawPath = queryStart === -1 ? request.url : request.url.slice(0, queryStart);
  const rawQueryString = queryStart === -1 ? "" : request.url.slice(queryStart + 1);
  const { headers, cookies } = joinHeaders(request.rawHeaders);
  const domainName = (headers.host ?? "localhost").replace(/:\d+$/, "");
  const queryStringParameters = joinQuery(rawQueryString);
  const sourceIp = request.sourceIp.replace(/^::ffff:/, "");

  return {
    version: "2.0",
    routeKey: route.routeKey,
    rawPath,
    rawQueryString,
    ...(cookies.length > 0 ? { cookies } : {}),
    headers,
    ...(queryStringParameters ? { queryStringParameters } : {}),
    ...(Object.keys(route.pathParameters).length > 0 ? { pathParameters: route.pathParameters } : {}),
    requestContext: {
      accountId: "123456789012",
      apiId: "local",
      domainName,
      domainPrefix: domainName.split(".")[0] ?? domainName,
      http: {
        method: request.method,
        path: rawPath,
        protocol: request.protocol,
        sourceIp,
        userAgent: headers["user-agent"] ?? "",
      },
      requestId: options.requestId,
      routeKey: route.routeKey,
      stage: "$default",
      time: clfTime(now),
      timeEpoch: now.getTime(),
    },
    ...bodyFields(request.body, headers["content-type"]),
  };
}

/** Strict, so bytes that are not UTF-8 are detected instead of turned into U+FFFD. */
const STRICT_UTF8 = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true });

/**
 * API Gateway passes a body as text only when it is text: a textual media type and bytes that are
 * valid UTF-8. Anything else (binary media types, and text that is not UTF-8) arrives base64-encoded
 * with `isBase64Encoded`, so the function sees the exact bytes. Decoding invalid UTF-8 here would
 * hand the handler U+FFFD for the bad bytes and hide them from its strict decoder.
 */
function bodyFields(
  body: Buffer,
  contentType: string | undefined,
): Pick<APIGatewayProxyEventV2, "body" | "isBase64Encoded"> {
  if (body.length === 0) return { isBase64Encoded: false };
  if (TEXT_MEDIA_TYPE.test(contentType ?? "")) {
    try {
      return { body: STRICT_UTF8.decode(body), isBase64Encoded: false };
    } catch {
      // Not UTF-8: fall through to the binary form.
    }
  }
  return { body: body.toString("base64"), isBase64Encoded: true };
}

/**
 * Interpret a handler's return value as API Gateway does: an object with `statusCode` is a
 * structured response; anything else is the body of a 200 JSON response.
 */
export function fromHandlerResult(result: unknown): GatewayResponse {
  if (!isStructured(result)) {
    return {
      statusCode: 200,
      headers: { "content-type": "application/json" },
      cookies: [],
      body: Buffer.from(JSON.stringify(result) ?? "null"),
    };
  }
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(result.headers ?? {}))
    headers[name.toLowerCase()] = String(value);
  const body = typeof result.body === "string" ? result.body : "";
  return {
    statusCode: result.statusCode,
    headers,
    cookies: result.cookies ?? [],
    body: Buffer.from(body, result.isBase64Encoded ? "base64" : "utf8"),
  };
}

interface StructuredResult {
  statusCode: number;
  headers?: Record<string, string | number | boolean>;
  body?: unknown;
  isBase64Encoded?: boolean;
  cookies?: string[];
}

function isStructured(result: unknown): result is StructuredResult {
  return (
    typeof result === "object" &&
    result !== null &&
    typeof (result as StructuredResult).statusCode === "number"
  );
}

/** Lower-case names, repeats joined with ","; `cookie` headers become the `cookies` list. */
function joinHeaders(rawHeaders: readonly string[]): { headers: Record<string, string>; cookies: string[] } {
  // No prototype, as in the JSON API Gateway sends: a `__proto__` or `constructor` header is an
  // ordinary name, never the object's prototype.
  const headers: Record<string, string> = Object.create(null);
  const cookies: string[] = [];
  for (let index = 0; index + 1 < rawHeaders.length; index += 2) {
    const name = (rawHeaders[index] as string).toLowerCase();
    const value = rawHeaders[index + 1] as string;
    if (name === "cookie") {
      cookies.push(
        ...value
          .split(";")
          .map((cookie) => cookie.trim())
          .filter(Boolean),
      );
      continue;
    }
    headers[name] = Object.hasOwn(headers, name) ? `${headers[name]},${value}` : value;
  }
  return { headers, cookies };
}

/** Decoded query parameters, repeats joined with ","; undefined when there is no query at all. */
function joinQuery(rawQueryString: string): Record<string, string> | undefined {
  if (rawQueryString === "") return undefined;
  const parameters: Record<string, string> = Object.create(null);
  for (const [name, value] of new URLSearchParams(rawQueryString)) {
    parameters[name] = Object.hasOwn(parameters, name) ? `${parameters[name]},${value}` : value;
  }
  return parameters;
}

const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

/** `25/Nov/2026:21:04:18 +0000`, the format of requestContext.time. */
function clfTime(date: Date): string {
  const pad = (value: number) => String(value).padStart(2, "0");
  return (
    `${pad(date.getUTCDate())}/${MONTHS[date.getUTCMonth()]}/${date.getUTCFullYear()}:` +
    `${pad(date.getUTCHours())}:${pad(date.getUTCMinutes())}:${pad(date.getUTCSeconds())} +0000`
  );
}
