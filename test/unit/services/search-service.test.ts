import { describe, expect, it } from "vitest";
import type { Market, MarketStatus } from "../../../shared/domain/market.ts";
import type { SearchQuery } from "../../../shared/domain/schemas.ts";
import type {
  ShardCursors,
  VectorChanges,
  VectorRecord,
} from "../../../shared/repositories/vector-repository.ts";
import { InProcessSearchEngine } from "../../../shared/search/in-process-engine.ts";
import { LocalEmbedder } from "../../../shared/search/local-embedder.ts";
import { textForMarket } from "../../../shared/search/market-text.ts";
import { SearchIndex } from "../../../shared/search/search-index.ts";
import { SearchService } from "../../../shared/services/search-service.ts";

const embedder = new LocalEmbedder({ dimensions: 256 });

function market(id: string, name: string, status: MarketStatus = "active"): Market {
  const at = "2030-01-01T00:00:00.000Z";
  return {
    id,
    name,
    description: "",
    category: null,
    status,
    outcome: null,
    closesAt: "2031-01-01T00:00:00.000Z",
    volume: 0,
    yesVolume: 0,
    noVolume: 0,
    creatorId: `u-${id}`,
    createdAt: at,
    updatedAt: at,
    version: 1,
  };
}

/**
 * `indexed` is what the vectors say (maybe stale); `current` is what the database holds now.
 * Fakes only: these are the service's rules, the adapters have their own integration tests.
 */
async function setup(indexed: Market[], current: Market[] = indexed) {
  const records: VectorRecord[] = await Promise.all(
    indexed.map(async (m) => {
      const [vector] = await embedder.embed([textForMarket(m)]);
      const at = "2030-01-01T00:00:00.000Z";
      return {
        marketId: m.id,
        status: m.status,
        model: embedder.model,
        dims: 256,
        contentHash: "",
        vector: vector as Float32Array,
        indexedAt: at,
      };
    }),
  );
  const vectors = {
    changedSince: async (cursors: ShardCursors): Promise<VectorChanges> =>
      cursors.S ? { records: [], cursors } : { records, cursors: { S: "done" } },
  };
  const batches: string[][] = [];
  const database = new Map(current.map((m) => [m.id, m]));
  const service = new SearchService({
    embedder,
    engine: new InProcessSearchEngine(
      new SearchIndex({ vectors, model: embedder.model, dimensions: 256, refreshMs: 60_000 }),
    ),
    markets: {
      getMany: async (ids) => {
        batches.push([...ids]);
        return new Map(ids.flatMap((id) => (database.has(id) ? [[id, database.get(id) as Market]] : [])));
      },
    },
    creators: {
      embed: async (markets) =>
        markets.map((m) => ({ ...m, creator: { id: m.creatorId, displayName: "alice" } })),
    },
  });
  const search = (query: Partial<SearchQuery> & { q: string }) =>
    service.search(undefined, { limit: 10, ...query });
  return { search, batches };
}

const rain = market("rain", "Will it rain in Paris on New Year's Day?");
const snow = market("snow", "Will it snow in Paris this winter?", "closed");
const btc = market("btc", "Will bitcoin close above $150k in 2027?");
const draft = market("draft", "Will it rain in Paris in a draft?", "draft");

describe("SearchService", () => {
  it("ranks by score, best first, with scores in (0, 1] and creators embedded", async () => {
    const { search } = await setup([rain, snow, btc]);
    const results = await search({ q: "rain in Paris" });
    expect(results[0]?.id).toBe("rain");
    expect(results.map((r) => r.score)).toEqual([...results.map((r) => r.score)].sort((a, b) => b - a));
    for (const r of results) expect(r.score > 0 && r.score <= 1).toBe(true);
    expect(results[0]?.creator).toEqual({ id: "u-rain", displayName: "alice" });
  });

  it("reads the candidates in one batch and cuts to the limit", async () => {
    const { search, batches } = await setup([rain, snow, btc]);
    expect(await search({ q: "Paris", limit: 1 })).toHaveLength(1);
    expect(batches).toHaveLength(1);
    expect(batches[0]?.sort()).toEqual(["btc", "rain", "snow"]);
  });

  it("never returns drafts, not even when asked for them", async () => {
    const { search, batches } = await setup([rain, draft], [rain, draft]);
    expect((await search({ q: "rain in Paris" })).map((r) => r.id)).toEqual(["rain"]);
    expect(await search({ q: "rain in Paris", status: "draft" })).toEqual([]);
    expect(batches).toHaveLength(1);
  });

  it("trusts the database over a lagging index: gone or re-statused markets drop out", async () => {
    const nowDraft = { ...snow, status: "draft" as const };
    const nowClosed = { ...btc, status: "closed" as const };
    const { search } = await setup([rain, snow, btc], [rain, nowDraft, nowClosed]);
    expect((await search({ q: "Paris bitcoin" })).map((r) => r.id).sort()).toEqual(["btc", "rain"]);
    expect((await search({ q: "Paris bitcoin", status: "active" })).map((r) => r.id)).toEqual(["rain"]);

    const { search: afterDelete } = await setup([rain, snow], [snow]);
    expect((await afterDelete({ q: "rain in Paris" })).map((r) => r.id)).toEqual(["snow"]);
  });

  it("filters by the requested status", async () => {
    const { search } = await setup([rain, snow, btc]);
    expect((await search({ q: "Paris", status: "closed" })).map((r) => r.id)).toEqual(["snow"]);
  });
});
