/**
 * The in-process engine's index: the same contract as VectorIndex (exact cosine top-k), at a
 * quarter of its memory or less and, for the local embedder, a fraction of its time.
 *
 * Each vector is stored in one of two layouts:
 * - sparse, in an inverted index: per dimension a posting list of (slot, value) in slot order,
 *   the value as the float32 it was given and the slot as a one-byte gap from the previous one
 *   (a 0 byte skips 255 slots, for the rare longer gap). 5 bytes per non-zero: the local
 *   embedder's hashed features leave ~150-180 of 1,024 dimensions non-zero, so a vector costs
 *   ~0.9 KB instead of 4 KB, and a query walks only the posting lists of its own ~50 non-zero
 *   dimensions instead of every vector. The products are the float scan's own, summed in the
 *   same dimension order in float64, so every cosine is bit-identical to the exact scan's and
 *   the ranking is exact, near-ties included (an earlier 16-bit fixed-point layout saved one
 *   byte per non-zero and lost 1-2 % recall@10 to ties among near-duplicate markets).
 * - dense, int8 with one float scale per vector (dimensions + 4 bytes), when more than half the
 *   dimensions are non-zero: a Bedrock-like vector has no zeros to skip, so it is scanned, over
 *   a quarter of the bytes and by a WebAssembly SIMD kernel where it can run (int8-rows.ts).
 *   This layout is approximate; the benchmark measures its recall.
 *
 * Removal marks the slot dead; dead postings are compacted away once they are a third of the
 * total, so the cost of updates is amortised and queries never pay for long-dead entries.
 */
import { Int8Rows } from "./int8-rows.ts";
import { type IndexEntry, MIN_SCORE, type ScoredId } from "./vector-index.ts";
import { WorstFirstHeap } from "./worst-first-heap.ts";

const INT8_MAX = 127;
/** Largest gap one byte holds; the byte 0 stands for "255 slots further, no posting here". */
const MAX_GAP = 255;
const SKIP = 0;
const INITIAL_POSTINGS = 16;

/** One dimension's postings, in ascending slot order: one gap byte per posting (plus skips). */
interface PostingList {
  gaps: Uint8Array;
  gapCount: number;
  values: Float32Array;
  length: number;
  /** Slot of the last posting, -1 while empty: the next gap is measured from it. */
  lastSlot: number;
}

const emptyList = (): PostingList => ({
  gaps: new Uint8Array(0),
  gapCount: 0,
  values: new Float32Array(0),
  length: 0,
  lastSlot: -1,
});

export class CompactVectorIndex {
  readonly dimensions: number;
  private readonly postings: PostingList[];
  private ids: string[] = [];
  private statusCodes: number[] = [];
  private alive: boolean[] = [];
  /** Dense rows (int8) and their scales, with the slot each row belongs to; -1 when sparse. */
  private denseRowOf: number[] = [];
  /** Postings per slot, so a removal knows how much it leaves dead. */
  private postingCounts: number[] = [];
  /** Created with the first dense row: a sparse-only index never compiles the kernel. */
  private dense: Int8Rows | undefined;
  private denseScales: number[] = [];
  private denseSlots: number[] = [];
  private readonly slotById = new Map<string, number>();
  private readonly statusNames: string[] = [];
  private deadPostings = 0;
  private livePostings = 0;
  private scores = new Float64Array(0);

  constructor(dimensions: number) {
    this.dimensions = dimensions;
    this.postings = Array.from({ length: dimensions }, emptyList);
  }

  get size(): number {
    return this.slotById.size;
  }

  /** Bytes held for the vectors themselves (postings, int8 rows, scales), excluding ids. */
  vectorBytes(): number {
    let bytes = 0;
    for (const list of this.postings) bytes += list.gaps.byteLength + list.values.byteLength;
    return bytes + (this.dense?.byteLength ?? 0) + this.denseScales.length * 4;
  }

