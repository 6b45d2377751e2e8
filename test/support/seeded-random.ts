/**
 * Reproducible randomness for tests. Random fixtures find orderings nobody thought of, but a failure
 * has to be replayable: every test draws from a seeded generator (mulberry32) instead of
 * Math.random. The seed is fixed unless TEST_SEED is set, and a run with TEST_SEED prints it, so a
 * failure found with another seed can be replayed with the same one.
 */

export interface SeededRandom {
  readonly seed: number;
  /** A float in [0, 1), like Math.random. */
  next(): number;
  /** An integer in [0, maxExclusive). */
  int(maxExclusive: number): number;
  /** A shuffled copy (Fisher–Yates). */
  shuffle<T>(items: readonly T[]): T[];
}

/** The seed used when a test does not pass one: TEST_SEED if set, else a fixed value. */
export function testSeed(fallback = 20_261_201): number {
  const fromEnv = process.env.TEST_SEED;
  if (fromEnv === undefined) return fallback;
  const seed = Number(fromEnv);
  if (!Number.isInteger(seed)) throw new Error(`TEST_SEED must be an integer, got "${fromEnv}"`);
  console.info(`[seeded-random] TEST_SEED=${seed}`);
  return seed;
}

export function seededRandom(seed = testSeed()): SeededRandom {
  let state = seed >>> 0;
  // mulberry32: tiny, fast and well distributed enough for fixtures; not for cryptography.
  const next = () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
  const int = (maxExclusive: number) => Math.floor(next() * maxExclusive);
  return {
    seed,
    next,
    int,
    shuffle: (items) => {
      const copy = [...items];
      for (let i = copy.length - 1; i > 0; i--) {
        const j = int(i + 1);
        [copy[i], copy[j]] = [copy[j] as (typeof copy)[number], copy[i] as (typeof copy)[number]];
      }
      return copy;
    },
  };
}
