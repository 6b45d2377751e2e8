/** PositionService's rule for the caller's positions, with fakes: a market it cannot show is null. */
import { describe, expect, it } from "vitest";
import type { Market } from "../../../shared/domain/market.ts";
import type { Position } from "../../../shared/domain/position.ts";
import type { MarketRepository } from "../../../shared/repositories/market-repository.ts";
import type { PositionRepository } from "../../../shared/repositories/position-repository.ts";
import type { CreatorDirectory } from "../../../shared/services/creator-directory.ts";
import type { MarketService } from "../../../shared/services/market-service.ts";
import { PositionService } from "../../../shared/services/position-service.ts";
import type { Profiles } from "../../../shared/services/profiles.ts";

const position = (marketId: string): Position => ({
  marketId,
  userId: "u-me",
  yesAmount: 1,
  noAmount: 0,
  updatedAt: "2030-01-01T00:00:00.000Z",
});

/** Positions on `found`'s markets plus one on a market that is gone. */
function setup(found: Record<string, Partial<Market>>) {
  const ids = [...Object.keys(found), "m-gone"];
  const positions = {
    listForUser: async () => ({ items: ids.map(position), nextCursor: null }),
  } as unknown as PositionRepository;
  const markets = {
    getMany: async () => new Map(Object.entries(found)),
  } as unknown as MarketRepository;
  return new PositionService({
    positions,
    markets,
    marketService: {} as MarketService,
    directory: {} as CreatorDirectory,
    profiles: {} as Profiles,
  });
}

describe("PositionService.listMine", () => {
  it("embeds complete markets and null for missing or incomplete ones, never made-up values", async () => {
    const service = setup({
      "m-ok": { id: "m-ok", name: "Complete", status: "closed", closesAt: "2031-01-01T00:00:00.000Z" },
      "m-no-name": { id: "m-no-name", status: "active", closesAt: "2031-01-01T00:00:00.000Z" },
      "m-no-status": { id: "m-no-status", name: "No status", closesAt: "2031-01-01T00:00:00.000Z" },
      "m-no-close": { id: "m-no-close", name: "No close", status: "active" },
    });
    const page = await service.listMine({ id: "u-me", role: "user" }, { limit: 20 });
    expect(Object.fromEntries(page.items.map((item) => [item.marketId, item.market]))).toEqual({
      "m-ok": { id: "m-ok", name: "Complete", status: "closed", closesAt: "2031-01-01T00:00:00.000Z" },
      "m-no-name": null,
      "m-no-status": null,
      "m-no-close": null,
      "m-gone": null,
    });
    expect(page.items[0]).toMatchObject({ marketId: "m-ok", userId: "u-me", yesAmount: 1 });
  });
});
