/**
 * Turns any error into the error envelope of API.md. AppErrors below 500 (and 503) show their
 * message and code. A dependency outage that the SDK's own retries did not ride out (throttling,
 * 5xx, timeouts, dropped connections) is a 503 UNAVAILABLE with `Retry-After`, since the client can
 * simply try again; anything else is a bare INTERNAL error. Both are logged with their stack, and
 * the client sees only the generic message, so no stack trace, DynamoDB expression or table name
 * ever reaches it.
 */
import type middy from "@middy/core";
import type { APIGatewayProxyEventV2, Context } from "aws-lambda";
import { AppError, UnavailableError } from "../errors.ts";
import { logger } from "../logger.ts";
import { isTransientAwsError } from "../repositories/aws-errors.ts";
import { stateOf } from "./request-state.ts";
import { type HttpResult, json } from "./response.ts";

export const INTERNAL_MESSAGE = "Something went wrong on our side";

export function errorEnvelope(): middy.MiddlewareObj<APIGatewayProxyEventV2, HttpResult, Error, Context> {
  return {
    onError: (request) => {
      const error = request.error;
      const { requestId } = stateOf(request.event);
      const answer = publicError(error);
      if (!answer) {
        logger.error("unhandled error", { error: error ?? "unknown" });
        request.response = json(500, {
          success: false,
          error: INTERNAL_MESSAGE,
          code: "INTERNAL",
          requestId,
        });
        return;
      }
      if (answer.status >= 500) logger.error("dependency unavailable", { error: error ?? "unknown" });
      else logger.info("request rejected", { code: answer.code, status: answer.status });
      const envelope = {
        success: false,
        error: answer.message,
        code: answer.code,
        ...(answer.details ? { details: answer.details } : {}),
        requestId,
      };
      request.response = json(answer.status, envelope, { ...answer.headers });
    },
  };
}

/** The AppError a client may see for `error`, or undefined for an unexpected one (500). */
function publicError(error: Error | null | undefined): AppError | undefined {
  if (error instanceof AppError) return error.expose ? error : undefined;
  return isTransientAwsError(error) ? new UnavailableError() : undefined;
}
