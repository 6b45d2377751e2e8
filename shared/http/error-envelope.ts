/**
 * Turns any error into the error envelope of API.md. AppErrors below 500 show their message and
 * code; anything else is logged with its stack and answered as a bare INTERNAL error, so no
 * stack trace, DynamoDB expression or table name ever reaches a client.
 */
import type middy from "@middy/core";
import type { APIGatewayProxyEventV2, Context } from "aws-lambda";
import { AppError } from "../errors.ts";
import { logger } from "../logger.ts";
import { stateOf } from "./request-state.ts";
import { type HttpResult, json } from "./response.ts";

export const INTERNAL_MESSAGE = "Something went wrong on our side";

export function errorEnvelope(): middy.MiddlewareObj<APIGatewayProxyEventV2, HttpResult, Error, Context> {
  return {
    onError: (request) => {
      const error = request.error;
      const { requestId } = stateOf(request.event);
      if (error instanceof AppError && error.expose) {
        if (error.status >= 500) logger.error("dependency unavailable", { error });
        else logger.info("request rejected", { code: error.code, status: error.status });
        const envelope = {
          success: false,
          error: error.message,
          code: error.code,
          ...(error.details ? { details: error.details } : {}),
          requestId,
        };
        request.response = json(error.status, envelope, { ...error.headers });
        return;
      }
      logger.error("unhandled error", { error: error ?? "unknown" });
      request.response = json(500, { success: false, error: INTERNAL_MESSAGE, code: "INTERNAL", requestId });
    },
  };
}
