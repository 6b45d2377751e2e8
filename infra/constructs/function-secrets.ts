/**
 * The secrets the functions read at run time, never their values in the template: the HS256 key
 * (generated here in Secrets Manager, or an existing secret given by ARN; none with a JWKS) and
 * the Redis URL with its credentials (an existing secret, when configured). Functions get the ARN
 * in their environment and a grant to read it; shared/auth/secret-value.ts reads and caches it.
 */
import { CfnOutput, RemovalPolicy, Validations } from "aws-cdk-lib";
import type * as iam from "aws-cdk-lib/aws-iam";
import * as secretsmanager from "aws-cdk-lib/aws-secretsmanager";
import { Construct } from "constructs";
import type { DeploySettings } from "../settings.ts";

export interface FunctionSecretsProps {
  readonly settings: DeploySettings;
}

/** A complete secret ARN ends in `-` and six random characters; a partial one (a name) does not. */
const COMPLETE_ARN = /-[A-Za-z0-9]{6}$/;

export class FunctionSecrets extends Construct {
  /** The HS256 key, unless tokens are checked against a JWKS. */
  readonly jwtSecret?: secretsmanager.ISecret;
  readonly redisSecret?: secretsmanager.ISecret;

  constructor(scope: Construct, id: string, props: FunctionSecretsProps) {
    super(scope, id);
    const { settings } = props;

    if (settings.jwtJwksUrl) {
      this.jwtSecret = undefined;
    } else if (settings.jwtSecretArn) {
      this.jwtSecret = imported(this, "JwtSecret", settings.jwtSecretArn);
    } else {
      // Only unprotected stages get here (settings.ts asks protected ones for a deliberate key), so
      // the generated key goes with the stack.
      const generated = new secretsmanager.Secret(this, "JwtSecret", {
        description: `HS256 key that signs and checks markets-api tokens (stage ${settings.stage})`,
        generateSecretString: { passwordLength: 64, excludePunctuation: true },
        removalPolicy: RemovalPolicy.DESTROY,
      });
      Validations.of(generated).acknowledge({
        id: "AwsSolutions-SMG4",
        reason:
          "Rotating an HS256 key signs every caller out; rotate it deliberately (docs/security.md), or use a JWKS.",
      });
      this.jwtSecret = generated;
    }
    if (this.jwtSecret) {
      // An ARN is no secret: `npm run token` reads the output to find the key with your credentials.
      new CfnOutput(scope, "JwtSecretArn", {
        value: this.jwtSecret.secretArn,
        description: "Secrets Manager secret holding the HS256 token key",
      });
    }

    this.redisSecret = settings.redisSecretArn
      ? imported(this, "RedisSecret", settings.redisSecretArn)
      : undefined;
  }

  /** Let a function read the secrets it uses: the token key (HTTP routes) and the Redis URL (data access). */
  grantRead(role: iam.IRole, uses: { jwt: boolean; redis: boolean }): void {
    if (uses.jwt) this.jwtSecret?.grantRead(role);
    if (uses.redis) this.redisSecret?.grantRead(role);
  }
}

function imported(scope: Construct, id: string, arn: string): secretsmanager.ISecret {
  return COMPLETE_ARN.test(arn)
    ? secretsmanager.Secret.fromSecretCompleteArn(scope, id, arn)
    : secretsmanager.Secret.fromSecretPartialArn(scope, id, arn);
}
