/**
 * The port an idempotent route runs through. A key belongs to the caller and to the route with its
 * path parameters as decoded, however the path was spelled; the body decides whether a repeat is the
 * same request (replayed) or another one (IDEMPOTENCY_KEY_REUSED).
 */
import type { Context } from "aws-lambda";

export interface IdempotentCall<T> {
  readonly callerId: string;
  /** The route and its decoded path parameters: `POST /api/markets/{id}/positions {"id":"01…"}`. */
  readonly scope: string;
  readonly key: string;
  readonly body: unknown;
  readonly context: Context;
  readonly run: () => Promise<T>;
}

export interface IdempotencyStore {
  /** Run `call.run` once per key; a repeat returns the first answer and runs nothing. */
  run<T>(call: IdempotentCall<T>): Promise<T>;
}
