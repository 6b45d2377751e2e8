/** A search hit: an id and its score. */
export interface ScoredId {
  id: string;
  /** In (0, 1]: `(1 + cosine) / 2`, floored at `MIN_SCORE` so callers can treat 0 as "absent". */
  score: number;
}

/** `a` ranks below `b`: lower score, or equal score and later id (ties broken by id for stable pages). */
function ranksBelow(a: ScoredId, b: ScoredId): boolean {
  return a.score < b.score || (a.score === b.score && a.id > b.id);
}

/** Bounded binary min-heap keeping the k best seen so far; its root is the worst of them. */
export class WorstFirstHeap {
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

  get full(): boolean {
    return this.items.length >= this.capacity;
  }

  /** The lowest score kept (meaningful once `full`). */
  get worstScore(): number {
    return this.items[0]?.score ?? Number.NEGATIVE_INFINITY;
  }

  /** Whether `offer(score, id)` would keep the candidate: cheaper than building it first. */
  wouldAccept(score: number, id: string): boolean {
    if (this.items.length < this.capacity) return true;
    const worst = this.items[0] as ScoredId;
    return worst.score < score || (worst.score === score && worst.id > id);
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