  upsert(entry: IndexEntry): void {
    const { vector } = entry;
    if (vector.length !== this.dimensions) {
      throw new RangeError(`vector has ${vector.length} dimensions, index has ${this.dimensions}`);
    }
    this.remove(entry.id);
    const slot = this.ids.length;
    this.ids.push(entry.id);
    this.statusCodes.push(this.statusCode(entry.status));
    this.alive.push(true);
    this.slotById.set(entry.id, slot);

    let nonZero = 0;
    for (let d = 0; d < vector.length; d++) if (vector[d] !== 0) nonZero++;
    if (nonZero * 2 <= this.dimensions) {
      this.denseRowOf.push(-1);
      for (let d = 0; d < vector.length; d++) {
        const value = vector[d] as number;
        if (value !== 0) this.addPosting(this.postings[d] as PostingList, slot, value);
      }
      this.livePostings += nonZero;
      this.postingCounts.push(nonZero);
    } else {
      this.denseRowOf.push(this.addDenseRow(vector, slot));
      this.postingCounts.push(0);
    }
  }

  remove(id: string): boolean {
    const slot = this.slotById.get(id);
    if (slot === undefined) return false;
    this.slotById.delete(id);
    this.alive[slot] = false;
    const row = this.denseRowOf[slot] as number;
    if (row >= 0) this.denseSlots[row] = -1;
    else {
      const count = this.postingCounts[slot] as number;
      this.deadPostings += count;
      this.livePostings -= count;
    }
    if (this.deadPostings > 1024 && this.deadPostings * 3 > this.livePostings + this.deadPostings)
      this.compact();
    return true;
  }

  topK(query: Float32Array, k: number, filter?: (status: string) => boolean): ScoredId[] {
    if (query.length !== this.dimensions) {
      throw new RangeError(`query has ${query.length} dimensions, index has ${this.dimensions}`);
    }
    if (k <= 0) return [];
    const scores = this.accumulate(query);
    const allowed = this.statusNames.map((name) => !filter || filter(name));
    const heap = new WorstFirstHeap(k);
    const { ids, alive, statusCodes } = this;
    // Raw cosine a slot must reach to be considered: the heap's worst once full. Most slots fail
    // this one comparison, so the heap and the id comparisons of ties are rarely touched.
    let threshold = Number.NEGATIVE_INFINITY;
    for (let slot = 0; slot < ids.length; slot++) {
      const cosine = scores[slot] as number;
      if (cosine < threshold || !alive[slot] || !allowed[statusCodes[slot] as number]) continue;
      const score = Math.min(1, Math.max(MIN_SCORE, (1 + cosine) / 2));
      if (!heap.wouldAccept(score, ids[slot] as string)) continue;
      heap.offer(score, ids[slot] as string);
      if (heap.full) threshold = heap.worstScore * 2 - 1 - 1e-12;
    }
    return heap.drainBestFirst();
  }

  /** Releases the growth headroom of every posting list, e.g. after the first full load. */
  trim(): void {
    for (const list of this.postings) {
      list.gaps = list.gaps.slice(0, list.gapCount);
      list.values = list.values.slice(0, list.length);
    }
    this.dense?.trim(this.denseScales.length);
  }

  /** Cosine of `query` with every slot (dead ones included; the caller skips them). */
  private accumulate(query: Float32Array): Float64Array {
    if (this.scores.length < this.ids.length) this.scores = new Float64Array(this.ids.length * 2);
    const scores = this.scores;
    scores.fill(0, 0, this.ids.length);
    // Dimensions in ascending order, as the float scan sums them: the same float64 sums.
    for (let d = 0; d < query.length; d++) {
      const weight = query[d] as number;
      if (weight === 0) continue;
      const { gaps, gapCount, values } = this.postings[d] as PostingList;
      let slot = -1;
      let next = 0;
      for (let j = 0; j < gapCount; j++) {
        const gap = gaps[j] as number;
        if (gap === SKIP) {
          slot += MAX_GAP;
          continue;
        }
        slot += gap;
        scores[slot] = (scores[slot] as number) + weight * (values[next++] as number);
      }
    }
    const rows = this.denseSlots.length;
    if (this.dense && rows > 0) {
      const dots = this.dense.dots(rows, query);
      for (let row = 0; row < rows; row++) {
        const slot = this.denseSlots[row] as number;
        if (slot >= 0) scores[slot] = (dots[row] as number) * (this.denseScales[row] as number);
      }
    }
    return scores;
  }

