/**
 * The embedding port. Search (query side, in the API Lambda) and indexing (market side, in the worker)
 * must use the same implementation and the same `model`, otherwise the vectors live in different spaces;
 * `model` is stored next to every vector so a model change can be detected and triggers re-embedding.
 */
export interface Embedder {
  /** Stable model identifier stored next to each vector, e.g. "local-hash-v1" or the Bedrock model id. */
  readonly model: string;
  readonly dimensions: number;
  /** One L2-normalised vector per text, same order. */
  embed(texts: readonly string[]): Promise<Float32Array[]>;
}

/** Scales `vector` in place to unit length; an all-zero vector (empty text) is left as is. */
export function normaliseInPlace(vector: Float32Array): Float32Array {
  let sumOfSquares = 0;
  for (let i = 0; i < vector.length; i++) {
    const value = vector[i] as number;
    sumOfSquares += value * value;
  }
  if (sumOfSquares === 0) return vector;
  const scale = 1 / Math.sqrt(sumOfSquares);
  for (let i = 0; i < vector.length; i++) vector[i] = (vector[i] as number) * scale;
  return vector;
}

/** Dot product; equals cosine similarity for the unit vectors every `Embedder` returns. */
export function dot(a: Float32Array, b: Float32Array): number {
  if (a.length !== b.length) throw new RangeError(`dimension mismatch: ${a.length} vs ${b.length}`);
  let sum = 0;
  for (let i = 0; i < a.length; i++) sum += (a[i] as number) * (b[i] as number);
  return sum;
}
