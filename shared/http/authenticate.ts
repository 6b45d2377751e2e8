/**
 * Verifies the bearer token when there is one. A bad token is remembered, not thrown yet: the rate
 * limiter must still count the request against the source IP before the 401 (API.md), and a body
 * error found earlier answers first. deferred-rejection.ts throws it.
 */
import type middy from "@middy/core";
import type { APIGatewayProxyEventV2, Context } from "aws-lambda";
import { bearerToken, type TokenVerifier } from "../auth/token-verifier.ts";
import { AppError } from "../errors.ts";
import { logger } from "../logger.ts";
import { stateOf } from "./request-state.ts";
import type { HttpResult } from "./response.ts";

export function authenticate(
  verifier: () => TokenVerifier,
): middy.MiddlewareObj<APIGatewayProxyEventV2, HttpResult, Error, Context> {
  return {
    before: async ({ event }) => {
      const state = stateOf(event);
      try {
        const token = bearerToken(event.headers?.authorization);
        if (token === undefined) return;
        state.caller = await verifier()(token);
        logger.appendKeys({ userId: state.caller.id });
      } catch (error) {
        if (!(error instanceof AppError)) throw error;
        state.authError = error;
      }
    },
  };
}
