import { describe, expect, it } from "vitest";
import { parseConfig } from "../../shared/config.ts";

const SECRET = "s".repeat(32);
const BASE = { TABLE_NAME: "markets", JWT_SECRET: SECRET };

function problemOf(env: Record<string, string | undefined>): string {
  try {
    parseConfig(env);
  } catch (error) {
    return (error as Error).message;
  }
  throw new Error("expected parseConfig to fail");
}

describe("parseConfig", () => {
  it("fills the documented defaults", () => {
    const config = parseConfig(BASE);
    expect(config).toMatchObject({
      TABLE_NAME: "markets",
      AWS_REGION: "us-east-1",
      CACHE_DRIVER: "memory",
      CACHE_TTL_SECONDS: 300,
      CACHE_MAX_ENTRIES: 1000,
      RATE_LIMIT_READS_PER_MINUTE: 100,
      RATE_LIMIT_WRITES_PER_MINUTE: 20,
      RATE_LIMIT_ENABLED: true,
      EMBEDDER: "local",
      SEARCH_REFRESH_MS: 1000,
    });
    expect(config.REDIS_URL).toBeUndefined();
  });

  it("coerces numbers and flags", () => {
    const config = parseConfig({
      ...BASE,
      RATE_LIMIT_READS_PER_MINUTE: "5",
      RATE_LIMIT_ENABLED: "false",
      SEARCH_REFRESH_MS: "0",
    });
    expect(config.RATE_LIMIT_READS_PER_MINUTE).toBe(5);
    expect(config.RATE_LIMIT_ENABLED).toBe(false);
    expect(config.SEARCH_REFRESH_MS).toBe(0);
    expect(parseConfig({ ...BASE, RATE_LIMIT_ENABLED: "1" }).RATE_LIMIT_ENABLED).toBe(true);
  });

  it("reads the Powertools switches in Powertools' spellings", () => {
    expect(parseConfig(BASE).POWERTOOLS_DEV).toBeUndefined();
    expect(parseConfig(BASE).POWERTOOLS_METRICS_DISABLED).toBeUndefined();
    expect(parseConfig({ ...BASE, POWERTOOLS_DEV: "On" }).POWERTOOLS_DEV).toBe(true);
    expect(parseConfig({ ...BASE, POWERTOOLS_DEV: "n" }).POWERTOOLS_DEV).toBe(false);
    expect(parseConfig({ ...BASE, POWERTOOLS_METRICS_DISABLED: "YES" }).POWERTOOLS_METRICS_DISABLED).toBe(
      true,
    );
    expect(parseConfig({ ...BASE, POWERTOOLS_METRICS_DISABLED: "0" }).POWERTOOLS_METRICS_DISABLED).toBe(
      false,
    );
  });

  it.each([
    ["TABLE_NAME", { TABLE_NAME: "" }],
    ["CACHE_TTL_SECONDS", { CACHE_TTL_SECONDS: "abc" }],
    ["CACHE_MAX_ENTRIES", { CACHE_MAX_ENTRIES: "-1" }],
    ["RATE_LIMIT_READS_PER_MINUTE", { RATE_LIMIT_READS_PER_MINUTE: "1.5" }],
    ["RATE_LIMIT_ENABLED", { RATE_LIMIT_ENABLED: "yes" }],
    ["CACHE_DRIVER", { CACHE_DRIVER: "memcached" }],
    ["DYNAMODB_ENDPOINT", { DYNAMODB_ENDPOINT: "not a url" }],
    ["EMBEDDER", { EMBEDDER: "openai" }],
    ["POWERTOOLS_METRICS_DISABLED", { POWERTOOLS_METRICS_DISABLED: "maybe" }],
  ])("names %s when it is bad", (name, bad) => {
    const message = problemOf({ ...BASE, ...bad });
    expect(message).toMatch(/^Invalid configuration: /);
    expect(message).toContain(name);
  });

  it("names every bad variable at once", () => {
    const message = problemOf({ ...BASE, CACHE_TTL_SECONDS: "x", CACHE_DRIVER: "y" });
    expect(message).toContain("CACHE_TTL_SECONDS");
    expect(message).toContain("CACHE_DRIVER");
  });

  it("requires TABLE_NAME", () => {
    expect(problemOf({ JWT_SECRET: SECRET })).toContain("TABLE_NAME");
  });

  it("requires a JWT secret of at least 32 characters", () => {
    const message = problemOf({ ...BASE, JWT_SECRET: "s".repeat(31) });
    expect(message).toContain("JWT_SECRET");
    expect(message).toContain("32");
    expect(parseConfig({ ...BASE, JWT_SECRET: "s".repeat(32) }).JWT_SECRET).toHaveLength(32);
  });

  it("requires a JWT secret or a JWKS URL", () => {
    expect(problemOf({ TABLE_NAME: "t" })).toMatch(/JWT_SECRET|JWT_JWKS_URL/);
    expect(
      parseConfig({ TABLE_NAME: "t", JWT_JWKS_URL: "https://issuer.example/jwks.json" }).JWT_JWKS_URL,
    ).toBe("https://issuer.example/jwks.json");
  });

  it("requires REDIS_URL for the redis cache driver", () => {
    expect(problemOf({ ...BASE, CACHE_DRIVER: "redis" })).toContain("REDIS_URL");
    expect(
      parseConfig({ ...BASE, CACHE_DRIVER: "redis", REDIS_URL: "redis://127.0.0.1:6379" }),
    ).toMatchObject({
      CACHE_DRIVER: "redis",
      REDIS_URL: "redis://127.0.0.1:6379",
    });
  });

  it("accepts a secret's ARN in place of its value, for the key and for Redis", () => {
    const arn = "arn:aws:secretsmanager:eu-west-1:123456789012:secret:markets/jwt-AbCdEf";
    expect(parseConfig({ TABLE_NAME: "markets", JWT_SECRET_ARN: arn }).JWT_SECRET_ARN).toBe(arn);
    expect(
      parseConfig({ ...BASE, CACHE_DRIVER: "redis", REDIS_URL_SECRET_ARN: arn }).REDIS_URL_SECRET_ARN,
    ).toBe(arn);
    expect(problemOf({ TABLE_NAME: "markets" })).toMatch(/JWT_SECRET_ARN/);
  });
});
