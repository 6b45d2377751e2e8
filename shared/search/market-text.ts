/**
 * What gets embedded for a market. Titles are short and say what the market is about; descriptions are
 * long and full of resolution boilerplate (sources, cut-off times), so the title is repeated to outweigh
 * it. Changing this function changes every content hash, so all markets get re-embedded once.
 */

export interface EmbeddableMarket {
  name: string;
  description?: string;
  category?: string | null;
}

const NAME_REPEATS = 2;

/** Builds the text embedded for a market: name (repeated for weight), category, then description. */
export function textForMarket(market: EmbeddableMarket): string {
  const name = market.name.trim();
  const parts: string[] = Array.from({ length: NAME_REPEATS }, () => name);
  const category = market.category?.trim();
  if (category) parts.push(category);
  const description = market.description?.trim();
  if (description) parts.push(description);
  // A sentence break between parts keeps word bigrams from bridging the name and the description.
  return parts.join(".\n");
}
