/**
 * Composition root of search, next to shared/container.ts and built the same way: one lazy,
 * pure-annotated singleton per dependency, so the search route and the index worker each bundle
 * and build only what they reach. The Bedrock client is imported on first use only, so a
 * deployment with the local embedder never loads it.
 */
import { config } from "../config.ts";
import { documentClient, marketRepository, metricsRecorder, userRepository } from "../container.ts";
import { DynamoMarketRepository } from "../repositories/dynamo-market-repository.ts";
import { DynamoVectorRepository } from "../repositories/dynamo-vector-repository.ts";
import { CreatorDirectory } from "../services/creator-directory.ts";
import { MarketIndexer } from "../services/market-indexer.ts";
import { SearchService } from "../services/search-service.ts";
import { once } from "../util/once.ts";
import type { Embedder } from "./embedder.ts";
import { LocalEmbedder } from "./local-embedder.ts";
import { SearchIndex } from "./search-index.ts";

/** Resolves Bedrock's module on the first embed, then delegates to it. */
class LazyBedrockEmbedder implements Embedder {
  // Titan v2 at 1024 dimensions, BedrockEmbedder's default; known up front so the index can be sized.
  readonly dimensions = 1024;
  private loaded: Promise<Embedder> | undefined;

  constructor(
    readonly model: string,
    private readonly region: string,
  ) {}

  embed(texts: readonly string[]): Promise<Float32Array[]> {
    this.loaded ??= import("./bedrock-embedder.ts").then(
      ({ BedrockEmbedder }) =>
        new BedrockEmbedder({ modelId: this.model, dimensions: this.dimensions, region: this.region }),
    );
    return this.loaded.then((embedder) => embedder.embed(texts));
  }
}

/** The embedder both sides use: the indexer for markets, search for queries. */
export const embedder = /* @__PURE__ */ once((): Embedder => {
  const { EMBEDDER, BEDROCK_MODEL_ID, AWS_REGION } = config();
  return EMBEDDER === "bedrock" ? new LazyBedrockEmbedder(BEDROCK_MODEL_ID, AWS_REGION) : new LocalEmbedder();
});

export const vectorRepository = /* @__PURE__ */ once(
  () => new DynamoVectorRepository({ table: config().TABLE_NAME, db: documentClient() }),
);

export const searchIndex = /* @__PURE__ */ once(
  () =>
    new SearchIndex({
      vectors: vectorRepository(),
      model: embedder().model,
      dimensions: embedder().dimensions,
      refreshMs: config().SEARCH_REFRESH_MS,
    }),
);

export const searchService = /* @__PURE__ */ once(
  () =>
    new SearchService({
      embedder: embedder(),
      index: searchIndex(),
      markets: marketRepository(),
      creators: new CreatorDirectory({ users: userRepository() }),
      metrics: metricsRecorder(),
    }),
);

export const marketIndexer = /* @__PURE__ */ once(
  () =>
    new MarketIndexer({
      // The plain DynamoDB repository, not the cached one: its get is a consistent read, and the
      // job must see the write that queued it, not a cached version from before.
      markets: new DynamoMarketRepository({ table: config().TABLE_NAME, db: documentClient() }),
      vectors: vectorRepository(),
      embedder: embedder(),
    }),
);
