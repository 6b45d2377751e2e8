import { describe, expect, it } from "vitest";
import { contentHash, decodeVector, encodeVector } from "../../../shared/search/vector-codec.ts";

describe("vector codec", () => {
  it("round-trips float32 values exactly, including edge values", () => {
    const vector = Float32Array.from([0, -0, 1, -1, 0.1, 3.4e38, -1.5e-45, Number.NaN]);
    const decoded = decodeVector(encodeVector(vector));
    expect(Array.from(decoded)).toEqual(Array.from(vector));
  });

  it("writes 4 little-endian bytes per dimension", () => {
    const bytes = encodeVector(Float32Array.from([1, -2]));
    expect(bytes.byteLength).toBe(8);
    // 1.0f = 0x3f800000, -2.0f = 0xc0000000, least significant byte first.
    expect(Array.from(bytes)).toEqual([0x00, 0x00, 0x80, 0x3f, 0x00, 0x00, 0x00, 0xc0]);
  });

  it("decodes a view into a larger buffer, as the SDK may return", () => {
    const payload = encodeVector(Float32Array.from([0.25, 0.5, 0.75]));
    const backing = new Uint8Array(payload.byteLength + 7);
    backing.set(payload, 3);
    const view = backing.subarray(3, 3 + payload.byteLength);
    expect(Array.from(decodeVector(view))).toEqual([0.25, 0.5, 0.75]);
  });

  it("rejects byte lengths that are not whole floats", () => {
    expect(() => decodeVector(new Uint8Array(6))).toThrow(RangeError);
  });

  it("hashes content as sha256 hex, stable and sensitive to any change", () => {
    expect(contentHash("")).toBe("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    expect(contentHash("Will it rain?")).toBe(contentHash("Will it rain?"));
    expect(contentHash("Will it rain?")).not.toBe(contentHash("Will it rain!"));
    expect(contentHash("é")).toMatch(/^[0-9a-f]{64}$/);
  });
});
