/**
 * A logger bound to one request: every line carries that request's keys. One execution environment
 * may serve many requests at once (Lambda Managed Instances, the local runtime), so the keys live
 * in this per-request object and are passed with each line, never appended to the shared logger.
 */
import type { Logger } from "@aws-lambda-powertools/logger";

export type LogKeys = Record<string, unknown>;

export class RequestLog {
  private readonly keys: LogKeys;

  constructor(
    private readonly base: Logger,
    keys: LogKeys,
  ) {
    this.keys = { ...keys };
  }

  /** Add keys to every later line of this request (the caller, once the token is verified). */
  append(keys: LogKeys): void {
    Object.assign(this.keys, keys);
  }

  debug(message: string, extra?: LogKeys): void {
    this.base.debug(message, { ...this.keys, ...extra });
  }

  info(message: string, extra?: LogKeys): void {
    this.base.info(message, { ...this.keys, ...extra });
  }

  warn(message: string, extra?: LogKeys): void {
    this.base.warn(message, { ...this.keys, ...extra });
  }

  error(message: string, extra?: LogKeys): void {
    this.base.error(message, { ...this.keys, ...extra });
  }
}
