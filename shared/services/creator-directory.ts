/**
 * Embeds `creator: { id, displayName }` into a page of markets with ONE batch read of the distinct
 * creators, instead of one read per market (the N+1 problem).
 */
import type { Market, MarketWithCreator, UserSummary } from "../domain/market.ts";
import type { UserRepository } from "../repositories/user-repository.ts";

export class CreatorDirectory {
  constructor(private readonly opts: { users: UserRepository }) {}

  async embed<T extends Pick<Market, "creatorId">>(
    markets: readonly T[],
  ): Promise<(T & Pick<MarketWithCreator, "creator">)[]> {
    const users = await this.lookup(markets.map((market) => market.creatorId));
    return markets.map((market) => ({ ...market, creator: users(market.creatorId) }));
  }

  /** Resolve many user ids at once; an id without a profile shows the id as its name. */
  async lookup(ids: readonly string[]): Promise<(id: string) => UserSummary> {
    const unique = [...new Set(ids.filter((id) => typeof id === "string"))];
    const found = await this.opts.users.getSummaries(unique);
    return (id) => found.get(id) ?? { id, displayName: id };
  }
}
