/**
 * Deployed secrets are read from Secrets Manager at run time, once per execution environment, and
 * an outage of it is a 503, never a 401 or a 500. Against a local server that speaks the Secrets
 * Manager protocol, through Powertools Parameters and the SDK as deployed; Redis is the real one.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { signToken } from "../../../infra/local/sign-token.ts";
import { secretsManagerValue } from "../../../shared/auth/secret-value.ts";
import { createTokenVerifier } from "../../../shared/auth/token-verifier.ts";
import { RedisCache } from "../../../shared/cache/redis-cache.ts";
import { AppError, UnauthorizedError, UnavailableError } from "../../../shared/errors.ts";
import { type LocalSecretsManager, startLocalSecretsManager } from "../../support/local-secrets-manager.ts";

const KEY = "a-key-held-in-secrets-manager-0123456789abcdef";
const arn = (name: string) => `arn:aws:secretsmanager:us-east-1:123456789012:secret:${name}-AbCdEf`;

let secrets: LocalSecretsManager;

beforeAll(async () => {
  secrets = await startLocalSecretsManager();
  process.env.AWS_ENDPOINT_URL_SECRETS_MANAGER = secrets.endpoint;
  process.env.AWS_REGION = "us-east-1";
  process.env.AWS_ACCESS_KEY_ID = "local";
  process.env.AWS_SECRET_ACCESS_KEY = "local";
});

afterAll(async () => {
  await secrets?.close();
});

describe("the HS256 key from Secrets Manager", () => {
  it("verifies tokens, reading the secret once for many requests", async () => {
    const id = arn("jwt-once");
    secrets.put(id, KEY);
    const verify = createTokenVerifier({ secret: secretsManagerValue(id) });
    for (let index = 0; index < 5; index += 1) {
      const token = await signToken({ sub: `u-${index}`, role: "user", secret: KEY });
      expect((await verify(token)).id).toBe(`u-${index}`);
    }
    await expect(
      verify(await signToken({ sub: "u", role: "user", secret: `${KEY}x` })),
    ).rejects.toBeInstanceOf(UnauthorizedError);
    expect(secrets.reads.get(id)).toBe(1);
  });

  it("is not read for a token that fails before any key is needed", async () => {
    const id = arn("jwt-unread");
    secrets.put(id, KEY);
    const verify = createTokenVerifier({ secret: secretsManagerValue(id) });
    const none = `${Buffer.from('{"alg":"none"}').toString("base64url")}.${Buffer.from('{"sub":"u"}').toString("base64url")}.`;
    await expect(verify(none)).rejects.toBeInstanceOf(UnauthorizedError);
    expect(secrets.reads.get(id)).toBeUndefined();
  });

  it("answers 503 when the secret cannot be read", async () => {
    const verify = createTokenVerifier({ secret: secretsManagerValue(arn("jwt-missing")) });
    const error = await verify(await signToken({ sub: "u", role: "user", secret: KEY })).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(UnavailableError);
    expect((error as UnavailableError).code).toBe("UNAVAILABLE");
  });
});

describe("a secret's value", () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it("is kept for 15 minutes, then read again, so a rotation needs no redeploy", async () => {
    const id = arn("rotated");
    secrets.put(id, "first-value");
    // Only the clock Powertools' cache reads is moved; timers and sockets run as usual.
    vi.useFakeTimers({ toFake: ["Date"], now: new Date("2030-01-01T00:00:00Z") });
    const read = secretsManagerValue(id);
    expect(await read()).toBe("first-value");
    secrets.put(id, "second-value");
    vi.setSystemTime(new Date("2030-01-01T00:14:50Z"));
    expect(await read()).toBe("first-value");
    expect(secrets.reads.get(id)).toBe(1);
    vi.setSystemTime(new Date("2030-01-01T00:15:10Z"));
    expect(await read()).toBe("second-value");
    expect(secrets.reads.get(id)).toBe(2);
  });

  it("is a 503 naming no secret when Secrets Manager cannot answer, with the cause kept for the log", async () => {
    const id = arn("missing");
    const error = await secretsManagerValue(id)().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UnavailableError);
    expect((error as UnavailableError).message).toBe(
      "A required secret could not be read; try again shortly",
    );
    expect((error as UnavailableError).cause).toBeInstanceOf(Error);
  });

  it.each([
    ["empty", (id: string) => secrets.put(id, "")],
    ["binary", (id: string) => secrets.putBinary(id, new Uint8Array([1, 2, 3]))],
  ])("is a deployment error (500, logged with the secret's id) when it is %s", async (kind, store) => {
    const id = arn(`${kind}-value`);
    store(id);
    const error = await secretsManagerValue(id)().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(Error);
    expect(error).not.toBeInstanceOf(AppError);
    expect((error as Error).message).toBe(`Secret ${id} holds no string value`);
  });
});

describe("the Redis URL from Secrets Manager", () => {
  it("connects with the URL the secret holds", async () => {
    const id = arn("redis-url");
    secrets.put(id, "redis://127.0.0.1:6379");
    const cache = new RedisCache({
      url: secretsManagerValue(id),
      ttlSeconds: 30,
      prefix: `secret-test-${Date.now()}`,
    });
    try {
      await cache.set("k", { version: 3, name: "x" });
      expect(await cache.get("k")).toEqual({ version: 3, name: "x" });
      expect(secrets.reads.get(id)).toBe(1);
    } finally {
      await cache.close();
    }
  });
});

describe("the deployed key for npm run token", () => {
  it("is read with the caller's credentials from the secret's ARN", async () => {
    const { deployedJwtSecret } = await import("../../../infra/deployed-jwt-secret.ts");
    const id = arn("jwt-token-cli");
    secrets.put(id, KEY);
    expect(await deployedJwtSecret({ secretArn: id, region: "us-east-1" })).toBe(KEY);
  });
});
