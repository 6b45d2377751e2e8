import { describe, expect, it } from "vitest";
import { dot } from "../../../shared/search/embedder.ts";
import { LocalEmbedder } from "../../../shared/search/local-embedder.ts";
import { normaliseTokens } from "../../../shared/search/text-features.ts";

const norm = (vector: Float32Array): number => Math.sqrt(dot(vector, vector));

describe("LocalEmbedder", () => {
  const embedder = new LocalEmbedder();

  it("defaults to 1024 dimensions (4 KB as float32) and honours the option", async () => {
    expect(embedder.dimensions).toBe(1024);
    const [vector] = await embedder.embed(["Will it rain in Paris?"]);
    expect(vector).toHaveLength(1024);
    expect(vector?.byteLength).toBeLessThanOrEqual(4096);
    const small = new LocalEmbedder({ dimensions: 256 });
    const [smallVector] = await small.embed(["Will it rain in Paris?"]);
    expect(smallVector).toHaveLength(256);
    expect(small.model).not.toBe(embedder.model);
  });

  it("is deterministic across calls and instances", async () => {
    const text = "Will Bitcoin close above $150k in 2026?";
    const [first] = await embedder.embed([text]);
    const [second] = await new LocalEmbedder().embed([text]);
    expect(Array.from(first ?? [])).toEqual(Array.from(second ?? []));
  });

  it("returns unit vectors in input order, and a zero vector for text with no content", async () => {
    const texts = ["Will Ethereum reach $10,000?", "Fed rate cut in March", "the of and"];
    const vectors = await embedder.embed(texts);
    expect(vectors).toHaveLength(3);
    expect(norm(vectors[0] as Float32Array)).toBeCloseTo(1, 5);
    expect(norm(vectors[1] as Float32Array)).toBeCloseTo(1, 5);
    expect(norm(vectors[2] as Float32Array)).toBe(0);
    const [alone] = await embedder.embed([texts[1] as string]);
    expect(Array.from(alone ?? [])).toEqual(Array.from(vectors[1] ?? []));
  });

  it("places paraphrases closer than unrelated markets", async () => {
    const [market, paraphrase, unrelated] = await embedder.embed([
      "Will it rain in Paris on 2027-01-01?",
      "paris rainfall on new year's day",
      "Will the Boston Celtics win the NBA Finals?",
    ]);
    const similar = dot(market as Float32Array, paraphrase as Float32Array);
    expect(similar).toBeGreaterThan(dot(market as Float32Array, unrelated as Float32Array) + 0.2);
  });

  it("keeps near-confusable markets apart by city and threshold", async () => {
    const [query, paris, london] = await embedder.embed([
      "rain in paris",
      "Will it rain in Paris on 2027-01-01?",
      "Will it rain in London on 2027-01-01?",
    ]);
    expect(dot(query as Float32Array, paris as Float32Array)).toBeGreaterThan(
      dot(query as Float32Array, london as Float32Array),
    );
    const [btcQuery, above150k, below50k] = await embedder.embed([
      "btc over 150000",
      "Will Bitcoin close above $150k in 2026?",
      "Will Bitcoin fall below $50,000 in 2026?",
    ]);
    expect(dot(btcQuery as Float32Array, above150k as Float32Array)).toBeGreaterThan(
      dot(btcQuery as Float32Array, below50k as Float32Array),
    );
  });

  it("rejects dimensions too small to hash into", () => {
    expect(() => new LocalEmbedder({ dimensions: 4 })).toThrow(RangeError);
  });
});

describe("normaliseTokens", () => {
  it("canonicalises money, percentages, dates, accents and aliases", () => {
    expect(normaliseTokens("$150k")).toEqual(["150000"]);
    expect(normaliseTokens("150,000 dollars")).toEqual(["150000", "dollars"]);
    expect(normaliseTokens("$5T or 5 trillion")).toEqual(["5000000000000", "or", "5000000000000"]);
    expect(normaliseTokens("above 3.0%")).toEqual(["above", "3", "percent"]);
    expect(normaliseTokens("2027-01-01")).toEqual(["2027", "january", "1"]);
    expect(normaliseTokens("Pogačar's BTC")).toEqual(["pogacar", "bitcoin"]);
    expect(normaliseTokens("the US Federal Reserve")).toEqual(["the", "usa", "fed"]);
    expect(normaliseTokens("tell us who")).toEqual(["tell", "us", "who"]);
  });
});

describe("words that name Object.prototype's members", () => {
  it("embed like any other word", async () => {
    const embedder = new LocalEmbedder();
    for (const word of ["constructor", "__proto__", "toString", "hasOwnProperty", "valueOf"]) {
      const [vector] = await embedder.embed([word]);
      expect(vector?.length, word).toBe(embedder.dimensions);
    }
  });
});
