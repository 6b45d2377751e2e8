/**
 * `npm run token`: one default lifetime, `--ttl`, clear errors, and `--stack` minting with a deployed
 * stack's secret, read through a local server that speaks the CloudFormation and Secrets Manager
 * protocols (never real AWS).
 */
import { decodeJwt, jwtVerify } from "jose";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEV_JWT_SECRET } from "../../infra/local/local-env.ts";
import { DEFAULT_TOKEN_TTL } from "../../infra/local/sign-token.ts";
import { JWT_SECRET_OUTPUT } from "../../infra/local/stack-secret.ts";
import { type FakeAws, startFakeAws } from "../support/fake-aws.ts";
import { runCli } from "../support/run-cli.ts";

const STACK_SECRET = "stack-secret-that-is-long-enough-for-hs256-0123";
const SECRET_ARN = "arn:aws:secretsmanager:eu-west-1:123456789012:secret:markets-jwt-AbCdEf";
let aws: FakeAws;

const token = (args: string[], env: Record<string, string> = {}) =>
  runCli("infra/local/token.ts", args, { JWT_SECRET: "", ...env });

beforeAll(async () => {
  aws = await startFakeAws({
    stacks: {
      MarketsApi: {
        ApiUrl: "https://abc.execute-api.eu-west-1.amazonaws.com/",
        [JWT_SECRET_OUTPUT]: SECRET_ARN,
      },
      Jwks: { ApiUrl: "https://jwks.example/" },
    },
    secrets: { [SECRET_ARN]: STACK_SECRET },
  });
});
afterAll(() => aws?.close());

const awsEnv = () => ({
  AWS_ENDPOINT_URL_CLOUDFORMATION: aws.endpoint,
  AWS_ENDPOINT_URL_SECRETS_MANAGER: aws.endpoint,
  AWS_REGION: "eu-west-1",
  AWS_ACCESS_KEY_ID: "test",
  AWS_SECRET_ACCESS_KEY: "test",
  AWS_PROFILE: "",
});

describe("npm run token", { timeout: 60_000 }, () => {
  it("signs with the local secret, for the default lifetime the banner uses", async () => {
    const run = await token(["--sub", "u-1", "--role", "admin"]);
    expect(run.code).toBe(0);
    const { payload } = await jwtVerify(run.stdout.trim(), new TextEncoder().encode(DEV_JWT_SECRET));
    expect(payload).toMatchObject({ sub: "u-1", role: "admin" });
    expect(DEFAULT_TOKEN_TTL).toBe("12h");
    expect(Number(payload.exp) - Number(payload.iat)).toBe(12 * 3600);
  });

  it("--ttl sets the lifetime", async () => {
    const run = await token(["--ttl", "30m"]);
    const claims = decodeJwt(run.stdout.trim());
    expect(Number(claims.exp) - Number(claims.iat)).toBe(1800);
    expect(claims).toMatchObject({ sub: "local-user", role: "user" });
  });

  it("explains a bad role, a bad lifetime and an unknown flag with a non-zero exit", async () => {
    const badRole = await token(["--role", "root"]);
    expect(badRole.code).toBe(1);
    expect(badRole.stderr).toContain("--role must be user, moderator or admin");
    const badTtl = await token(["--ttl", "soon"]);
    expect(badTtl.code).toBe(1);
    expect(badTtl.stderr).toContain("--ttl must be a time span");
    const unknown = await token(["--rol", "admin"]);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain("usage: npm run token");
  });

  it("--help prints the usage on stdout and exits 0", async () => {
    const run = await token(["--help"]);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain("--stack");
  });

  it("--stack signs with the stack's secret from Secrets Manager, and prints no SDK notice", async () => {
    const run = await token(["--stack", "MarketsApi", "--role", "admin", "--ttl", "1h"], awsEnv());
    expect(run.stderr).toBe("");
    expect(run.code).toBe(0);
    const { payload } = await jwtVerify(run.stdout.trim(), new TextEncoder().encode(STACK_SECRET));
    expect(payload.role).toBe("admin");
    expect(aws.calls).toEqual(
      expect.arrayContaining(["CloudFormation.DescribeStacks", "SecretsManager.GetSecretValue"]),
    );
  });

  it("--stack names what is missing: an unknown stack, a stack without the secret output", async () => {
    const missing = await token(["--stack", "Nope"], awsEnv());
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain("Could not describe stack Nope");
    const jwks = await token(["--stack", "Jwks"], awsEnv());
    expect(jwks.code).toBe(1);
    expect(jwks.stderr).toContain(`no ${JWT_SECRET_OUTPUT} output`);
  });
});
