/**
 * In-memory nearest-neighbour index for a few thousand market vectors: an exact scan is a few
 * milliseconds at that size, so no approximate structure is needed. Vectors live contiguously in one
 * growable Float32Array (cache-friendly, no per-entry object) and deletes swap the last row into the
 * hole, so the scan never skips gaps.
 */

import { type ScoredId, WorstFirstHeap } from "./worst-first-heap.ts";

export interface IndexEntry {
  id: string;
  status: string;
  vector: Float32Array;
}

export type { ScoredId };

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
