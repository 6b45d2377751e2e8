import { createHash } from "node:crypto";

/**
 * Vectors are stored in a DynamoDB Binary attribute as raw little-endian float32 bytes: 4 bytes per
 * dimension (4 KB for 1024 dimensions) instead of the ~10x larger JSON number list, and decoding is a
 * copy rather than a parse. Little-endian is fixed explicitly so the format does not depend on the host.
 */

const BYTES_PER_FLOAT = 4;

/** Serialises a vector as little-endian float32 bytes. */
export function encodeVector(vector: Float32Array): Uint8Array {
  const bytes = new Uint8Array(vector.length * BYTES_PER_FLOAT);
  const view = new DataView(bytes.buffer);
  for (let i = 0; i < vector.length; i++) view.setFloat32(i * BYTES_PER_FLOAT, vector[i] as number, true);
  return bytes;
}

/** Parses little-endian float32 bytes written by `encodeVector`. */
export function decodeVector(bytes: Uint8Array): Float32Array {
  if (bytes.byteLength % BYTES_PER_FLOAT !== 0) {
    throw new RangeError(`vector byte length ${bytes.byteLength} is not a multiple of ${BYTES_PER_FLOAT}`);
  }
  const vector = new Float32Array(bytes.byteLength / BYTES_PER_FLOAT);
  // The SDK may hand back a view into a larger buffer, so honour byteOffset.
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  for (let i = 0; i < vector.length; i++) vector[i] = view.getFloat32(i * BYTES_PER_FLOAT, true);
  return vector;
}

/** SHA-256 hex of the embedded text, stored with the vector so unchanged markets are not re-embedded. */
export function contentHash(text: string): string {
  return createHash("sha256").update(text, "utf8").digest("hex");
}
