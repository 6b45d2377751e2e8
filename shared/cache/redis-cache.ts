/**
 * Redis adapter (ElastiCache, or any Redis-compatible serverless cache). The version guard runs as
 * one Lua script, so "compare and set" is atomic across every Lambda instance. The client module is
 * imported lazily: bundles only load it when CACHE_DRIVER=redis.
 */
import type { RedisClientType } from "@redis/client";
import { logger } from "../logger.ts";
import { type Cache, isMarker, TOMBSTONE_VERSION, type Versioned } from "./cache.ts";

// KEYS[1] = key, ARGV[1] = version, ARGV[2] = JSON value, ARGV[3] = ttl seconds
const SET_IF_NEWER = `
local current = redis.call('HGET', KEYS[1], 'v')
if current and tonumber(current) > tonumber(ARGV[1]) then return 0 end
redis.call('HSET', KEYS[1], 'v', ARGV[1], 'd', ARGV[2])
redis.call('EXPIRE', KEYS[1], ARGV[3])
return 1`;

export class RedisCache implements Cache {
  private client?: Promise<RedisClientType>;

  constructor(
    private readonly opts: {
      /** The URL, or a source of it (a secret holding the credentials), read when connecting. */
      url: string | (() => Promise<string>);
      ttlSeconds: number;
      prefix?: string;
      connectTimeoutMs?: number;
    },
  ) {}

  async get<T extends Versioned>(key: string): Promise<T | undefined> {
    const data = await this.run((client) => client.hGet(this.key(key), "d"));
    if (!data) return undefined;
    const value = JSON.parse(data) as T;
    return isMarker(value) ? undefined : value;
  }

  async set<T extends Versioned>(key: string, value: T): Promise<void> {
    await this.run((client) =>
      client.eval(SET_IF_NEWER, {
        keys: [this.key(key)],
        arguments: [String(value.version), JSON.stringify(value), String(this.opts.ttlSeconds)],
      }),
    );
  }

  async invalidate(key: string, minVersion = TOMBSTONE_VERSION): Promise<void> {
    await this.set(key, { version: minVersion, invalidated: true });
  }

  /** Run a command; a failure drops the connection so the next call reconnects once Redis is back. */
  private async run<R>(command: (client: RedisClientType) => Promise<R>): Promise<R> {
    try {
      return await command(await this.connect());
    } catch (error) {
      await this.close();
      throw error;
    }
  }

  async close(): Promise<void> {
    const client = await this.client?.catch(() => undefined);
    this.client = undefined;
    await client?.close().catch(() => undefined);
  }

  private key(key: string): string {
    return `${this.opts.prefix ?? "markets-api"}:${key}`;
  }

  private connect(): Promise<RedisClientType> {
    this.client ??= (async () => {
      const { createClient } = await import("@redis/client");
      const url = typeof this.opts.url === "string" ? this.opts.url : await this.opts.url();
      const client = createClient({
        url,
        // Fail fast and let the caller fall back to the database; never queue commands while down.
        socket: { connectTimeout: this.opts.connectTimeoutMs ?? 500, reconnectStrategy: false },
        disableOfflineQueue: true,
      }) as RedisClientType;
      client.on("error", (error: unknown) => logger.warn("redis client error", { error }));
      await client.connect();
      return client;
    })().catch((error: unknown) => {
      this.client = undefined;
      throw error;
    });
    return this.client;
  }
}
