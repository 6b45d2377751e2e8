/**
 * Retry with exponential backoff and full jitter (delay = random(0, min(cap, base · 2^attempt))),
 * for errors the caller marks retryable: transaction conflicts, throttling, unprocessed batch keys.
 * Full jitter spreads retrying clients apart, so they do not collide again in lock-step.
 */

export interface RetryOptions {
  /** Total attempts, the first included. */
  maxAttempts?: number;
  baseDelayMs?: number;
  maxDelayMs?: number;
  retryable: (error: unknown) => boolean;
  /** Injected for tests; defaults to Math.random and setTimeout. */
  random?: () => number;
  sleep?: (ms: number) => Promise<void>;
  onRetry?: (error: unknown, attempt: number, delayMs: number) => void;
}

const defaultSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** The delay before retry number `attempt` (0-based), with full jitter. */
export function backoffDelay(
  attempt: number,
  baseDelayMs: number,
  maxDelayMs: number,
  random = Math.random,
): number {
  const ceiling = Math.min(maxDelayMs, baseDelayMs * 2 ** attempt);
  return Math.floor(random() * ceiling);
}

/** Run `operation`, retrying retryable failures; the last error is rethrown unchanged. */
export async function retry<T>(
  operation: (attempt: number) => Promise<T>,
  options: RetryOptions,
): Promise<T> {
  const { maxAttempts = 5, baseDelayMs = 25, maxDelayMs = 1000, retryable } = options;
  const sleep = options.sleep ?? defaultSleep;
  for (let attempt = 0; ; attempt++) {
    try {
      return await operation(attempt);
    } catch (error) {
      if (attempt + 1 >= maxAttempts || !retryable(error)) throw error;
      const delayMs = backoffDelay(attempt, baseDelayMs, maxDelayMs, options.random);
      options.onRetry?.(error, attempt + 1, delayMs);
      await sleep(delayMs);
    }
  }
}
