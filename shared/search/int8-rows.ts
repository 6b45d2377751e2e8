/**
 * The dense int8 rows of CompactVectorIndex, held in WebAssembly memory and scanned with 128-bit
 * SIMD: JavaScript has no SIMD, so its int8 scan is no faster than a float one (87 ms at 50,000
 * rows of 1,024), while `i32x4.dot_i16x8_s` multiplies and adds eight pairs per instruction
 * (~2.5 ms). Where the kernel cannot run (dimensions not a multiple of 16, no WebAssembly SIMD)
 * the rows live in an ordinary buffer and are scanned in JavaScript, with the same results up to
 * the query's rounding.
 *
 * The module is ~200 bytes, assembled here rather than shipped as a binary so that it can be read
 * and reviewed; it is compiled on the first dense row, never at import. Its one function:
 *
 *   scan(codes, rows, dims, query, out): for each of `rows` rows of `dims` int8 codes starting at
 *   `codes`, out[row] = Σ codes[row][d] × query[d] as a float64, `query` being `dims` int16s.
 *
 * `dims` must be a positive multiple of 16. The query is scaled to at most 16,383 so that no 32-bit
 * lane can overflow up to 4,096 dimensions (each lane sums dims / 4 products of ≤ 127 × 16,383).
 *
 * Memory layout: the rows from offset 0, then the query and the outputs of one chunk of rows.
 */

export const QUERY_MAX = 16_383;
const PAGE = 65_536;
const LANES = 16;
/** Rows per kernel call: the outputs' scratch stays 32 KB whatever the number of rows. */
const CHUNK_ROWS = 4096;

// biome-ignore format: one instruction per line reads like the text format
const SCAN_BODY = [
  0x02, 0x40, //                      block $done
  0x03, 0x40, //                        loop $rows
  0x20, 5, 0x20, 1, 0x4f, 0x0d, 1, //     br_if $done (row >= rows)
  0xfd, 0x0c, ...new Array(16).fill(0), 0x21, 7, // acc = 0
  0x41, 0, 0x21, 6, //                    d = 0
  0x03, 0x40, //                          loop $dims
  0x20, 0, 0x20, 6, 0x6a, 0xfd, 0x00, 0, 0, 0x21, 8, // c = v128.load(codes + d)
  0x20, 7, //                               acc
  0x20, 8, 0xfd, 0x87, 0x01, //             extend_low_i8x16_s(c)
  0x20, 3, 0x20, 6, 0x41, 1, 0x74, 0x6a, 0xfd, 0x00, 0, 0, // v128.load(query + 2d)
  0xfd, 0xba, 0x01, 0xfd, 0xae, 0x01, //    acc + dot
  0x20, 8, 0xfd, 0x88, 0x01, //             extend_high_i8x16_s(c)
  0x20, 3, 0x20, 6, 0x41, 1, 0x74, 0x6a, 0xfd, 0x00, 0, 16, // v128.load(query + 2d + 16)
  0xfd, 0xba, 0x01, 0xfd, 0xae, 0x01, 0x21, 7, // acc = acc + dot
  0x20, 6, 0x41, LANES, 0x6a, 0x22, 6, 0x20, 2, 0x49, 0x0d, 0, // d += 16; br_if $dims (d < dims)
  0x0b, //                                end
  0x20, 4, 0x20, 5, 0x41, 3, 0x74, 0x6a, // &out[row]
  0x20, 7, 0xfd, 0x1b, 0, 0xb7, //        f64(lane 0)
  0x20, 7, 0xfd, 0x1b, 1, 0xb7, 0xa0, //  + f64(lane 1)
  0x20, 7, 0xfd, 0x1b, 2, 0xb7, 0xa0, //  + f64(lane 2)
  0x20, 7, 0xfd, 0x1b, 3, 0xb7, 0xa0, //  + f64(lane 3)
  0x39, 3, 0, //                          f64.store
  0x20, 0, 0x20, 2, 0x6a, 0x21, 0, //     codes += dims
  0x20, 5, 0x41, 1, 0x6a, 0x21, 5, //     row += 1
  0x0c, 0, //                             br $rows
  0x0b, //                              end
  0x0b, //                            end
  0x0b, //                          end of function
];

const leb = (value: number): number[] => {
  const bytes: number[] = [];
  let rest = value >>> 0;
  do {
    const byte = rest & 0x7f;
    rest >>>= 7;
    bytes.push(rest === 0 ? byte : byte | 0x80);
  } while (rest !== 0);
  return bytes;
};
const section = (id: number, content: number[]): number[] => [id, ...leb(content.length), ...content];
const name = (text: string): number[] => [text.length, ...Array.from(text, (ch) => ch.charCodeAt(0))];

function moduleBytes(): Uint8Array {
  const I32 = 0x7f;
  const V128 = 0x7b;
  // Locals after the five parameters: row (5), d (6): i32; acc (7), c (8): v128.
  const body = [2, 2, I32, 2, V128, ...SCAN_BODY];
  return Uint8Array.from([
    0x00,
    0x61,
    0x73,
    0x6d,
    0x01,
    0x00,
    0x00,
    0x00,
    ...section(1, [1, 0x60, 5, I32, I32, I32, I32, I32, 0]),
    ...section(3, [1, 0]),
    ...section(5, [1, 0x00, 1]),
    ...section(7, [2, ...name("scan"), 0x00, 0, ...name("memory"), 0x02, 0]),
    ...section(10, [1, ...leb(body.length), ...body]),
  ]);
}

