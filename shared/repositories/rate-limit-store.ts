/** Port: an atomic counter per key and fixed window, shared by every Lambda instance. */
export interface RateLimitStore {
  /** Count one hit in the window starting at `windowStart` (epoch seconds); returns the new count. */
  hit(bucket: string, caller: string, windowStart: number, windowSeconds: number): Promise<number>;
}
