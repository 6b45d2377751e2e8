/**
 * Cache-aside for single-market reads, as a decorator over any MarketRepository. Reads try the
 * cache, then the database, then fill the cache; writes go to the database first and then store
 * the new version (or a version floor), so a read right after a write never sees the old market.
 * Every cache failure degrades to the database: the cache can make reads faster, never fail them.
 */
import { bestEffort } from "../cache/best-effort.ts";
import type { Cache } from "../cache/cache.ts";
import type { Market, MarketChanges } from "../domain/market.ts";
import type { Position } from "../domain/position.ts";
import type {
  ChangeGuard,
  MarketListQuery,
  MarketRepository,
  NewMarketOptions,
  ReadOptions,
} from "./market-repository.ts";

export const marketCacheKey = (id: string): string => `market:${id}`;

export class CachedMarketRepository implements MarketRepository {
  constructor(private readonly opts: { inner: MarketRepository; cache: Cache }) {}

  async get(id: string, options?: ReadOptions): Promise<Market | undefined> {
    // A fresh read decides a write: no cached copy, however recent, may stand in for the stored one.
    if (options?.fresh) return this.opts.inner.get(id, options);
    const key = marketCacheKey(id);
    const cached = await bestEffort("get", () => this.opts.cache.get<Market>(key));
    if (cached) return cached;
    const market = await this.opts.inner.get(id);
    if (market) await bestEffort("set", () => this.opts.cache.set(key, market));
    return market;
  }

  list(query: MarketListQuery) {
    return this.opts.inner.list(query);
  }

  getMany(ids: readonly string[], attributes?: readonly (keyof Market)[]) {
    return this.opts.inner.getMany(ids, attributes);
  }

  async create(market: Market, options?: NewMarketOptions): Promise<Position | undefined> {
    const position = await this.opts.inner.create(market, options);
    // The market as written, initial volume included: the read after a create needs no database.
    await bestEffort("set", () => this.opts.cache.set(marketCacheKey(market.id), market), {
      marketId: market.id,
    });
    return position;
  }

  async update(id: string, changes: MarketChanges, guard: ChangeGuard, now: string): Promise<Market> {
    const market = await this.opts.inner.update(id, changes, guard, now);
    const key = marketCacheKey(id);
    const stored = await bestEffort("set", async () => {
      await this.opts.cache.set(key, market);
      return true;
    });
    // The old version may still be cached; a floor at the new one keeps reads from serving it.
    if (!stored) await bestEffort("invalidate", () => this.opts.cache.invalidate(key, market.version));
    return market;
  }

  async delete(id: string, version: number): Promise<void> {
    await this.opts.inner.delete(id, version);
    await bestEffort("invalidate", () => this.opts.cache.invalidate(marketCacheKey(id)));
  }
}
