/**
 * `deployedJwtSecret({ stackName })`: the secret's ARN is found in the stack's `JwtSecretArn` output
 * and its value read from Secrets Manager, through a local server that speaks both protocols (never
 * real AWS). A stack checked against a JWKS has no such output, and says so.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { deployedJwtSecret, JWT_SECRET_OUTPUT } from "../../infra/deployed-jwt-secret.ts";
import { type FakeAws, startFakeAws } from "../support/fake-aws.ts";

const SECRET = "deployed-secret-that-is-long-enough-for-hs256-42";
const SECRET_ARN = "arn:aws:secretsmanager:eu-west-1:123456789012:secret:markets-jwt-XyZ123";
const MISSING_ARN = "arn:aws:secretsmanager:eu-west-1:123456789012:secret:deleted-AbC999";

const ENV = {
  AWS_ENDPOINT_URL_CLOUDFORMATION: "",
  AWS_ENDPOINT_URL_SECRETS_MANAGER: "",
  AWS_ACCESS_KEY_ID: "test",
  AWS_SECRET_ACCESS_KEY: "test",
  AWS_PROFILE: "",
};
let aws: FakeAws;
const previous = new Map<string, string | undefined>();

beforeAll(async () => {
  aws = await startFakeAws({
    stacks: {
      "MarketsApi-staging": { ApiUrl: "https://abc.example/", [JWT_SECRET_OUTPUT]: SECRET_ARN },
      "MarketsApi-jwks": { ApiUrl: "https://jwks.example/" },
      "MarketsApi-stale": { [JWT_SECRET_OUTPUT]: MISSING_ARN },
    },
    secrets: { [SECRET_ARN]: SECRET },
  });
  // The SDK's own endpoint variables, as a developer's shell would point it elsewhere.
  const env = {
    ...ENV,
    AWS_ENDPOINT_URL_CLOUDFORMATION: aws.endpoint,
    AWS_ENDPOINT_URL_SECRETS_MANAGER: aws.endpoint,
  };
  for (const [name, value] of Object.entries(env)) {
    previous.set(name, process.env[name]);
    process.env[name] = value;
  }
});

afterAll(async () => {
  for (const [name, value] of previous) {
    if (value === undefined) delete process.env[name];
    else process.env[name] = value;
  }
  await aws?.close();
});

describe("deployedJwtSecret by stack name", () => {
  it("reads the ARN from the stack's output, then the value from Secrets Manager", async () => {
    const before = aws.calls.length;
    expect(await deployedJwtSecret({ stackName: "MarketsApi-staging", region: "eu-west-1" })).toBe(SECRET);
    expect(aws.calls.slice(before)).toEqual([
      "CloudFormation.DescribeStacks",
      "SecretsManager.GetSecretValue",
    ]);
  });

  it("skips the stack when given the secret's ARN", async () => {
    const before = aws.calls.length;
    expect(await deployedJwtSecret({ secretArn: SECRET_ARN, region: "eu-west-1" })).toBe(SECRET);
    expect(aws.calls.slice(before)).toEqual(["SecretsManager.GetSecretValue"]);
  });

  it("says a JWKS stack has no secret, without reading Secrets Manager", async () => {
    const before = aws.calls.length;
    await expect(deployedJwtSecret({ stackName: "MarketsApi-jwks", region: "eu-west-1" })).rejects.toThrow(
      `Stack MarketsApi-jwks has no ${JWT_SECRET_OUTPUT} output`,
    );
    expect(aws.calls.slice(before)).toEqual(["CloudFormation.DescribeStacks"]);
  });

  it("passes on an unknown stack and a secret that is gone as errors", async () => {
    await expect(deployedJwtSecret({ stackName: "Nope", region: "eu-west-1" })).rejects.toThrow(
      "Stack with id Nope does not exist",
    );
    await expect(deployedJwtSecret({ stackName: "MarketsApi-stale", region: "eu-west-1" })).rejects.toThrow(
      "can't find the specified secret",
    );
  });

  it("needs a stack name or an ARN", async () => {
    await expect(deployedJwtSecret({})).rejects.toThrow("Give a stack name or a secret ARN");
  });
});
