/**
 * Walks every market, drafts included, a page at a time through the status listing indexes: the
 * loop the maintenance scripts share. Returns how many markets it saw.
 */
import { marketRepository } from "../shared/composition/data.ts";
import { MARKET_STATUSES, type Market } from "../shared/domain/market.ts";

const PAGE_SIZE = 100;

export async function eachMarketPage(
  visit: (markets: Market[]) => Promise<void>,
  attributes?: readonly (keyof Market)[],
): Promise<number> {
  let seen = 0;
  let cursor: string | undefined;
  do {
    const page = await marketRepository().list({
      statuses: MARKET_STATUSES,
      sort: "createdAt",
      order: "asc",
      limit: PAGE_SIZE,
      cursor,
      ...(attributes ? { attributes } : {}),
    });
    await visit(page.items as Market[]);
    seen += page.items.length;
    cursor = page.nextCursor ?? undefined;
  } while (cursor);
  return seen;
}
