import { type Embedder, normaliseInPlace } from "./embedder.ts";
import { contentTermsBySentence, fnv1a } from "./text-features.ts";

/**
 * Offline embedder: hashed, weighted bag of stems + stem bigrams + character n-grams. No model download,
 * no network, deterministic across runs and machines, tens of microseconds per text. It cannot know that "truce" means
 * "ceasefire" unless the vocabulary says so, which is the gap a learned model (BedrockEmbedder) closes.
 *
 * There is no corpus at embed time, so IDF is approximated with fixed priors: content words are weighted by
 * length (longer stems are rarer), years are down-weighted (most markets name one), bigrams reward word
 * order matches, and character n-grams give partial credit for spelling variants and unknown inflections.
 */

export interface FeatureWeights {
  unigram: number;
  /** Extra unigram weight per character beyond 3, capped at `lengthCap` characters. */
  perChar: number;
  lengthCap: number;
  year: number;
  number: number;
  bigram: number;
  /** Total weight shared by all character n-grams of one stem. */
  charGrams: number;
  minGram: number;
  maxGram: number;
}

export const DEFAULT_FEATURE_WEIGHTS: FeatureWeights = {
  unigram: 1,
  perChar: 0.1,
  lengthCap: 9,
  year: 0.4,
  number: 1,
  bigram: 0.6,
  charGrams: 0.8,
  minGram: 3,
  maxGram: 5,
};

export interface LocalEmbedderOptions {
  /** 1024 float32s = 4 KB per vector: fewer hash collisions than 512 at a size DynamoDB handles easily. */
  dimensions?: number;
  /** Overrides for tuning and ablation; changing them changes the vector space, so bump `model`. */
  weights?: Partial<FeatureWeights>;
  model?: string;
}

const YEAR = /^(19|20)\d\d$/;
const NUMERIC = /^\d/;
// A second multiplier decorrelates the sign bit from the bucket index for non-power-of-two dimensions.
const SIGN_MIX = 0x9e3779b1;

export class LocalEmbedder implements Embedder {
  readonly model: string;
  readonly dimensions: number;
  private readonly weights: FeatureWeights;

  constructor(options: LocalEmbedderOptions = {}) {
    this.dimensions = options.dimensions ?? 1024;
    if (!Number.isInteger(this.dimensions) || this.dimensions < 16) {
      throw new RangeError(`dimensions must be an integer >= 16, got ${this.dimensions}`);
    }
    this.weights = { ...DEFAULT_FEATURE_WEIGHTS, ...options.weights };
    this.model = options.model ?? `local-hash-v1-${this.dimensions}`;
  }

  async embed(texts: readonly string[]): Promise<Float32Array[]> {
    return texts.map((text) => this.embedOne(text));
  }

  /** Synchronous core, exposed for the worker's batch loop and benchmarks. */
  embedOne(text: string): Float32Array {
    const features = this.extractFeatures(text);
    const vector = new Float32Array(this.dimensions);
    for (const [feature, { weight, count }] of features) {
      const hash = fnv1a(feature);
      const sign = Math.imul(hash, SIGN_MIX) < 0 ? -1 : 1;
      // Sub-linear tf: a word repeated five times is more relevant, not five times more.
      const bucket = hash % this.dimensions;
      vector[bucket] = (vector[bucket] as number) + sign * weight * (1 + Math.log(count));
    }
    return normaliseInPlace(vector);
  }

  private extractFeatures(text: string): Map<string, { weight: number; count: number }> {
    const w = this.weights;
    const features = new Map<string, { weight: number; count: number }>();
    const add = (feature: string, weight: number): void => {
      const existing = features.get(feature);
      if (existing) existing.count++;
      else features.set(feature, { weight, count: 1 });
    };
    for (const stems of contentTermsBySentence(text)) {
      for (let i = 0; i < stems.length; i++) {
        const stem = stems[i] as string;
        add(`w:${stem}`, this.unigramWeight(stem));
        if (i > 0) add(`b:${stems[i - 1]} ${stem}`, w.bigram);
        // Numbers get no n-grams: "150000" and "250000" share "000" but mean different thresholds.
        if (w.charGrams > 0 && !NUMERIC.test(stem)) this.addCharGrams(stem, add);
      }
    }
    return features;
  }

  private unigramWeight(stem: string): number {
    const w = this.weights;
    if (YEAR.test(stem)) return w.year;
    if (NUMERIC.test(stem)) return w.number;
    return w.unigram + w.perChar * Math.max(0, Math.min(stem.length, w.lengthCap) - 3);
  }

  private addCharGrams(stem: string, add: (feature: string, weight: number) => void): void {
    const padded = `<${stem}>`;
    const { minGram, maxGram } = this.weights;
    let grams = 0;
    for (let n = minGram; n <= maxGram; n++) grams += Math.max(0, padded.length - n + 1);
    if (grams === 0) return;
    // Shared budget: long words would otherwise dominate just by having more n-grams.
    const weight = this.weights.charGrams / Math.sqrt(grams);
    for (let n = minGram; n <= maxGram; n++) {
      for (let start = 0; start + n <= padded.length; start++)
        add(`c:${padded.slice(start, start + n)}`, weight);
    }
  }
}
