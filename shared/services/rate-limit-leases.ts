/**
 * Units of callers' rate-limit windows leased by this execution environment. One UpdateItem adds
 * `k` to the window's shared counter and answers the count after it: this environment then owns the
 * unit numbers `count - k + 1 … min(count, limit)`, and hands them to its next requests without a
 * write. Every unit number is owned by exactly one environment (the ADD is atomic), so across any
 * number of environments no more than `limit` requests of a window are allowed. Units a lease does
 * not spend before the window ends are lost: that is the price of the saved writes, bounded by
 * `maxLease` (docs/consistency.md quantifies it).
 *
 * The lease grows with the caller's demand on this environment in the window (1, 2, 4, …,
 * `maxLease`), or starts from the caller's rate here in the window before, and never goes past what
 * the caller's rate in this window will use before it ends. A
 * request that finds no unit waits for a lease: one already in flight when it covers the request,
 * else a new one beside it, sized by the demand, so concurrent requests (up to 64 at once on Lambda
 * Managed Instances) spend few writes and wait for one round trip. Once the shared counter
 * has reached the limit the window is spent here too: later requests are denied without a write.
 */

/** Adds `units` to a window's shared counter; answers the count after the addition. */
export type AddToWindow = (units: number) => Promise<number>;

interface Waiter {
  resolve: (unit: number) => void;
  reject: (error: unknown) => void;
}

/** One caller's window, as this environment holds it. */
interface WindowLease {
  readonly windowStart: number;
  /** Owned unit numbers not handed out yet, as [first, last] ranges. */
  readonly held: [number, number][];
  /** Requests waiting for a unit, oldest first. */
  readonly waiters: Waiter[];
  /** Units asked for by leases still in flight. */
  inFlight: number;
  /** Units handed out here in this window. */
  served: number;
  /** Units handed out here in the window before, when this environment saw it: the caller's last rate. */
  readonly before: number;
  /** The shared counter reached the limit: no unit is left for anyone in this window. */
  spent: boolean;
}

export interface LeaseRequest {
  /** Budget and caller: one shared counter per key and window. */
  readonly key: string;
  readonly windowStart: number;
  readonly windowSeconds: number;
  readonly nowSeconds: number;
  readonly limit: number;
  /** Most units one lease may take. */
  readonly maxLease: number;
  readonly add: AddToWindow;
}

/** How many callers' windows one environment tracks; the least recent beyond that are forgotten. */
const MAX_TRACKED = 10_000;

export class RateLimitLeases {
  private readonly windows = new Map<string, WindowLease>();

  /**
   * This request's unit number in the window: at most `limit` when it is allowed, `limit + 1` when
   * the window is spent. Rejects when the counter could not be updated (the limiter fails open).
   */
  take(request: LeaseRequest): Promise<number> {
    const lease = this.windowOf(request);
    const unit = nextUnit(lease);
    if (unit !== undefined) return Promise.resolve(unit);
    if (lease.spent) return Promise.resolve(request.limit + 1);
    return new Promise<number>((resolve, reject) => {
      lease.waiters.push({ resolve, reject });
      this.cover(lease, request);
    });
  }

  private windowOf({ key, windowStart, windowSeconds }: LeaseRequest): WindowLease {
    const current = this.windows.get(key);
    if (current?.windowStart === windowStart) return current;
    // A lease of an earlier window keeps serving its own waiters (they hold it); it is only
    // forgotten here, with whatever units it still held.
    const before = current?.windowStart === windowStart - windowSeconds ? current.served : 0;
    const fresh: WindowLease = {
      windowStart,
      held: [],
      waiters: [],
      inFlight: 0,
      served: 0,
      before,
      spent: false,
    };
    this.windows.delete(key);
    this.windows.set(key, fresh);
    if (this.windows.size > MAX_TRACKED) this.windows.delete(this.windows.keys().next().value as string);
    return fresh;
  }

  /** Start leases until the units in flight cover every waiter. */
  private cover(lease: WindowLease, request: LeaseRequest): void {
    while (!lease.spent && lease.waiters.length > lease.inFlight) {
      const units = leaseSize(lease, request, lease.waiters.length - lease.inFlight);
      lease.inFlight += units;
      added(request, units).then(
        (count) => {
          lease.inFlight -= units;
          const first = count - units + 1;
          const last = Math.min(count, request.limit);
          if (first <= last) lease.held.push([first, last]);
          if (count >= request.limit) lease.spent = true;
          this.settle(lease, request);
        },
        (error: unknown) => {
          lease.inFlight -= units;
          // The waiters this lease was to serve fail open (RateLimiter); the rest still wait.
          const uncovered = lease.waiters.length - lease.inFlight;
          for (const waiter of lease.waiters.splice(0, Math.max(0, uncovered))) waiter.reject(error);
        },
      );
    }
  }

  /** Hand out the units held, then deny or lease again for whoever still waits. */
  private settle(lease: WindowLease, request: LeaseRequest): void {
    while (lease.waiters.length > 0) {
      const unit = nextUnit(lease);
      if (unit === undefined) break;
      lease.waiters.shift()?.resolve(unit);
    }
    if (lease.waiters.length === 0) return;
    if (!lease.spent) this.cover(lease, request);
    else if (lease.inFlight === 0) {
      for (const waiter of lease.waiters.splice(0)) waiter.resolve(request.limit + 1);
    }
  }
}

/** The lease's write as a promise, even when the store throws instead of rejecting. */
function added(request: LeaseRequest, units: number): Promise<number> {
  try {
    return request.add(units);
  } catch (error) {
    return Promise.reject(error);
  }
}

function nextUnit(lease: WindowLease): number | undefined {
  const range = lease.held[0];
  if (!range) return undefined;
  const unit = range[0];
  if (range[0] === range[1]) lease.held.shift();
  else range[0] += 1;
  lease.served += 1;
  return unit;
}

/**
 * Units for the next lease: the caller's demand here, that is the requests served and waiting in
 * this window or, when more, the share of the previous window's still ahead in this one; no more
 * than this window's rate so far will use before it ends; at least the requests waiting for a unit
 * now; never more than `maxLease`. Within a window whose caller keeps its rate, units left unspent
 * at its end are then fewer than those spent.
 */
function leaseSize(lease: WindowLease, request: LeaseRequest, uncovered: number): number {
  const served = lease.served + lease.waiters.length;
  const elapsed = Math.max(1, request.nowSeconds - lease.windowStart);
  const left = Math.max(0, lease.windowStart + request.windowSeconds - request.nowSeconds);
  const demand = Math.max(served, Math.ceil((lease.before * left) / request.windowSeconds));
  const expected = Math.ceil((served / elapsed) * left);
  return Math.max(1, Math.min(request.maxLease, Math.max(uncovered, Math.min(demand, expected))));
}
