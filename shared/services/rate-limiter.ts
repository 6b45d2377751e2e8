/**
 * Fixed-window rate limiting per caller and budget (reads, writes). The counter lives in the
 * database, so the limit holds across all Lambda instances; each execution environment leases a few
 * units of a busy caller's window at a time (rate-limit-leases.ts), so most requests cost no write.
 * A store outage fails open: the API keeps serving and the outage is logged, because a limiter must
 * not become a single point of failure.
 */
import { logger } from "../logger.ts";
import type { RateLimitStore } from "../repositories/rate-limit-store.ts";
import { RateLimitLeases } from "./rate-limit-leases.ts";

export type Budget = "read" | "write";

export interface RateLimitDecision {
  allowed: boolean;
  limit: number;
  remaining: number;
  /** Seconds until the window resets. */
  resetSeconds: number;
}

/** The largest lease, as a share of the limit: what one environment can leave unspent in a window. */
export const LEASE_SHARE = 0.1;

export class RateLimiter {
  private readonly leases = new RateLimitLeases();

  constructor(
    private readonly opts: {
      store: RateLimitStore;
      limits: Record<Budget, number>;
      windowSeconds?: number;
      /**
       * Most units one lease may take; default a tenth of the limit (at least 1). 1 makes every
       * request its own write, as exact for the caller as a single counter.
       */
      maxLease?: number;
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
      const unit = await this.leases.take({
        key: `${budget}|${caller}`,
        windowStart,
        windowSeconds,
        nowSeconds,
        limit,
        maxLease: this.opts.maxLease ?? Math.max(1, Math.floor(limit * LEASE_SHARE)),
        add: (units) => this.opts.store.hit(budget, caller, windowStart, windowSeconds, units),
      });
      return { allowed: unit <= limit, limit, remaining: Math.max(0, limit - unit), resetSeconds };
    } catch (error) {
      logger.warn("rate limiter unavailable; allowing the request", { error });
      return { allowed: true, limit, remaining: limit, resetSeconds };
    }
  }
}
