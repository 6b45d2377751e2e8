/**
 * The in-process engine's index: the same contract as VectorIndex (exact cosine top-k), at a
 * quarter of its memory or less and, for the local embedder, a fraction of its time.
 *
 * Each vector is stored in whichever of two layouts is smaller:
 * - sparse, in an inverted index: per dimension a posting list of (slot, value), the value in
 *   16-bit fixed point and the slot as its low 16 bits (the high bits are implied by where the
 *   posting sits: lists are in slot order, and each keeps where every block of 65,536 slots
 *   starts). 4 bytes per non-zero: the local embedder's hashed features leave ~150-180 of 1,024
 *   dimensions non-zero, so a vector costs ~0.7 KB instead of 4 KB, and a query walks only the
 *   posting lists of its own ~50 non-zero dimensions instead of every vector.
 * - dense, int8 with one float scale per vector (dimensions + 4 bytes): a Bedrock-like vector
 *   has no zeros to skip, so it is scanned, but over a quarter of the bytes.
 * Fixed-point error is below 1e-4 on a cosine, so rankings match the float scan except for
 * near-ties; the benchmark measures recall against the exact scan.
 *
 * Removal marks the slot dead; dead postings are compacted away once they are a third of the
 * total, so the cost of updates is amortised and queries never pay for long-dead entries.
 */
import { type IndexEntry, MIN_SCORE, type ScoredId } from "./vector-index.ts";
import { WorstFirstHeap } from "./worst-first-heap.ts";

const FIXED_ONE = 32767;
const INT8_MAX = 127;
const BLOCK_BITS = 16;
const LOW_MASK = (1 << BLOCK_BITS) - 1;
const INITIAL_POSTINGS = 16;

