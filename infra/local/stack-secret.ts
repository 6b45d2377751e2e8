/**
 * The HS256 secret of a deployed stack, read with the caller's own AWS credentials: the stack's
 * output names the Secrets Manager secret, Secrets Manager holds the value. Nothing is cached or
 * written anywhere; `npm run token -- --stack <name>` and `npm run seed -- --stack <name>` mint
 * tokens with it on the spot.
 */
import { CloudFormationClient, DescribeStacksCommand } from "@aws-sdk/client-cloudformation";
import { GetSecretValueCommand, SecretsManagerClient } from "@aws-sdk/client-secrets-manager";

/** The stack output that names the secret (infra/markets-api-stack.ts). */
export const JWT_SECRET_OUTPUT = "JwtSecretArn";
/** The stack output with the API's base URL. */
export const API_URL_OUTPUT = "ApiUrl";

export interface DeployedStack {
  /** Base URL without a trailing slash. */
  url?: string;
  jwtSecret: string;
}

/** Read the stack's outputs and its secret; the region and credentials are the SDK's defaults. */
export async function readDeployedStack(
  stackName: string,
  options: { region?: string } = {},
): Promise<DeployedStack> {
  const cloudFormation = new CloudFormationClient({ region: options.region });
  const secrets = new SecretsManagerClient({ region: options.region });
  try {
    const described = await cloudFormation
      .send(new DescribeStacksCommand({ StackName: stackName }))
      .catch((error: unknown) => {
        throw new Error(`Could not describe stack ${stackName}: ${messageOf(error)}`);
      });
    const outputs = new Map(
      (described.Stacks?.[0]?.Outputs ?? []).map((output) => [output.OutputKey, output.OutputValue]),
    );
    const secretId = outputs.get(JWT_SECRET_OUTPUT);
    if (!secretId) {
      throw new Error(
        `Stack ${stackName} has no ${JWT_SECRET_OUTPUT} output: it signs tokens with a JWKS, or predates the secret`,
      );
    }
    const secret = await secrets
      .send(new GetSecretValueCommand({ SecretId: secretId }))
      .catch((error: unknown) => {
        throw new Error(`Could not read secret ${secretId}: ${messageOf(error)}`);
      });
    if (!secret.SecretString) throw new Error(`Secret ${secretId} has no string value`);
    return {
      url: outputs.get(API_URL_OUTPUT)?.replace(/\/+$/, ""),
      jwtSecret: secretValue(secret.SecretString),
    };
  } finally {
    cloudFormation.destroy();
    secrets.destroy();
  }
}

/** A plain string, or the JSON form Secrets Manager's generator writes (`{"secret": "..."}`). */
function secretValue(raw: string): string {
  if (!raw.startsWith("{")) return raw;
  const parsed = JSON.parse(raw) as Record<string, unknown>;
  const value = parsed.secret ?? parsed.jwtSecret ?? parsed.JWT_SECRET;
  if (typeof value !== "string") throw new Error("The secret's JSON has no `secret` string");
  return value;
}

function messageOf(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}
