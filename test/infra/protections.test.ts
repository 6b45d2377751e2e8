/**
 * Production protections follow intent, not a stage's name: `-c protect=true|false`, defaulting to
 * protected for every stage except the disposable default `dev` (docs/security.md). Tested on a
 * stage that is not called `prod`.
 */
import { Match } from "aws-cdk-lib/assertions";
import { afterAll, describe, expect, it } from "vitest";
import { cleanupSynth, settingsError, synthStack } from "../support/synth-stack.ts";

afterAll(() => cleanupSynth());

const JWKS = { jwtJwksUrl: "https://issuer.example.com/.well-known/jwks.json" };
const JWT_SECRET_ARN = "arn:aws:secretsmanager:eu-west-1:123456789012:secret:markets/jwt-AbCdEf";

function expectProtected(context: Record<string, string>) {
  const { template, resources } = synthStack(context);
  template.hasResource("AWS::DynamoDB::Table", {
    DeletionPolicy: "Retain",
    UpdateReplacePolicy: "Retain",
    Properties: Match.objectLike({
      DeletionProtectionEnabled: true,
      PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
    }),
  });
  const logGroups = Object.values(resources).filter((r) => r.Type === "AWS::Logs::LogGroup");
  expect(logGroups.length).toBeGreaterThan(0);
  for (const group of logGroups) expect(group.DeletionPolicy).toBe("Retain");
}

function expectDisposable(context: Record<string, string>) {
  const { template } = synthStack(context);
  template.hasResource("AWS::DynamoDB::Table", {
    DeletionPolicy: "Delete",
    Properties: Match.objectLike({ DeletionProtectionEnabled: false }),
  });
}

// Each synth takes a few seconds, far more on a loaded machine.
describe("protections by intent", { timeout: 180_000 }, () => {
  it("protect a stage called production (not prod) by default", () => {
    expectProtected({ stage: "production", ...JWKS });
  });

  it("protect any stage that asks, and none that opts out", () => {
    expectProtected({ stage: "dev", protect: "true", ...JWKS });
    expectDisposable({ stage: "prod", protect: "false" });
    expectDisposable({});
  });

  it("require a deliberate key on a protected stage: a JWKS, or an existing secret's ARN", () => {
    expect(settingsError({ stage: "production" })).toMatch(/protect.*jwtJwksUrl.*jwtSecretArn/s);
    expect(settingsError({ stage: "live", protect: "true" })).toMatch(/jwtJwksUrl/);
    expect(settingsError({ stage: "production", jwtSecretArn: JWT_SECRET_ARN })).toBeUndefined();
    expect(settingsError({ stage: "production", ...JWKS })).toBeUndefined();
    expect(settingsError({ stage: "pr-42", protect: "false" })).toBeUndefined();
  });

  it("refuse the sam-local endpoints on a protected stage", () => {
    expect(settingsError({ stage: "production", ...JWKS, dynamodbEndpoint: "http://dynamodb:8000" })).toMatch(
      /dynamodbEndpoint/,
    );
  });

  it("refuse a protect value that is not true or false", () => {
    expect(settingsError({ protect: "yes" })).toMatch(/protect/);
  });
});
