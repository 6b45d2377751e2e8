/** Position use cases: taking a position, and the two position lists with users or markets embedded. */

import type { Caller } from "../auth/permissions.ts";
import type { Market } from "../domain/market.ts";
import type { Page } from "../domain/page.ts";
import type {
  OpenPositionInput,
  PositionReceipt,
  PositionWithMarket,
  PositionWithUser,
} from "../domain/position.ts";
import type { PageQuery } from "../domain/schemas.ts";
import { MarketNotActiveError } from "../errors.ts";
import { METRIC, type MetricsRecorder } from "../metrics/metrics-recorder.ts";
import type { MarketRepository } from "../repositories/market-repository.ts";
import type { PositionRepository } from "../repositories/position-repository.ts";
import type { CreatorDirectory } from "./creator-directory.ts";
import type { MarketService } from "./market-service.ts";
import type { Profiles } from "./profiles.ts";

export interface PositionServiceOptions {
  positions: PositionRepository;
  markets: MarketRepository;
  marketService: MarketService;
  /** Display names of the users holding positions. */
  directory: CreatorDirectory;
  profiles: Profiles;
  /** Positions opened and their amounts; none recorded when omitted. */
  metrics?: MetricsRecorder;
  now?: () => Date;
}

/** The market summary embedded in the caller's positions. */
type MarketSummary = NonNullable<PositionWithMarket["market"]>;

export class PositionService {
  constructor(private readonly opts: PositionServiceOptions) {}

  async open(caller: Caller, marketId: string, input: OpenPositionInput): Promise<PositionReceipt> {
    const now = (this.opts.now?.() ?? new Date()).toISOString();
    // The profile is ensured inside the position's transaction: no round trip of its own.
    const ensureProfile = this.opts.profiles.toEnsure(caller);
    const receipt = await this.opts.positions
      .open({ marketId, userId: caller.id, ...input, now, ensureProfile })
      .then((opened) => {
        this.opts.profiles.written(ensureProfile);
        return opened;
      })
      .catch(async (error: unknown) => {
        // Someone else's draft is not "not active" but invisible: a 404 (API.md order: 404 before 409).
        // Checked only on failure, so a successful position costs no extra read; fresh, because it
        // decides the answer to a write.
        if (error instanceof MarketNotActiveError)
          await this.opts.marketService.findVisible(caller, marketId, { fresh: true });
        throw error;
      });
    this.opts.metrics?.record([
      { name: METRIC.positionsOpened, unit: "Count", value: 1 },
      { name: METRIC.positionVolume, unit: "None", value: input.amount },
    ]);
    return receipt;
  }

  /** Positions on a market, each with its holder; one batch read of users per page. */
  async listForMarket(
    caller: Caller | undefined,
    marketId: string,
    page: PageQuery,
  ): Promise<Page<PositionWithUser>> {
    // Side by side: the positions are only shown if the market is visible, and a read can be discarded.
    const [, result] = await Promise.all([
      this.opts.marketService.findVisible(caller, marketId),
      this.opts.positions.listForMarket(marketId, page.limit, page.cursor),
    ]);
    const user = await this.opts.directory.lookup(result.items.map((position) => position.userId));
    return {
      items: result.items.map((position) => ({ ...position, user: user(position.userId) })),
      nextCursor: result.nextCursor,
    };
  }

  /** The caller's positions, each with its market; one batch read of markets per page. */
  async listMine(caller: Caller, page: PageQuery): Promise<Page<PositionWithMarket>> {
    const result = await this.opts.positions.listForUser(caller.id, page.limit, page.cursor);
    const markets = await this.opts.markets.getMany(
      result.items.map((position) => position.marketId),
      ["id", "name", "status", "closesAt"],
    );
    return {
      items: result.items.map((position) => ({
        ...position,
        market: summaryOf(markets.get(position.marketId)),
      })),
      nextCursor: result.nextCursor,
    };
  }
}

/** The summary of a market as read, or null when it is gone or lacks a field: nothing is made up. */
function summaryOf(market: Partial<Market> | undefined): MarketSummary | null {
  if (!market) return null;
  const { id, name, status, closesAt } = market;
  if (typeof id !== "string" || typeof name !== "string" || typeof closesAt !== "string" || !status)
    return null;
  return { id, name, status, closesAt };
}
