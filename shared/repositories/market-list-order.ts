/**
 * What both market list paths share: the sort value of an item, how sort values compare, the
 * cursor (tagged with the ordering, its key validated) and the projection of a returned item.
 */
import type { Market } from "../domain/market.ts";
import { decodeCursor } from "./cursor.ts";
import { fromMarketItem, isStoredVolumeKey, sortKeys } from "./market-item.ts";
import type { MarketListQuery, MarketSort } from "./market-repository.ts";

/** The market field each sort orders by. */
export const SORT_SOURCE: Record<MarketSort, keyof Market> = {
  createdAt: "createdAt",
  volume: "volume",
  closesAt: "closesAt",
};

const ID = "[A-Za-z0-9_-]{1,128}";
const ISO = "\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}\\.\\d{3}Z";
const CURSOR_KEY: Record<MarketSort, RegExp | ((key: string) => boolean)> = {
  createdAt: new RegExp(`^${ISO}#${ID}$`),
  closesAt: new RegExp(`^${ISO}#${ID}$`),
  volume: isStoredVolumeKey,
};

/** The tag of a list's cursors: a cursor is only valid for the ordering it came from. */
export const orderingOf = (query: MarketListQuery): string => `${query.sort}:${query.order}`;

/** The sort value to resume after, or undefined on a first page; a bad cursor is a ValidationError. */
export function cursorKeyOf(query: MarketListQuery): string | undefined {
  return query.cursor === undefined
    ? undefined
    : decodeCursor(query.cursor, orderingOf(query), CURSOR_KEY[query.sort]);
}

/** An item's sort value for `sort`, exactly as the listing index stores it. */
export function sortKeyOf(sort: MarketSort, item: Record<string, unknown>): string {
  const keys = sortKeys({
    id: String(item.id),
    createdAt: String(item.createdAt),
    closesAt: String(item.closesAt),
    volume: Number(item.volume ?? 0),
  });
  return sort === "volume" ? keys.volumeKey : sort === "createdAt" ? keys.createdKey : keys.closesKey;
}

/** Compare two sort values the way the index orders them (numerically for volume). */
export function compare(sort: MarketSort, a: string, b: string): number {
  if (sort !== "volume") return a < b ? -1 : a > b ? 1 : 0;
  const [ai = "0", af = ""] = a.split(".");
  const [bi = "0", bf = ""] = b.split(".");
  if (ai.length !== bi.length) return ai.length - bi.length;
  return ai < bi ? -1 : ai > bi ? 1 : af < bf ? -1 : af > bf ? 1 : 0;
}

/** Whether sort value `a` comes strictly before `b` in the query's sort and order. */
export function precedes(query: MarketListQuery): (a: string, b: string) => boolean {
  return (a, b) => (query.order === "asc" ? compare(query.sort, a, b) < 0 : compare(query.sort, a, b) > 0);
}

/** The domain shape of a stored item, with only the attributes asked for (plus id). */
export function project(
  item: Record<string, unknown>,
  attributes: MarketListQuery["attributes"],
): Partial<Market> {
  const market = fromMarketItem(item);
  if (!attributes) return market;
  const wanted = new Set<string>(["id", ...attributes]);
  return Object.fromEntries(Object.entries(market).filter(([name]) => wanted.has(name))) as Partial<Market>;
}
