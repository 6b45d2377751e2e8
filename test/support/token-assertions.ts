/** The token verifier's documented answers, asserted by class, code and client-facing message. */
import { expect } from "vitest";
import { UnauthorizedError, UnavailableError } from "../../shared/errors.ts";

const rejection = (promise: Promise<unknown>) =>
  promise.then(
    () => undefined,
    (e: unknown) => e,
  );

/** A verdict on the token: 401, with none of jose's wording. */
export async function expectUnauthorized(promise: Promise<unknown>): Promise<void> {
  const error = await rejection(promise);
  expect(error).toBeInstanceOf(UnauthorizedError);
  expect((error as UnauthorizedError).code).toBe("UNAUTHORIZED");
  // jose's wording never reaches the client.
  expect((error as UnauthorizedError).message).toBe("The bearer token is invalid or expired");
}

/** An outage of the identity provider: 503, with the real failure kept as the cause for the log. */
export async function expectUnavailable(
  promise: Promise<unknown>,
  cause: abstract new (...args: never[]) => Error = Error,
): Promise<UnavailableError> {
  const error = await rejection(promise);
  expect(error).toBeInstanceOf(UnavailableError);
  expect((error as UnavailableError).code).toBe("UNAVAILABLE");
  expect((error as UnavailableError).message).toBe("The identity provider is unreachable; try again shortly");
  expect((error as UnavailableError).cause).toBeInstanceOf(cause);
  return error as UnavailableError;
}
