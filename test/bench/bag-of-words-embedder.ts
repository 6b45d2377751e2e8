import { type Embedder, normaliseInPlace } from "../../shared/search/embedder.ts";
import { fnv1a } from "../../shared/search/text-features.ts";

/**
 * The trivial baseline the local embedder has to beat: lower-cased words, raw counts, signed hashing.
 * No stop words, stemming, aliases, bigrams or n-grams, so the gap to LocalEmbedder measures what those
 * buy. Lives under test/ because nothing in production should ever use it.
 */
export class BagOfWordsEmbedder implements Embedder {
  readonly model = "bag-of-words-baseline";
  readonly dimensions: number;

  constructor(dimensions = 1024) {
    this.dimensions = dimensions;
  }

  async embed(texts: readonly string[]): Promise<Float32Array[]> {
    return texts.map((text) => {
      const vector = new Float32Array(this.dimensions);
      for (const word of text.toLowerCase().split(/[^a-z0-9]+/)) {
        if (!word) continue;
        const hash = fnv1a(word);
        const bucket = hash % this.dimensions;
        vector[bucket] = (vector[bucket] as number) + (hash & 0x80000000 ? -1 : 1);
      }
      return normaliseInPlace(vector);
    });
  }
}
