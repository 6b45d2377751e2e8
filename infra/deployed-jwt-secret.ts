/**
 * The HS256 key of a deployed stack, read with the caller's own AWS credentials (the default
 * provider chain: profile, SSO, environment), so `npm run token` can mint a token for it without
 * the key ever being copied anywhere. The stack publishes the secret's ARN as its `JwtSecretArn`
 * output (infra/constructs/function-secrets.ts); the value stays in Secrets Manager.
 */
import { CloudFormationClient, DescribeStacksCommand } from "@aws-sdk/client-cloudformation";
import { GetSecretValueCommand, SecretsManagerClient } from "@aws-sdk/client-secrets-manager";

/** The stack output that names the secret. */
export const JWT_SECRET_OUTPUT = "JwtSecretArn";

export interface DeployedSecretOptions {
  /** Read the ARN from this stack's outputs (e.g. `MarketsApi`, `MarketsApi-staging`). */
  readonly stackName?: string;
  /** Or name the secret directly (ARN or name). */
  readonly secretArn?: string;
  /** Defaults to the SDK's region resolution (AWS_REGION, the profile). */
  readonly region?: string;
}

/** The ARN in a stack's `JwtSecretArn` output; a stack with a JWKS has none. */
export async function jwtSecretArnOf(stackName: string, client: CloudFormationClient): Promise<string> {
  const { Stacks } = await client.send(new DescribeStacksCommand({ StackName: stackName }));
  const output = Stacks?.[0]?.Outputs?.find((each) => each.OutputKey === JWT_SECRET_OUTPUT);
  if (!output?.OutputValue) {
    throw new Error(
      `Stack ${stackName} has no ${JWT_SECRET_OUTPUT} output: it checks tokens against a JWKS, so mint them with your identity provider`,
    );
  }
  return output.OutputValue;
}

/** Read the deployed HS256 key; needs secretsmanager:GetSecretValue (and cloudformation:DescribeStacks). */
export async function deployedJwtSecret(options: DeployedSecretOptions): Promise<string> {
  const config = options.region ? { region: options.region } : {};
  let secretId = options.secretArn;
  if (!secretId) {
    if (!options.stackName) throw new Error("Give a stack name or a secret ARN");
    const cloudFormation = new CloudFormationClient(config);
    try {
      secretId = await jwtSecretArnOf(options.stackName, cloudFormation);
    } finally {
      cloudFormation.destroy();
    }
  }
  const secretsManager = new SecretsManagerClient(config);
  try {
    const { SecretString } = await secretsManager.send(new GetSecretValueCommand({ SecretId: secretId }));
    if (!SecretString) throw new Error(`Secret ${secretId} holds no string value`);
    return SecretString;
  } finally {
    secretsManager.destroy();
  }
}