type Scan = (codes: number, rows: number, dims: number, query: number, out: number) => void;

/** The slice of the WebAssembly API used here (the project's type libraries do not declare it). */
interface WasmMemory {
  readonly buffer: ArrayBuffer;
  grow(pages: number): number;
}
interface WasmApi {
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object) => { exports: Record<string, unknown> };
}
const wasm = (globalThis as { WebAssembly?: WasmApi }).WebAssembly;

let compiled: object | null | undefined;

/** The compiled module, or null where WebAssembly SIMD is unavailable. */
function kernelModule(): object | null {
  if (compiled === undefined) {
    try {
      compiled = wasm ? new wasm.Module(moduleBytes()) : null;
    } catch {
      compiled = null;
    }
  }
  return compiled;
}

/** Whether rows of `dimensions` codes can be scanned by the SIMD kernel here. */
export function simdScanAvailable(dimensions: number): boolean {
  return dimensions > 0 && dimensions % LANES === 0 && dimensions <= 4096 && kernelModule() !== null;
}

/** Growable int8 rows of `dimensions` codes, and their dot products with a query. */
export class Int8Rows {
  /** Rows of codes from offset 0; re-made whenever the storage grows (views detach). */
  codes = new Int8Array(0);
  private memory: WasmMemory | undefined;
  private scanFn: Scan | undefined;
  private readonly query: Int16Array;
  private out = new Float64Array(0);

  constructor(private readonly dimensions: number) {
    this.query = new Int16Array(dimensions);
    if (simdScanAvailable(dimensions)) this.instantiate();
  }

  /** Whether scans run in the SIMD kernel (else in JavaScript). */
  get simd(): boolean {
    return this.memory !== undefined;
  }

  /** Bytes held, growth headroom included (trim() drops it). */
  get byteLength(): number {
    return this.memory ? this.memory.buffer.byteLength : this.codes.byteLength;
  }

  /** Makes room for `rows` rows (and a scan's scratch), growing by a quarter at least. */
  reserve(rows: number, exact = false): void {
    const needed = this.scratchOffset(rows) + (this.memory ? this.dimensions * 2 + CHUNK_ROWS * 8 : 0);
    const have = this.byteLength;
    if (needed <= have) return;
    const target = exact ? needed : Math.max(needed, Math.ceil(have * 1.25));
    if (this.memory) {
      this.memory.grow(Math.ceil((target - have) / PAGE));
      this.codes = new Int8Array(this.memory.buffer);
    } else {
      const grown = new Int8Array(target);
      grown.set(this.codes);
      this.codes = grown;
    }
  }

  /** Keeps the first `rows` rows and releases the headroom around them. */
  trim(rows: number): void {
    const kept = this.codes.slice(0, rows * this.dimensions);
    if (this.memory) this.instantiate();
    else this.codes = new Int8Array(0);
    this.reserve(rows, true);
    this.codes.set(kept);
  }

  /** Each of the first `rows` rows' dot product with `query`, in the query's own units. */
  dots(rows: number, query: Float32Array): Float64Array {
    if (this.out.length < rows) this.out = new Float64Array(Math.max(64, rows * 2));
    if (!this.memory || !this.scanFn) return this.jsDots(rows, query);
    let max = 0;
    for (let d = 0; d < query.length; d++) max = Math.max(max, Math.abs(query[d] as number));
    const scale = max === 0 ? 0 : max / QUERY_MAX;
    for (let d = 0; d < query.length; d++)
      this.query[d] = scale === 0 ? 0 : Math.round((query[d] as number) / scale);
    this.reserve(rows);
    const queryAt = this.scratchOffset(rows);
    const outAt = queryAt + this.dimensions * 2;
    new Int16Array(this.memory.buffer, queryAt, this.dimensions).set(this.query);
    const chunk = new Float64Array(this.memory.buffer, outAt, CHUNK_ROWS);
    const { out } = this;
    for (let start = 0; start < rows; start += CHUNK_ROWS) {
      const count = Math.min(CHUNK_ROWS, rows - start);
      this.scanFn(start * this.dimensions, count, this.dimensions, queryAt, outAt);
      for (let i = 0; i < count; i++) out[start + i] = (chunk[i] as number) * scale;
    }
    return out;
  }

  private jsDots(rows: number, query: Float32Array): Float64Array {
    const { codes, dimensions: dims, out } = this;
    for (let row = 0; row < rows; row++) {
      let dot = 0;
      const offset = row * dims;
      for (let d = 0; d < dims; d++) dot += (query[d] as number) * (codes[offset + d] as number);
      out[row] = dot;
    }
    return out;
  }

  private instantiate(): void {
    const instance = new (wasm as WasmApi).Instance(kernelModule() as object);
    this.memory = instance.exports.memory as WasmMemory;
    this.scanFn = instance.exports.scan as Scan;
    this.codes = new Int8Array(this.memory.buffer);
  }

  /** 16-byte aligned offset just past `rows` rows. */
  private scratchOffset(rows: number): number {
    return Math.ceil((rows * this.dimensions) / LANES) * LANES;
  }
}
