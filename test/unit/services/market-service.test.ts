/** MarketService's listing rules with fakes: which lists are answered without asking storage at all. */
import { describe, expect, it } from "vitest";
import type { Caller } from "../../../shared/auth/permissions.ts";
import type { Market } from "../../../shared/domain/market.ts";
import type { Page } from "../../../shared/domain/page.ts";
import type { MarketListQuery, MarketRepository } from "../../../shared/repositories/market-repository.ts";
import type { PositionRepository } from "../../../shared/repositories/position-repository.ts";
import type { UserRepository } from "../../../shared/repositories/user-repository.ts";
import { CreatorDirectory } from "../../../shared/services/creator-directory.ts";
import { IndexScheduler } from "../../../shared/services/index-scheduler.ts";
import { MarketService } from "../../../shared/services/market-service.ts";
import { Profiles } from "../../../shared/services/profiles.ts";

const notUsed = () => Promise.reject(new Error("not used by these tests"));

/** A service whose market list records each query it is asked and answers an empty page. */
function setup() {
  const queries: MarketListQuery[] = [];
  const markets = {
    list: async (query: MarketListQuery): Promise<Page<Partial<Market>>> => {
      queries.push(query);
      return { items: [], nextCursor: null };
    },
  } as unknown as MarketRepository;
  const users: UserRepository = {
    getSummary: notUsed,
    getSummaries: async () => new Map(),
    ensure: notUsed,
    upsert: notUsed,
  };
  const service = new MarketService({
    markets,
    positions: {} as PositionRepository,
    creators: new CreatorDirectory({ users }),
    profiles: new Profiles({ users }),
    indexing: new IndexScheduler({ jobs: async () => undefined }),
    newId: () => "id",
  });
  return { service, queries };
}

const draftsQuery = { status: "draft", sort: "createdAt", limit: 20 } as const;
const alice: Caller = { id: "u-alice", role: "user" };

describe("MarketService.list of drafts", () => {
  it("someone else's drafts are an empty page, without a query", async () => {
    const { service, queries } = setup();
    expect(await service.list(alice, { ...draftsQuery, creatorId: "u-bob" })).toEqual({
      items: [],
      nextCursor: null,
    });
    expect(queries).toEqual([]);
  });

  it("a user's own drafts are queried by its id, whether named or not", async () => {
    const { service, queries } = setup();
    await service.list(alice, draftsQuery);
    await service.list(alice, { ...draftsQuery, creatorId: "u-alice" });
    expect(queries.map((query) => query.creatorId)).toEqual(["u-alice", "u-alice"]);
  });

  it("a moderator's list is not narrowed", async () => {
    const { service, queries } = setup();
    await service.list({ id: "u-mod", role: "moderator" }, { ...draftsQuery, creatorId: "u-bob" });
    await service.list({ id: "u-mod", role: "moderator" }, draftsQuery);
    expect(queries.map((query) => query.creatorId)).toEqual(["u-bob", undefined]);
  });
});
