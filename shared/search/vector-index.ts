/**
 * In-memory nearest-neighbour index for a few thousand market vectors: an exact scan is a few
 * milliseconds at that size, so no approximate structure is needed. Vectors live contiguously in one
 * growable Float32Array (cache-friendly, no per-entry object) and deletes swap the last row into the
 * hole, so the scan never skips gaps.
 */

export interface IndexEntry {
  id: string;
  status: string;
  vector: Float32Array;
}

export interface ScoredId {
  id: string;
  /** In (0, 1]: `(1 + cosine) / 2`, floored at `MIN_SCORE` so callers can treat 0 as "absent". */
  score: number;
}

export const MIN_SCORE = 1e-6;

const INITIAL_CAPACITY = 64;

export class VectorIndex {
  readonly dimensions: number;
  private vectors: Float32Array;
  private ids: string[] = [];
  private statuses: string[] = [];
  private readonly slotById = new Map<string, number>();

  constructor(dimensions: number) {
    this.dimensions = dimensions;
    this.vectors = new Float32Array(INITIAL_CAPACITY * dimensions);
  }

  get size(): number {
    return this.ids.length;
  }

  /** Inserts or replaces the vector and status for `entry.id`. */
  upsert(entry: IndexEntry): void {
    if (entry.vector.length !== this.dimensions) {
      throw new RangeError(`vector has ${entry.vector.length} dimensions, index has ${this.dimensions}`);
    }
    let slot = this.slotById.get(entry.id);
    if (slot === undefined) {
      slot = this.ids.length;
      this.ensureCapacity(slot + 1);
      this.ids.push(entry.id);
      this.statuses.push(entry.status);
      this.slotById.set(entry.id, slot);
    } else {
      this.statuses[slot] = entry.status;
    }
    this.vectors.set(entry.vector, slot * this.dimensions);
  }

  /** Removes `id`; returns false if it was not indexed. */
  remove(id: string): boolean {
    const slot = this.slotById.get(id);
    if (slot === undefined) return false;
    const last = this.ids.length - 1;
    if (slot !== last) {
      const lastId = this.ids[last] as string;
      this.vectors.copyWithin(slot * this.dimensions, last * this.dimensions, (last + 1) * this.dimensions);
      this.ids[slot] = lastId;
      this.statuses[slot] = this.statuses[last] as string;
      this.slotById.set(lastId, slot);
    }
    this.ids.pop();
    this.statuses.pop();
    this.slotById.delete(id);
    return true;
  }

  /** The `k` entries most similar to `query` (optionally only statuses passing `filter`), best first. */
  topK(query: Float32Array, k: number, filter?: (status: string) => boolean): ScoredId[] {
    if (query.length !== this.dimensions) {
      throw new RangeError(`query has ${query.length} dimensions, index has ${this.dimensions}`);
    }
    if (k <= 0) return [];
    const heap = new WorstFirstHeap(k);
    const dimensions = this.dimensions;
    const vectors = this.vectors;
    for (let slot = 0; slot < this.ids.length; slot++) {
      if (filter && !filter(this.statuses[slot] as string)) continue;
      let cosine = 0;
      const offset = slot * dimensions;
      for (let d = 0; d < dimensions; d++) cosine += (query[d] as number) * (vectors[offset + d] as number);
      heap.offer(Math.min(1, Math.max(MIN_SCORE, (1 + cosine) / 2)), this.ids[slot] as string);
    }
    return heap.drainBestFirst();
  }

  private ensureCapacity(rows: number): void {
    if (rows * this.dimensions <= this.vectors.length) return;
    const grown = new Float32Array(
      Math.max(rows, (this.vectors.length / this.dimensions) * 2) * this.dimensions,
    );
    grown.set(this.vectors);
    this.vectors = grown;
  }
}

/** `a` ranks below `b`: lower score, or equal score and later id (ties broken by id for stable pages). */
function ranksBelow(a: ScoredId, b: ScoredId): boolean {
  return a.score < b.score || (a.score === b.score && a.id > b.id);
}

/** Bounded binary min-heap keeping the k best seen so far; its root is the worst of them. */
class WorstFirstHeap {
  private readonly items: ScoredId[] = [];
  constructor(private readonly capacity: number) {}

  offer(score: number, id: string): void {
    const candidate = { id, score };
    if (this.items.length < this.capacity) {
      this.items.push(candidate);
      this.siftUp(this.items.length - 1);
    } else if (ranksBelow(this.items[0] as ScoredId, candidate)) {
      this.items[0] = candidate;
      this.siftDown(0);
    }
  }

  drainBestFirst(): ScoredId[] {
    return this.items.sort((a, b) => (ranksBelow(a, b) ? 1 : ranksBelow(b, a) ? -1 : 0));
  }

  private siftUp(index: number): void {
    const items = this.items;
    while (index > 0) {
      const parent = (index - 1) >> 1;
      if (!ranksBelow(items[index] as ScoredId, items[parent] as ScoredId)) break;
      [items[index], items[parent]] = [items[parent] as ScoredId, items[index] as ScoredId];
      index = parent;
    }
  }

  private siftDown(index: number): void {
    const items = this.items;
    for (;;) {
      const left = 2 * index + 1;
      const right = left + 1;
      let worst = index;
      if (left < items.length && ranksBelow(items[left] as ScoredId, items[worst] as ScoredId)) worst = left;
      if (right < items.length && ranksBelow(items[right] as ScoredId, items[worst] as ScoredId))
        worst = right;
      if (worst === index) return;
      [items[index], items[worst]] = [items[worst] as ScoredId, items[index] as ScoredId];
      index = worst;
    }
  }
}
