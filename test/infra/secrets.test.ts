/**
 * Secrets never reach a template: a synth given a secret value refuses it, the HS256 secret is
 * generated in (or taken from) Secrets Manager, and functions only see its ARN, with a grant to
 * read it. Redis credentials likewise. Runs on stub bundles.
 */
import { Match } from "aws-cdk-lib/assertions";
import { afterAll, describe, expect, it } from "vitest";
import { functionId } from "../../infra/markets-api-stack.ts";
import { routes, workers } from "../../infra/route-table.ts";
import { cleanupSynth, settingsError, synthStack } from "../support/synth-stack.ts";

afterAll(() => cleanupSynth());

const SECRET_VALUE = "a-secret-value-that-must-never-be-in-a-template-0123";
const REDIS_PASSWORD = "redis-password-that-must-stay-out-9876";
const JWT_SECRET_ARN = "arn:aws:secretsmanager:eu-west-1:123456789012:secret:markets/jwt-AbCdEf";
const REDIS_SECRET_ARN = "arn:aws:secretsmanager:eu-west-1:123456789012:secret:markets/redis-GhIjKl";

type Variables = Record<string, unknown>;
const variablesOf = (resource: { Properties?: Record<string, unknown> }): Variables =>
  (resource.Properties?.Environment as { Variables?: Variables } | undefined)?.Variables ?? {};

describe("a secret value given to synth", () => {
  it("is refused, with a message that says where it belongs", () => {
    expect(settingsError({ jwtSecret: SECRET_VALUE })).toMatch(/jwtSecret.*Secrets Manager.*jwtSecretArn/s);
    expect(settingsError({ redisUrl: `rediss://default:${REDIS_PASSWORD}@cache.example.com:6379` })).toMatch(
      /redisUrl.*credentials.*redisSecretArn/s,
    );
    expect(settingsError({ redisUrl: "rediss://user@cache.example.com:6379" })).toMatch(/redisUrl/);
    // The message names the key, never echoes the value.
    expect(settingsError({ jwtSecret: SECRET_VALUE })).not.toContain(SECRET_VALUE);
    expect(settingsError({ redisUrl: `rediss://:${REDIS_PASSWORD}@h:6379` })).not.toContain(REDIS_PASSWORD);
  });

  it("accepts a Redis URL without credentials, and secret ARNs", () => {
    expect(settingsError({ redisUrl: "rediss://cache.example.com:6379" })).toBeUndefined();
    expect(settingsError({ jwtSecretArn: JWT_SECRET_ARN, redisSecretArn: REDIS_SECRET_ARN })).toBeUndefined();
    expect(settingsError({ jwtSecretArn: "not-an-arn" })).toMatch(/jwtSecretArn/);
  });
});

describe("the generated HS256 secret (no JWKS, no ARN)", () => {
  const { template, resources, text } = synthStack();
  const functions = Object.entries(resources).filter(([, r]) => r.Type === "AWS::Lambda::Function");

  it("is a Secrets Manager secret the stack generates, never a literal", () => {
    template.resourceCountIs("AWS::SecretsManager::Secret", 1);
    template.hasResourceProperties("AWS::SecretsManager::Secret", {
      GenerateSecretString: Match.objectLike({ PasswordLength: Match.anyValue() }),
      SecretString: Match.absent(),
    });
    template.hasOutput("JwtSecretArn", {});
  });

  it("reaches the functions as an ARN only", () => {
    expect(functions.length).toBe(routes.length + workers.length);
    for (const [id, fn] of functions) {
      const variables = variablesOf(fn);
      expect(variables.JWT_SECRET, id).toBeUndefined();
      expect(variables.REDIS_URL, id).toBeUndefined();
      if (id !== functionId(workers[0]?.handler ?? ""))
        expect(variables.JWT_SECRET_ARN, id).toEqual({ Ref: expect.any(String) });
    }
    expect(text).not.toMatch(/JWT_SECRET"/);
  });

  it("may be read by every route function and not by the worker", () => {
    const readers = new Set<string>();
    for (const resource of Object.values(resources)) {
      if (resource.Type !== "AWS::IAM::Policy") continue;
      const properties = resource.Properties as {
        Roles: { Ref: string }[];
        PolicyDocument: { Statement: { Action: string | string[] }[] };
      };
      const actions = properties.PolicyDocument.Statement.flatMap((statement) => [statement.Action].flat());
      if (actions.includes("secretsmanager:GetSecretValue"))
        for (const role of properties.Roles) readers.add(role.Ref);
    }
    const roleOf = (id: string) =>
      (resources[id]?.Properties?.Role as { "Fn::GetAtt": [string] } | undefined)?.["Fn::GetAtt"][0] ?? "";
    for (const route of routes)
      expect(readers.has(roleOf(functionId(route.handler))), route.handler).toBe(true);
    expect(readers.has(roleOf(functionId(workers[0]?.handler ?? "")))).toBe(false);
  });
});

describe("secrets taken from existing ARNs", () => {
  const { template, resources, text } = synthStack({
    jwtSecretArn: JWT_SECRET_ARN,
    redisSecretArn: REDIS_SECRET_ARN,
  });

  it("creates no secret and passes the ARNs", () => {
    template.resourceCountIs("AWS::SecretsManager::Secret", 0);
    const get = variablesOf(resources[functionId("markets/get")] ?? {});
    expect(get).toMatchObject({
      JWT_SECRET_ARN: JWT_SECRET_ARN,
      REDIS_URL_SECRET_ARN: REDIS_SECRET_ARN,
      CACHE_DRIVER: "redis",
    });
    expect(get.REDIS_URL).toBeUndefined();
    expect(text).toContain("secretsmanager:GetSecretValue");
  });
});

describe("with a JWKS", () => {
  it("needs no secret at all", () => {
    const { template, resources } = synthStack({
      jwtJwksUrl: "https://issuer.example.com/.well-known/jwks.json",
    });
    template.resourceCountIs("AWS::SecretsManager::Secret", 0);
    expect(variablesOf(resources[functionId("markets/get")] ?? {}).JWT_SECRET_ARN).toBeUndefined();
  });
});
