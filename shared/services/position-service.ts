/** Position use cases: taking a position, and the two position lists with users or markets embedded. */
import type { Caller } from "../auth/permissions.ts";
import type { Page } from "../domain/page.ts";
import type {
  OpenPositionInput,
  PositionReceipt,
  PositionWithMarket,
  PositionWithUser,
} from "../domain/position.ts";
import type { PageQuery } from "../domain/schemas.ts";
import { MarketNotActiveError } from "../errors.ts";
import type { MarketRepository } from "../repositories/market-repository.ts";
import type { PositionRepository } from "../repositories/position-repository.ts";
import type { CreatorDirectory } from "./creator-directory.ts";
import type { MarketService } from "./market-service.ts";
import type { Profiles } from "./profiles.ts";

export interface PositionServiceOptions {
  positions: PositionRepository;
  markets: MarketRepository;
  marketService: MarketService;
  users: CreatorDirectory;
  profiles: Profiles;
  /** Called after a position changed a market, so caches drop versions older than `version`. */
  onMarketChanged?: (marketId: string, version: number) => Promise<void>;
  now?: () => Date;
}

export class PositionService {
  constructor(private readonly opts: PositionServiceOptions) {}

  async open(caller: Caller, marketId: string, input: OpenPositionInput): Promise<PositionReceipt> {
    const now = (this.opts.now?.() ?? new Date()).toISOString();
    await this.opts.profiles.ensure(caller, now);
    const receipt = await this.opts.positions
      .open({ marketId, userId: caller.id, ...input, now })
      .catch(async (error: unknown) => {
        // Someone else's draft is not "not active" but invisible: a 404 (API.md order: 404 before 409).
        // Checked only on failure, so a successful position costs no extra read.
        if (error instanceof MarketNotActiveError)
          await this.opts.marketService.findVisible(caller, marketId);
        throw error;
      });
    await this.opts.onMarketChanged?.(marketId, receipt.market.version);
    return receipt;
  }

  /** Positions on a market, each with its holder; one batch read of users per page. */
  async listForMarket(
    caller: Caller | undefined,
    marketId: string,
    page: PageQuery,
  ): Promise<Page<PositionWithUser>> {
    await this.opts.marketService.findVisible(caller, marketId);
    const result = await this.opts.positions.listForMarket(marketId, page.limit, page.cursor);
    const user = await this.opts.users.lookup(result.items.map((position) => position.userId));
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
    const items = result.items.map((position) => {
      const market = markets.get(position.marketId);
      return {
        ...position,
        market: market
          ? {
              id: position.marketId,
              name: String(market.name),
              status: market.status ?? "active",
              closesAt: String(market.closesAt),
            }
          : null,
      };
    });
    return { items, nextCursor: result.nextCursor };
  }
}
