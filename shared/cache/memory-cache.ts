/**
 * In-process LRU with TTL: no infrastructure. Map keeps insertion order, so re-inserting on read
 * makes the first key the least recently used. It is only as shared as the process: the local
 * cloud runs every bundle in one process and shares one instance (see sharedMemoryCache); deployed,
 * each Lambda function would hold its own, which is why deployments use Redis or no cache.
 */
import { type Cache, isMarker, TOMBSTONE_VERSION, type Versioned } from "./cache.ts";

interface Entry {
  value: Versioned;
  expiresAt: number;
}

export class MemoryCache implements Cache {
  private readonly entries = new Map<string, Entry>();

  constructor(private readonly opts: { ttlSeconds: number; maxEntries: number; now?: () => number }) {}

  async get<T extends Versioned>(key: string): Promise<T | undefined> {
    const entry = this.entries.get(key);
    if (!entry) return undefined;
    if (entry.expiresAt <= this.now()) {
      this.entries.delete(key);
      return undefined;
    }
    this.entries.delete(key);
    this.entries.set(key, entry);
    return isMarker(entry.value) ? undefined : (entry.value as T);
  }

  async set<T extends Versioned>(key: string, value: T): Promise<void> {
    const current = this.entries.get(key);
    if (current && current.expiresAt > this.now() && current.value.version > value.version) return;
    this.entries.delete(key);
    this.entries.set(key, { value, expiresAt: this.now() + this.opts.ttlSeconds * 1000 });
    while (this.entries.size > this.opts.maxEntries) {
      const oldest = this.entries.keys().next().value;
      if (oldest === undefined) break;
      this.entries.delete(oldest);
    }
  }

  async invalidate(key: string, minVersion = TOMBSTONE_VERSION): Promise<void> {
    await this.set(key, { version: minVersion, invalidated: true });
  }

  get size(): number {
    return this.entries.size;
  }

  private now(): number {
    return (this.opts.now ?? Date.now)();
  }
}

const SHARED = Symbol.for("markets-api.memory-cache");

/** One MemoryCache per process, shared by every bundle loaded into it. */
export function sharedMemoryCache(opts: { ttlSeconds: number; maxEntries: number }): MemoryCache {
  const holder = globalThis as { [SHARED]?: MemoryCache };
  holder[SHARED] ??= new MemoryCache(opts);
  return holder[SHARED];
}
