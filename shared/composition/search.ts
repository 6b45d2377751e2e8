/**
 * Search wiring: the embedder both sides use, the vector store, the in-memory index, the search
 * service and the indexer. The Bedrock client is imported on first use only, so a deployment with
 * the local embedder never loads it.
 */

import { DynamoVectorRepository } from "../repositories/dynamo-vector-repository.ts";
import { EMBEDDING_DIMENSIONS } from "../repositories/vector-schema.ts";
import { DynamoVectorSearch } from "../search/dynamo-vector-search.ts";
import type { Embedder } from "../search/embedder.ts";
import { InProcessSearchEngine } from "../search/in-process-engine.ts";
import { LocalEmbedder } from "../search/local-embedder.ts";
import type { SearchEngine } from "../search/search-engine.ts";
import { SearchIndex } from "../search/search-index.ts";
import { MarketIndexer } from "../services/market-indexer.ts";
import { SearchService } from "../services/search-service.ts";
import { once } from "../util/once.ts";
import { documentClient, table } from "./clients.ts";
import { dynamoMarketRepository, marketRepository } from "./data.ts";
import { config } from "./environment.ts";
import { metricsRecorder } from "./observability.ts";
import { creators } from "./services.ts";

/** Resolves Bedrock's module on the first embed, then delegates to it. */
class LazyBedrockEmbedder implements Embedder {
  // Known up front so the index can be sized; the stack sizes the vector index from the same constant.
  readonly dimensions = EMBEDDING_DIMENSIONS.bedrock;
  private loaded: Promise<Embedder> | undefined;

  constructor(
    readonly model: string,
    private readonly region: string,
  ) {}

  embed(texts: readonly string[]): Promise<Float32Array[]> {
    this.loaded ??= import("../search/bedrock-embedder.ts").then(
      ({ BedrockEmbedder }) =>
        new BedrockEmbedder({ modelId: this.model, dimensions: this.dimensions, region: this.region }),
    );
    return this.loaded.then((embedder) => embedder.embed(texts));
  }
}

/** The embedder both sides use: the indexer for markets, search for queries. */
export const embedder = /* @__PURE__ */ once((): Embedder => {
  const { EMBEDDER, BEDROCK_MODEL_ID, AWS_REGION } = config();
  return EMBEDDER === "bedrock"
    ? new LazyBedrockEmbedder(BEDROCK_MODEL_ID, AWS_REGION)
    : new LocalEmbedder({ dimensions: EMBEDDING_DIMENSIONS.local });
});

/** The worker writes each vector in the form its engine reads: a list for the index, bytes otherwise. */
export const vectorRepository = /* @__PURE__ */ once(
  () =>
    new DynamoVectorRepository({
      table: table(),
      db: documentClient(),
      form: config().SEARCH_ENGINE === "dynamodb" ? "list" : "binary",
    }),
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

/** The search port's engine; the in-process index is only built (and loaded) when it is the one. */
export const searchEngine = /* @__PURE__ */ once(
  (): SearchEngine =>
    config().SEARCH_ENGINE === "dynamodb"
      ? new DynamoVectorSearch({ table: table(), db: documentClient() })
      : new InProcessSearchEngine(searchIndex()),
);

export const searchService = /* @__PURE__ */ once(
  () =>
    new SearchService({
      embedder: embedder(),
      engine: searchEngine(),
      markets: marketRepository(),
      creators: creators(),
      metrics: metricsRecorder(),
    }),
);

export const marketIndexer = /* @__PURE__ */ once(
  () =>
    new MarketIndexer({
      // The plain DynamoDB repository, not the cached one: its get is a consistent read, and the
      // job must see the write that queued it, not a cached version from before.
      markets: dynamoMarketRepository(),
      vectors: vectorRepository(),
      embedder: embedder(),
    }),
);
