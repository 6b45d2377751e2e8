/** 401 for a bad or missing token where one is needed, then 403 when the role lacks the permission. */
import type middy from "@middy/core";
import type { APIGatewayProxyEventV2, Context } from "aws-lambda";
import { hasPermission, type Permission } from "../auth/permissions.ts";
import { ForbiddenError, UnauthorizedError } from "../errors.ts";
import { stateOf } from "./request-state.ts";
import type { HttpResult } from "./response.ts";

export function authorize(
  permission: Permission | undefined,
): middy.MiddlewareObj<APIGatewayProxyEventV2, HttpResult, Error, Context> {
  return {
    before: ({ event }) => {
      const state = stateOf(event);
      // A token that was sent but is invalid is a 401 even on public routes: silently treating the
      // caller as anonymous would hide an expired session from the client.
      if (state.authError) throw state.authError;
      if (permission === undefined) return;
      if (!state.caller) throw new UnauthorizedError();
      if (!hasPermission(state.caller.role, permission)) {
        throw new ForbiddenError(`The ${state.caller.role} role lacks the ${permission} permission`);
      }
    },
  };
}
