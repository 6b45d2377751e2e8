/**
 * Keeps the market cache right when positions change markets, as a decorator over any
 * PositionRepository. A position bumps its market's volumes and version in the database, so the
 * cached market is dropped with the new version as floor: a reader that fetched the old version just
 * before cannot put it back. Cache failures are logged and never fail the position.
 */
import { bestEffort } from "../cache/best-effort.ts";
import type { Cache } from "../cache/cache.ts";
import type { Page } from "../domain/page.ts";
import type { Position, PositionReceipt } from "../domain/position.ts";
import { marketCacheKey } from "./cached-market-repository.ts";
import type { OpenPosition, PositionRepository } from "./position-repository.ts";

export class CachedPositionRepository implements PositionRepository {
  constructor(private readonly opts: { inner: PositionRepository; cache: Cache }) {}

  async open(input: OpenPosition): Promise<PositionReceipt> {
    const receipt = await this.opts.inner.open(input);
    const { marketId } = input;
    await bestEffort(
      "invalidate",
      () => this.opts.cache.invalidate(marketCacheKey(marketId), receipt.market.version),
      { marketId },
    );
    return receipt;
  }

  listForMarket(marketId: string, limit: number, cursor?: string): Promise<Page<Position>> {
    return this.opts.inner.listForMarket(marketId, limit, cursor);
  }

  listForUser(userId: string, limit: number, cursor?: string): Promise<Page<Position>> {
    return this.opts.inner.listForUser(userId, limit, cursor);
  }

  hasAny(marketId: string): Promise<boolean> {
    return this.opts.inner.hasAny(marketId);
  }
}
