/** Port: an atomic counter per key and fixed window, shared by every Lambda instance. */
export interface RateLimitStore {
  /**
   * Count `units` hits (default 1) in the window starting at `windowStart` (epoch seconds); returns
   * the new count.
   */
  hit(
    bucket: string,
    caller: string,
    windowStart: number,
    windowSeconds: number,
    units?: number,
  ): Promise<number>;
}
