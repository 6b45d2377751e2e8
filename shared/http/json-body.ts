/**
 * Body checks that come before anything else (API.md order): size (413), media type (415) and JSON
 * syntax (400 INVALID_JSON). Only routes that declare a body schema read one.
 */
import type middy from "@middy/core";
import type { APIGatewayProxyEventV2, Context } from "aws-lambda";
import { InvalidJsonError, PayloadTooLargeError, UnsupportedMediaTypeError } from "../errors.ts";
import { stateOf } from "./request-state.ts";
import type { HttpResult } from "./response.ts";

export const MAX_BODY_BYTES = 64 * 1024;
const JSON_MEDIA_TYPE = /^application\/json\s*(;\s*charset\s*=\s*"?utf-8"?\s*)?$/i;

/** The raw body as bytes, decoding API Gateway's base64 form. */
export function rawBody(event: APIGatewayProxyEventV2): Buffer | undefined {
  if (event.body === undefined || event.body === null) return undefined;
  return event.isBase64Encoded ? Buffer.from(event.body, "base64") : Buffer.from(event.body, "utf8");
}

export function jsonBody(): middy.MiddlewareObj<APIGatewayProxyEventV2, HttpResult, Error, Context> {
  return {
    before: ({ event }) => {
      const bytes = rawBody(event);
      if (bytes === undefined || bytes.length === 0) return;
      if (bytes.length > MAX_BODY_BYTES) throw new PayloadTooLargeError(MAX_BODY_BYTES);
      if (!JSON_MEDIA_TYPE.test(event.headers?.["content-type"] ?? "")) throw new UnsupportedMediaTypeError();
      try {
        stateOf(event).body = JSON.parse(bytes.toString("utf8"));
      } catch {
        throw new InvalidJsonError();
      }
    },
  };
}