/** One dimension's postings: parallel growable arrays, in ascending slot order. */
interface PostingList {
  lowSlots: Uint16Array;
  values: Int16Array;
  length: number;
  /** blockStarts[b]: index of the first posting whose slot is at least b * 65,536. */
  blockStarts: number[];
}

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
  private denseCodes = new Int8Array(0);
  private denseScales: number[] = [];
  private denseSlots: number[] = [];
  private readonly slotById = new Map<string, number>();
  private readonly statusNames: string[] = [];
  private deadPostings = 0;
  private livePostings = 0;
  private scores = new Float64Array(0);

  constructor(dimensions: number) {
    this.dimensions = dimensions;
    this.postings = Array.from({ length: dimensions }, () => ({
      lowSlots: new Uint16Array(0),
      values: new Int16Array(0),
      length: 0,
      blockStarts: [0],
    }));
  }

  get size(): number {
    return this.slotById.size;
  }

  /** Bytes held for the vectors themselves (postings, int8 rows, scales), excluding ids. */
  vectorBytes(): number {
    let bytes = 0;
    for (const list of this.postings) bytes += list.lowSlots.byteLength + list.values.byteLength;
    return bytes + this.denseCodes.byteLength + this.denseScales.length * 4;
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
        if (value !== 0) this.addPosting(d, slot, Math.round(value * FIXED_ONE));
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
      list.lowSlots = list.lowSlots.slice(0, list.length);
      list.values = list.values.slice(0, list.length);
    }
    this.denseCodes = this.denseCodes.slice(0, this.denseScales.length * this.dimensions);
  }

  /** Cosine of `query` with every slot (dead ones included; the caller skips them). */
  private accumulate(query: Float32Array): Float64Array {
    if (this.scores.length < this.ids.length) this.scores = new Float64Array(this.ids.length * 2);
    const scores = this.scores;
    scores.fill(0, 0, this.ids.length);
    for (let d = 0; d < query.length; d++) {
      const weight = (query[d] as number) / FIXED_ONE;
      if (weight === 0) continue;
      const { lowSlots, values, length, blockStarts } = this.postings[d] as PostingList;
      for (let block = 0; block < blockStarts.length; block++) {
        const base = block << BLOCK_BITS;
        const end = block + 1 < blockStarts.length ? (blockStarts[block + 1] as number) : length;
        for (let j = blockStarts[block] as number; j < end; j++) {
          const slot = base + (lowSlots[j] as number);
          scores[slot] = (scores[slot] as number) + weight * (values[j] as number);
        }
      }
    }
    const dims = this.dimensions;
    const codes = this.denseCodes;
    for (let row = 0; row < this.denseSlots.length; row++) {
      const slot = this.denseSlots[row] as number;
      if (slot < 0) continue;
      let dot = 0;
      const offset = row * dims;
      for (let d = 0; d < dims; d++) dot += (query[d] as number) * (codes[offset + d] as number);
      scores[slot] = dot * (this.denseScales[row] as number);
    }
    return scores;
  }

  private addPosting(dimension: number, slot: number, value: number): void {
    const list = this.postings[dimension] as PostingList;
    if (list.length === list.lowSlots.length) {
      const capacity = Math.max(INITIAL_POSTINGS, list.length * 2);
      const lowSlots = new Uint16Array(capacity);
      lowSlots.set(list.lowSlots);
      const values = new Int16Array(capacity);
      values.set(list.values);
      list.lowSlots = lowSlots;
      list.values = values;
    }
    // Slots only grow, so a posting for a later block opens it (and any empty ones before it).
    while (slot >> BLOCK_BITS >= list.blockStarts.length) list.blockStarts.push(list.length);
    list.lowSlots[list.length] = slot & LOW_MASK;
    list.values[list.length] = value;
    list.length++;
  }

  private addDenseRow(vector: Float32Array, slot: number): number {
    let max = 0;
    for (let d = 0; d < vector.length; d++) max = Math.max(max, Math.abs(vector[d] as number));
    const scale = max === 0 ? 0 : max / INT8_MAX;
    const row = this.denseScales.length;
    if ((row + 1) * this.dimensions > this.denseCodes.length) {
      const grown = new Int8Array(Math.max(64, (row + 1) * 2) * this.dimensions);
      grown.set(this.denseCodes);
      this.denseCodes = grown;
    }
    const offset = row * this.dimensions;
    for (let d = 0; d < vector.length; d++) {
      this.denseCodes[offset + d] = scale === 0 ? 0 : Math.round((vector[d] as number) / scale);
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
    for (const list of this.postings) {
      // Renumbering keeps the order, so postings only move towards the front: rewrite in place.
      const starts = list.blockStarts;
      const blockStarts = [0];
      let kept = 0;
      for (let block = 0; block < starts.length; block++) {
        const end = block + 1 < starts.length ? (starts[block + 1] as number) : list.length;
        for (let j = starts[block] as number; j < end; j++) {
          const slot = renumbered[(block << BLOCK_BITS) + (list.lowSlots[j] as number)] as number;
          if (slot < 0) continue;
          while (slot >> BLOCK_BITS >= blockStarts.length) blockStarts.push(kept);
          list.lowSlots[kept] = slot & LOW_MASK;
          list.values[kept] = list.values[j] as number;
          kept++;
        }
      }
      list.length = kept;
      list.blockStarts = blockStarts;
    }
    const codes = this.denseCodes;
    const scales = this.denseScales;
    const rows = this.denseSlots;
    this.denseCodes = new Int8Array(0);
    this.denseScales = [];
    this.denseSlots = [];
    rows.forEach((slot, row) => {
      if (slot < 0) return;
      const target = renumbered[slot] as number;
      denseRowOf[target] = this.copyDenseRow(codes, row, scales[row] as number, target);
    });
    this.ids = ids;
    this.statusCodes = statusCodes;
    this.alive = ids.map(() => true);
    this.denseRowOf = denseRowOf;
    this.postingCounts = postingCounts;
    this.deadPostings = 0;
  }

  /** Copies an already quantised row (compaction must not quantise twice). */
  private copyDenseRow(codes: Int8Array, fromRow: number, scale: number, slot: number): number {
    const row = this.denseScales.length;
    if ((row + 1) * this.dimensions > this.denseCodes.length) {
      const grown = new Int8Array(Math.max(64, (row + 1) * 2) * this.dimensions);
      grown.set(this.denseCodes);
      this.denseCodes = grown;
    }
    this.denseCodes.set(
      codes.subarray(fromRow * this.dimensions, (fromRow + 1) * this.dimensions),
      row * this.dimensions,
    );
    this.denseScales.push(scale);
    this.denseSlots.push(slot);
    return row;
  }

  private statusCode(status: string): number {
    let code = this.statusNames.indexOf(status);
    if (code < 0) code = this.statusNames.push(status) - 1;
    return code;
  }
}
