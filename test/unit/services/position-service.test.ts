/** PositionService with fakes: the caller's positions (a market it cannot show is null) and opening one. */
import { describe, expect, it } from "vitest";
import type { Market } from "../../../shared/domain/market.ts";
import type { Position } from "../../../shared/domain/position.ts";
import { MarketNotActiveError } from "../../../shared/errors.ts";
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

describe("PositionService.open", () => {
  const caller = { id: "u-me", role: "user" } as const;
  const receipt = {
    ...position("m-1"),
    market: { id: "m-1", volume: 1, yesVolume: 1, noVolume: 0, version: 2 },
  };

  function openSetup(outcome: "written" | "refused", profileFails = false) {
    const ensured: string[] = [];
    const service = new PositionService({
      positions: {
        open: async () => {
          if (outcome === "refused") throw new MarketNotActiveError("m-1");
          return receipt;
        },
      } as unknown as PositionRepository,
      markets: {} as MarketRepository,
      marketService: { findVisible: async () => ({}) } as unknown as MarketService,
      directory: {} as CreatorDirectory,
      profiles: {
        ensureExists: async (who: { id: string }) => {
          if (profileFails) throw new Error("table unreachable");
          ensured.push(who.id);
        },
      } as unknown as Profiles,
      now: () => new Date("2030-01-01T00:00:00.000Z"),
    });
    return { service, ensured };
  }

  it("creates the caller's profile once the position is written", async () => {
    const { service, ensured } = openSetup("written");
    await expect(service.open(caller, "m-1", { side: "yes", amount: 1 })).resolves.toEqual(receipt);
    expect(ensured).toEqual(["u-me"]);
  });

  it("writes no profile for a refused position", async () => {
    const { service, ensured } = openSetup("refused");
    await expect(service.open(caller, "m-1", { side: "yes", amount: 1 })).rejects.toBeInstanceOf(
      MarketNotActiveError,
    );
    expect(ensured).toEqual([]);
  });

  it("answers the committed position even when the profile cannot be written", async () => {
    const { service } = openSetup("written", true);
    await expect(service.open(caller, "m-1", { side: "yes", amount: 1 })).resolves.toEqual(receipt);
  });
});
