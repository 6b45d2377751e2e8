/**
 * Port: a versioned key-value cache. `set` keeps whichever entry has the higher version, so a slow
 * reader that fetched an old version can never overwrite the newer one a writer just stored.
 */
export interface Versioned {
  version: number;
}

export interface Cache {
  get<T extends Versioned>(key: string): Promise<T | undefined>;
  /** Store `value` unless the cache already holds a higher version of it. */
  set<T extends Versioned>(key: string, value: T): Promise<void>;
  /**
   * Drop the cached value and refuse any later `set` below `minVersion` (default: forever, for
   * deleted resources). A write that knows its new version passes it, so a reader that fetched the
   * old version just before the write cannot put it back.
   */
  invalidate(key: string, minVersion?: number): Promise<void>;
}

/** What `invalidate` leaves behind: a version floor that reads treat as a miss. */
export interface InvalidationMarker extends Versioned {
  invalidated: true;
}

export const isMarker = (value: Versioned): value is InvalidationMarker =>
  (value as Partial<InvalidationMarker>).invalidated === true;

/** Version used for tombstones: higher than any real version. */
export const TOMBSTONE_VERSION = Number.MAX_SAFE_INTEGER;
