/** Port: positions and the transactions that keep them and their market's volumes in step. */
import type { Market, Side } from "../domain/market.ts";
import type { Page } from "../domain/page.ts";
import type { Position, PositionReceipt } from "../domain/position.ts";

export interface OpenPosition {
  marketId: string;
  userId: string;
  side: Side;
  amount: number;
  now: string;
}

export interface PositionRepository {
  /**
   * Atomically: the market (if active and not past closesAt) gains `amount` of volume and version+1,
   * and the user's position on it gains `amount` on `side`. Throws NotFound or MarketNotActive.
   */
  open(input: OpenPosition): Promise<PositionReceipt>;
  /** Create a market and its creator's first position: both or neither. */
  createMarketWithPosition(
    market: Market,
    position: Omit<OpenPosition, "marketId" | "userId" | "now">,
  ): Promise<Position>;
  listForMarket(marketId: string, limit: number, cursor?: string): Promise<Page<Position>>;
  listForUser(userId: string, limit: number, cursor?: string): Promise<Page<Position>>;
  hasAny(marketId: string): Promise<boolean>;
}
