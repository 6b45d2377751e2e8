/** Response builders for handlers: the success envelope of API.md and its status codes. */
import type { APIGatewayProxyStructuredResultV2 } from "aws-lambda";

export type HttpResult = APIGatewayProxyStructuredResultV2 & {
  statusCode: number;
  headers?: Record<string, string>;
};

export const JSON_CONTENT_TYPE = "application/json; charset=utf-8";

/** Serialise a JSON body with the project's content type. */
export function json(statusCode: number, payload: unknown, headers: Record<string, string> = {}): HttpResult {
  return {
    statusCode,
    headers: { "Content-Type": JSON_CONTENT_TYPE, ...headers },
    body: JSON.stringify(payload),
  };
}

export function ok(
  data: unknown,
  options: { meta?: object; headers?: Record<string, string> } = {},
): HttpResult {
  const payload = options.meta ? { success: true, data, meta: options.meta } : { success: true, data };
  return json(200, payload, options.headers);
}

export function created(data: unknown, location: string, headers: Record<string, string> = {}): HttpResult {
  return json(201, { success: true, data }, { Location: location, ...headers });
}

export function accepted(message: string, data: unknown): HttpResult {
  return json(202, { success: true, message, data });
}

export const noContent = (): HttpResult => ({ statusCode: 204, headers: {} });

export const notModified = (headers: Record<string, string>): HttpResult => ({ statusCode: 304, headers });
