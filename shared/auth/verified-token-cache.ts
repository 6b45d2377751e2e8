/**
 * Tokens this execution environment has verified, so a caller's repeated token skips the signature
 * check (the largest warm cost of a request). The key is the whole token string: a token with the
 * same claims but another signature is another key, verified on its own. An entry is served only
 * while its token is valid (`nbf` ≤ now < `exp`) and for at most `maxAgeMs` after it was verified,
 * so a key removed from the JWKS or a rotated secret stops tokens within that age (beyond the key
 * set's own cache). Only successes are stored. Entries are bounded: the least recently used goes
 * first. Everything runs between two awaits, so concurrent requests cannot see half an update.
 */
import type { Caller } from "./permissions.ts";

export interface VerifiedTokenCacheOptions {
  /** Most tokens kept (each at most MAX_TOKEN_LENGTH characters). Default 1000. */
  maxEntries?: number;
  /** Longest time a verification is trusted, whatever the token's `exp`. Default 60 s. */
  maxAgeMs?: number;
  now?: () => number;
}

interface Entry {
  readonly caller: Caller;
  /** Epoch milliseconds from which and until which the entry may be served. */
  readonly from: number;
  readonly until: number;
}

export class VerifiedTokenCache {
  private readonly entries = new Map<string, Entry>();
  private readonly maxEntries: number;
  private readonly maxAgeMs: number;
  private readonly now: () => number;

  constructor(options: VerifiedTokenCacheOptions = {}) {
    this.maxEntries = options.maxEntries ?? 1000;
    this.maxAgeMs = options.maxAgeMs ?? 60_000;
    this.now = options.now ?? Date.now;
  }

  get size(): number {
    return this.entries.size;
  }

  /** The caller of a token verified earlier and still valid, else undefined. */
  get(token: string): Caller | undefined {
    const entry = this.entries.get(token);
    if (!entry) return undefined;
    const now = this.now();
    if (now >= entry.until) {
      this.entries.delete(token);
      return undefined;
    }
    if (now < entry.from) return undefined;
    // Re-inserted: a Map iterates in insertion order, so the least recently used stays first.
    this.entries.delete(token);
    this.entries.set(token, entry);
    return entry.caller;
  }

  /**
   * Remember a token that has just passed verification, with its `exp` and `nbf` (epoch seconds).
   * The caller is handed to every later request with this token: pass it frozen.
   */
  set(token: string, caller: Caller, claims: { exp: number; nbf?: number }): void {
    const now = this.now();
    const until = Math.min(claims.exp * 1000, now + this.maxAgeMs);
    if (until <= now) return;
    this.entries.delete(token);
    this.entries.set(token, { caller, from: (claims.nbf ?? 0) * 1000, until });
    while (this.entries.size > this.maxEntries)
      this.entries.delete(this.entries.keys().next().value as string);
  }
}
