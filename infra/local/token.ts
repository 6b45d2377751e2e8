/**
 * `npm run token`: prints a bearer token the API accepts. Locally it signs with JWT_SECRET (or the
 * development default, as `npm start` does); with `--stack <name>` it signs with a deployed
 * stack's HS256 secret, read from Secrets Manager with your AWS credentials.
 */
import { isRole } from "../../shared/auth/permissions.ts";
import { CliError, parseCli, runCli } from "./cli.ts";
import { DEFAULT_TOKEN_TTL, signToken } from "./sign-token.ts";
import { JWT_SECRET_OUTPUT, readDeployedStack } from "./stack-secret.ts";

const HELP = `usage: npm run token -- [--sub <id>] [--role user|moderator|admin] [--email <a@b.c>]
                        [--ttl <span>] [--stack <name> [--region <region>]]

Prints a signed HS256 bearer token.

  --sub      the user id (default: local-<role>)
  --role     user (default), moderator or admin
  --email    optional email claim (the profile's default display name is its local part)
  --ttl      lifetime as a jose time span: 30m, 12h, 7d (default ${DEFAULT_TOKEN_TTL}, the same as npm start's banner)
  --stack    sign for a deployed stack: reads its ${JWT_SECRET_OUTPUT} output and the secret it names
             (needs cloudformation:DescribeStacks and secretsmanager:GetSecretValue)
  --region   the stack's region (default: AWS_REGION or your profile's)

examples:
  export TOKEN=$(npm run -s token -- --sub u-1 --role admin)
  export TOKEN=$(npm run -s token -- --stack MarketsApi --role admin --ttl 1h)`;

const { values } = parseCli(HELP, {
  sub: { type: "string" },
  role: { type: "string", default: "user" },
  email: { type: "string" },
  ttl: { type: "string", default: DEFAULT_TOKEN_TTL },
  // The flag's earlier name, kept so existing scripts go on working.
  expires: { type: "string" },
  stack: { type: "string" },
  region: { type: "string" },
});

await runCli(async () => {
  const role = values.role;
  if (!isRole(role)) throw new CliError(`--role must be user, moderator or admin, not "${role}"`);
  const ttl = values.expires ?? values.ttl;
  if (!/^\d+\s*(s|sec|secs|m|min|mins|h|hr|hrs|d|day|days|w|week|weeks)$/i.test(ttl)) {
    throw new CliError(`--ttl must be a time span such as 30m, 12h or 7d, not "${ttl}"`);
  }
  const secret = values.stack
    ? (
        await readDeployedStack(values.stack, { region: values.region }).catch((error: Error) => {
          throw new CliError(error.message);
        })
      ).jwtSecret
    : undefined;
  const token = await signToken({
    sub: values.sub ?? `local-${role}`,
    role,
    expiresIn: ttl,
    ...(values.email ? { email: values.email } : {}),
    ...(secret ? { secret } : {}),
  });
  console.log(token);
});
