import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { type EvalSet, evaluate } from "../../../shared/search/evaluate.ts";
import { LocalEmbedder } from "../../../shared/search/local-embedder.ts";
import { BagOfWordsEmbedder } from "../../bench/bag-of-words-embedder.ts";

// The local embedder is deterministic, so these are exact regressions guards, not flaky timing checks.
const set = JSON.parse(
  readFileSync(new URL("../../fixtures/search-eval-set.json", import.meta.url), "utf8"),
) as EvalSet;

describe("search quality on the labeled set", () => {
  it("has a realistic, well-formed set", () => {
    const ids = new Set(set.markets.map((market) => market.id));
    expect(ids.size).toBe(set.markets.length);
    expect(set.markets.length).toBeGreaterThanOrEqual(48);
    expect(set.queries.length).toBeGreaterThanOrEqual(48);
    for (const query of [...set.queries, ...(set.holdoutQueries ?? [])]) {
      for (const id of query.relevant) expect(ids.has(id), `${query.query} → ${id}`).toBe(true);
    }
  });

  it("finds the right market in the top 3 for at least 90% of queries", async () => {
    const result = await evaluate(new LocalEmbedder(), set);
    expect(result.hitAt3).toBeGreaterThanOrEqual(0.9);
    expect(result.mrr).toBeGreaterThanOrEqual(0.9);
  });

  it("generalises to held-out queries it was never tuned on", async () => {
    const holdout = { markets: set.markets, queries: set.holdoutQueries ?? [] };
    expect(holdout.queries.length).toBeGreaterThanOrEqual(20);
    const result = await evaluate(new LocalEmbedder(), holdout);
    expect(result.hitAt3).toBeGreaterThanOrEqual(0.85);
  });

  it("beats plain bag-of-words hashing on MRR", async () => {
    const ours = await evaluate(new LocalEmbedder(), set);
    const baseline = await evaluate(new BagOfWordsEmbedder(), set);
    expect(ours.mrr).toBeGreaterThan(baseline.mrr);
  });
});