  /** Appends a posting; slots only grow, so the gap from the list's last slot is positive. */
  private addPosting(list: PostingList, slot: number, value: number): void {
    let gap = slot - list.lastSlot;
    const skips = Math.floor((gap - 1) / MAX_GAP);
    if (list.gapCount + skips + 1 > list.gaps.length) {
      const grown = new Uint8Array(Math.max(INITIAL_POSTINGS, (list.gapCount + skips + 1) * 2));
      grown.set(list.gaps.subarray(0, list.gapCount));
      list.gaps = grown;
    }
    if (list.length === list.values.length) {
      const grown = new Float32Array(Math.max(INITIAL_POSTINGS, list.length * 2));
      grown.set(list.values);
      list.values = grown;
    }
    for (let i = 0; i < skips; i++) list.gaps[list.gapCount++] = SKIP;
    gap -= skips * MAX_GAP;
    list.gaps[list.gapCount++] = gap;
    list.values[list.length++] = value;
    list.lastSlot = slot;
  }

  private addDenseRow(vector: Float32Array, slot: number): number {
    let max = 0;
    for (let d = 0; d < vector.length; d++) max = Math.max(max, Math.abs(vector[d] as number));
    const scale = max === 0 ? 0 : max / INT8_MAX;
    const row = this.denseScales.length;
    this.dense ??= new Int8Rows(this.dimensions);
    this.dense.reserve(row + 1);
    const codes = this.dense.codes;
    const offset = row * this.dimensions;
    for (let d = 0; d < vector.length; d++) {
      codes[offset + d] = scale === 0 ? 0 : Math.round((vector[d] as number) / scale);
    }
    this.denseScales.push(scale);
    this.denseSlots.push(slot);
    return row;
  }

  /** Drops dead slots: renumbers the live ones densely and rewrites every posting list and row. */
  private compact(): void {
    const renumbered = new Int32Array(this.ids.length).fill(-1);
    const ids: string[] = [];
    const statusCodes: number[] = [];
    const denseRowOf: number[] = [];
    const postingCounts: number[] = [];
    for (let slot = 0; slot < this.ids.length; slot++) {
      if (!this.alive[slot]) continue;
      renumbered[slot] = ids.length;
      this.slotById.set(this.ids[slot] as string, ids.length);
      ids.push(this.ids[slot] as string);
      statusCodes.push(this.statusCodes[slot] as number);
      denseRowOf.push(-1);
      postingCounts.push(this.postingCounts[slot] as number);
    }
    this.postings.forEach((list, d) => {
      // Renumbering keeps the order, so the surviving postings re-encode in sequence.
      const kept = emptyList();
      let slot = -1;
      let next = 0;
      for (let j = 0; j < list.gapCount; j++) {
        const gap = list.gaps[j] as number;
        if (gap === SKIP) {
          slot += MAX_GAP;
          continue;
        }
        slot += gap;
        const value = list.values[next++] as number;
        const target = renumbered[slot] as number;
        if (target >= 0) this.addPosting(kept, target, value);
      }
      kept.gaps = kept.gaps.slice(0, kept.gapCount);
      kept.values = kept.values.slice(0, kept.length);
      this.postings[d] = kept;
    });
    // Live rows move towards the front in order, so they are copied in place, never quantised twice.
    const dims = this.dimensions;
    let kept = 0;
    for (let row = 0; row < this.denseSlots.length; row++) {
      const slot = this.denseSlots[row] as number;
      if (slot < 0) continue;
      const target = renumbered[slot] as number;
      if (kept !== row) this.dense?.codes.copyWithin(kept * dims, row * dims, (row + 1) * dims);
      this.denseScales[kept] = this.denseScales[row] as number;
      this.denseSlots[kept] = target;
      denseRowOf[target] = kept++;
    }
    this.denseScales.length = kept;
    this.denseSlots.length = kept;
    this.ids = ids;
    this.statusCodes = statusCodes;
    this.alive = ids.map(() => true);
    this.denseRowOf = denseRowOf;
    this.postingCounts = postingCounts;
    this.deadPostings = 0;
  }

  private statusCode(status: string): number {
    let code = this.statusNames.indexOf(status);
    if (code < 0) code = this.statusNames.push(status) - 1;
    return code;
  }
}
