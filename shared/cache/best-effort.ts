/**
 * How the caching decorators call the cache: a failure is logged and answered with `undefined`, so
 * the caller falls back to the database. The cache can make requests faster, never fail them.
 */
import { logger } from "../logger.ts";

export async function bestEffort<T>(
  operation: string,
  run: () => Promise<T>,
  context?: Record<string, unknown>,
): Promise<T | undefined> {
  try {
    return await run();
  } catch (error) {
    logger.warn("cache unavailable; using the database", { operation, ...context, error });
    return undefined;
  }
}
