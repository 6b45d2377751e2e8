/**
 * Seeded synthetic market texts for benchmarks at sizes the labeled set cannot reach: each market
 * recombines the labeled set's own texts (one market's name and description, plus up to eight
 * words drawn from the others), so the local embedder sees the vocabulary, lengths and sparsity of real markets.
 */
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";

interface LabeledMarket {
  name: string;
  description?: string;
  category?: string;
}

const EVAL_SET = fileURLToPath(new URL("../fixtures/search-eval-set.json", import.meta.url));

export function syntheticMarketTexts(count: number, seed = 1): string[] {
  const { markets } = JSON.parse(readFileSync(EVAL_SET, "utf8")) as { markets: LabeledMarket[] };
  const words = markets.flatMap((market) => `${market.name} ${market.description ?? ""}`.split(/\s+/));
  let state = seed >>> 0;
  const next = (n: number) => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state % n;
  };
  return Array.from({ length: count }, (_, i) => {
    const base = markets[next(markets.length)] as LabeledMarket;
    const extra = Array.from({ length: next(9) }, () => words[next(words.length)]).join(" ");
    return `${base.name} ${extra} #${i}\n${base.description ?? ""}\n${base.category ?? ""}`;
  });
}
