/** Port: market storage as the services need it. Adapters: DynamoDB, and a caching decorator. */
import type { Market, MarketChanges, MarketStatus } from "../domain/market.ts";
import type { Page } from "../domain/page.ts";
import type { OpenPositionInput, Position } from "../domain/position.ts";
import type { ProfileToEnsure } from "./profile-item.ts";

export type MarketSort = "createdAt" | "volume" | "closesAt";
export type SortOrder = "asc" | "desc";

export interface MarketListQuery {
  statuses: readonly MarketStatus[];
  creatorId?: string;
  category?: string;
  sort: MarketSort;
  order: SortOrder;
  limit: number;
  offset?: number;
  cursor?: string;
  /** Market attributes to read; undefined = all. */
  attributes?: readonly (keyof Market)[];
}

/** Conditions a change is applied under; a failed one is a PreconditionFailed or Conflict error. */
export interface ChangeGuard {
  /** If-Match: the version the client saw. */
  version?: number;
  /** The status the transition was validated against. */
  status?: MarketStatus;
  /**
   * The market as the change was decided on. The creator and category listing keys combine status
   * and category, so a change of either derives them from the other as read here, and the write is
   * conditioned on that other one being unchanged (a ConflictError otherwise). Required by any
   * change of status or category.
   */
  basis?: Pick<Market, "creatorId" | "status" | "category">;
}

export interface ReadOptions {
  /**
   * Read the stored market, bypassing any cache. Whatever decides a write (its 404, its checks, its
   * conditions) reads fresh; only plain reads (GET, lists) may be served a cached copy.
   */
  fresh?: boolean;
}

/** What a new market is written with, all in one transaction. */
export interface NewMarketOptions {
  /** The creator's first position; the market's volumes must already include it. */
  initialPosition?: OpenPositionInput;
  /** The creator's profile, created with these defaults if it is missing. */
  ensureProfile?: ProfileToEnsure;
}

export interface MarketRepository {
  get(id: string, options?: ReadOptions): Promise<Market | undefined>;
  list(query: MarketListQuery): Promise<Page<Partial<Market>>>;
  /** Markets by id, reading only `attributes`; missing ids are simply absent. */
  getMany(
    ids: readonly string[],
    attributes?: readonly (keyof Market)[],
  ): Promise<Map<string, Partial<Market>>>;
  /** Write a new market (and what `options` adds) or nothing; answers the initial position, if any. */
  create(market: Market, options?: NewMarketOptions): Promise<Position | undefined>;
  /** Apply only the given fields (others are untouched), bump `version`, return the new market. */
  update(id: string, changes: MarketChanges, guard: ChangeGuard, now: string): Promise<Market>;
  /** Delete if still at `version` (a position in between bumps it). */
  delete(id: string, version: number): Promise<void>;
}
