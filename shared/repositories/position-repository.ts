/** Port: positions and the transactions that keep them and their market's volumes in step. */
import type { Side } from "../domain/market.ts";
import type { Page } from "../domain/page.ts";
import type { Position, PositionReceipt } from "../domain/position.ts";
import type { ProfileToEnsure } from "./profile-item.ts";

export interface OpenPosition {
  marketId: string;
  userId: string;
  side: Side;
  amount: number;
  now: string;
  /** The user's profile, created with these defaults in the same transaction if it is missing. */
  ensureProfile?: ProfileToEnsure;
}

export interface PositionRepository {
  /**
   * Atomically: the market (if active and not past closesAt) gains `amount` of volume and version+1,
   * and the user's position on it gains `amount` on `side`. Throws NotFound or MarketNotActive.
   */
  open(input: OpenPosition): Promise<PositionReceipt>;
  listForMarket(marketId: string, limit: number, cursor?: string): Promise<Page<Position>>;
  listForUser(userId: string, limit: number, cursor?: string): Promise<Page<Position>>;
  hasAny(marketId: string): Promise<boolean>;
}
