/**
 * 401 for a missing token where one is needed, then 403 when the role lacks the permission. (A token
 * that was sent but is invalid has already been answered by deferred-rejection.ts.)
 */
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
      if (permission === undefined) return;
      if (!state.caller) throw new UnauthorizedError();
      if (!hasPermission(state.caller.role, permission)) {
        throw new ForbiddenError(`The ${state.caller.role} role lacks the ${permission} permission`);
      }
    },
  };
}
