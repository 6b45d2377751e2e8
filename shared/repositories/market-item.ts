/**
 * How a market is stored: the domain fields plus the keys of the listing indexes. Sort values end
 * with the id so they are unique, which lets a cursor resume with a key condition.
 */
import { NumberValue } from "@aws-sdk/lib-dynamodb";
import { MARKET_ATTRIBUTES, type Market, type MarketStatus } from "../domain/market.ts";
import { keys } from "./table-schema.ts";

export type MarketItem = Market & ReturnType<typeof keys.market> & ReturnType<typeof listingKeys>;

/**
 * `listPk` groups markets by status; each sortable field gets a sort attribute. `creatorKey` puts the
 * market in its (creator, status) partition of the three creator indexes, `categoryKey` a market that
 * has a category in its (category, status) partition of the three category indexes; both follow the
 * status, and `categoryKey` the category too (absent without one). `creatorSort` and `categorySort`
 * are `<createdAt>#<id>`, immutable.
 */
export function listingKeys(
  market: Pick<Market, "id" | "status" | "creatorId" | "category" | "createdAt" | "closesAt" | "volume">,
): {
  listPk: string;
  createdKey: string;
  closesKey: string;
  volumeKey: string;
  creatorKey: string;
  creatorSort: string;
  categoryKey?: string;
  categorySort?: string;
} {
  return {
    listPk: listPartition(market.status),
    ...sortKeys(market),
    creatorKey: creatorPartition(market.creatorId, market.status),
    creatorSort: `${market.createdAt}#${market.id}`,
    ...(market.category
      ? {
          categoryKey: categoryPartition(market.category, market.status),
          categorySort: `${market.createdAt}#${market.id}`,
        }
      : {}),
  };
}

/** The sort value of each sortable field, as the listing indexes store it. */
export function sortKeys(market: Pick<Market, "id" | "createdAt" | "closesAt" | "volume">) {
  return {
    createdKey: `${market.createdAt}#${market.id}`,
    closesKey: `${market.closesAt}#${market.id}`,
    volumeKey: volumeSortKey(market.volume, market.id),
  };
}

export const listPartition = (status: MarketStatus): string => `STATUS#${status}`;
export const creatorPartition = (creatorId: string, status: MarketStatus): string =>
  `CREATOR#${creatorId}#${status}`;
export const categoryPartition = (category: string, status: MarketStatus): string =>
  `CATEGORY#${category}#${status}`;

/**
 * The volume sort key is a DynamoDB number: volume in cents plus a fraction derived from the id.
 * Being a number, a position can `ADD` its amount in cents inside the same transaction that
 * changes the volume (no read-modify-write), and the fraction keeps equal volumes in a stable,
 * unique order. 16 integer digits + 20 fraction digits stay within DynamoDB's 38-digit precision.
 */
export function volumeSortKey(volume: number, id: string): string {
  return `${Math.round(volume * 100)}.${idFraction(id)}`;
}

/** Integer part (cents) as DynamoDB returns it (no leading zeros), then the 20-digit id fraction. */
const VOLUME_KEY = /^(0|[1-9]\d{0,15})\.\d{20}$/;

/**
 * Whether `key` is a volume sort key this table can hold, for keys that come back from clients in
 * cursors: at most 16 integer digits, no more cents than a volume can reach (a safe integer, since
 * volumes are JavaScript numbers), and exactly 20 fraction digits, so at most 36 significant
 * digits, within DynamoDB's 38 (a longer number is a ValidationException, which was a 500).
 */
export function isStoredVolumeKey(key: string): boolean {
  const match = VOLUME_KEY.exec(key);
  return match !== null && Number(match[1]) <= Number.MAX_SAFE_INTEGER;
}

function idFraction(id: string): string {
  // FNV-1a over the id, twice with different seeds, gives 20 stable decimal digits.
  let a = 0x811c9dc5;
  let b = 0x01000193;
  for (let i = 0; i < id.length; i++) {
    a = Math.imul(a ^ id.charCodeAt(i), 0x01000193) >>> 0;
    b = Math.imul(b ^ id.charCodeAt(i), 0x811c9dc5) >>> 0;
  }
  // A trailing non-zero digit keeps DynamoDB from normalising the number's text away from ours.
  // b can have 10 digits; keeping 9 makes the fraction exactly 20 digits (the cursor's shape).
  return `${a.toString().padStart(10, "0")}${(b % 1_000_000_000).toString().padStart(9, "0")}1`;
}

export function toMarketItem(market: Market): MarketItem {
  return { ...keys.market(market.id), ...listingKeys(market), ...market };
}

/** The item to Put for a new market: the volume sort key as a DynamoDB number, so positions can ADD to it. */
export function newMarketItem(market: Market): Record<string, unknown> {
  const item = toMarketItem(market);
  return { ...item, volumeKey: NumberValue.from(item.volumeKey) };
}

/** Strip storage attributes (keys, listing keys), so callers only ever see the domain shape. */
export function fromMarketItem(item: Record<string, unknown>): Partial<Market> {
  const market: Record<string, unknown> = {};
  for (const name of MARKET_ATTRIBUTES) {
    if (name in item) market[name] = item[name];
  }
  return market as Partial<Market>;
}
