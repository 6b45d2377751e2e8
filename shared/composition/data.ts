/**
 * Repositories and the cache, each its own lazy singleton marked pure, so a bundle contains, and a
 * cold start builds, only what its handler reaches.
 */

import { secretsManagerValue } from "../auth/secret-value.ts";
import type { Cache } from "../cache/cache.ts";
import { sharedMemoryCache } from "../cache/memory-cache.ts";
import { RedisCache } from "../cache/redis-cache.ts";
import { CachedMarketRepository } from "../repositories/cached-market-repository.ts";
import { CachedPositionRepository } from "../repositories/cached-position-repository.ts";
import { DynamoMarketRepository } from "../repositories/dynamo-market-repository.ts";
import { DynamoPositionRepository } from "../repositories/dynamo-position-repository.ts";
import { DynamoUserRepository } from "../repositories/dynamo-user-repository.ts";
import type { MarketRepository } from "../repositories/market-repository.ts";
import type { PositionRepository } from "../repositories/position-repository.ts";
import { once } from "../util/once.ts";
import { documentClient, table } from "./clients.ts";
import { config } from "./environment.ts";

export const cache = /* @__PURE__ */ once((): Cache | undefined => {
  const { CACHE_DRIVER, REDIS_URL, REDIS_URL_SECRET_ARN, CACHE_TTL_SECONDS, CACHE_MAX_ENTRIES } = config();
  // Deployed, credentials come as a secret's ARN and are read when the cache first connects.
  const redisUrl =
    REDIS_URL || (REDIS_URL_SECRET_ARN ? secretsManagerValue(REDIS_URL_SECRET_ARN) : undefined);
  if (CACHE_DRIVER === "redis" && redisUrl)
    return new RedisCache({ url: redisUrl, ttlSeconds: CACHE_TTL_SECONDS });
  if (CACHE_DRIVER === "memory")
    return sharedMemoryCache({ ttlSeconds: CACHE_TTL_SECONDS, maxEntries: CACHE_MAX_ENTRIES });
  return undefined;
});

/** The uncached repository: consistent reads, for work that must see the write that queued it. */
export const dynamoMarketRepository = /* @__PURE__ */ once(
  () => new DynamoMarketRepository({ table: table(), db: documentClient() }),
);

export const marketRepository = /* @__PURE__ */ once((): MarketRepository => {
  const inner = dynamoMarketRepository();
  const store = cache();
  return store ? new CachedMarketRepository({ inner, cache: store }) : inner;
});

export const userRepository = /* @__PURE__ */ once(
  () => new DynamoUserRepository({ table: table(), db: documentClient() }),
);

export const positionRepository = /* @__PURE__ */ once((): PositionRepository => {
  const inner = new DynamoPositionRepository({ table: table(), db: documentClient() });
  const store = cache();
  return store ? new CachedPositionRepository({ inner, cache: store }) : inner;
});
