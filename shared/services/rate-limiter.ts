/**
 * Fixed-window rate limiting per caller and budget (reads, writes). The counter lives in the
 * database, so the limit holds across all Lambda instances. A store outage fails open: the API
 * keeps serving and the outage is logged, because a limiter must not become a single point of failure.
 */
import { logger } from "../logger.ts";
import type { RateLimitStore } from "../repositories/rate-limit-store.ts";

export type Budget = "read" | "write";

export interface RateLimitDecision {
  allowed: boolean;
  limit: number;
  remaining: number;
  /** Seconds until the window resets. */
  resetSeconds: number;
}

export class RateLimiter {
  constructor(
    private readonly opts: {
      store: RateLimitStore;
      limits: Record<Budget, number>;
      windowSeconds?: number;
      now?: () => number;
    },
  ) {}

  async consume(caller: string, budget: Budget): Promise<RateLimitDecision> {
    const windowSeconds = this.opts.windowSeconds ?? 60;
    const nowSeconds = (this.opts.now ?? Date.now)() / 1000;
    const windowStart = Math.floor(nowSeconds / windowSeconds) * windowSeconds;
    const limit = this.opts.limits[budget];
    const resetSeconds = Math.max(1, Math.ceil(windowStart + windowSeconds - nowSeconds));
    try {
      const hits = await this.opts.store.hit(budget, caller, windowStart, windowSeconds);
      return { allowed: hits <= limit, limit, remaining: Math.max(0, limit - hits), resetSeconds };
    } catch (error) {
      logger.warn("rate limiter unavailable; allowing the request", { error });
      return { allowed: true, limit, remaining: limit, resetSeconds };
    }
  }
}
