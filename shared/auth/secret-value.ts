/**
 * A secret's value read from Secrets Manager at run time, through Powertools Parameters: read once
 * per execution environment and kept in its cache, re-read at most every SECRET_MAX_AGE_SECONDS so
 * a rotated value is picked up without a redeploy. The Parameters module (and its Secrets Manager
 * client) is a dynamic import, so only requests that need a secret load it: a cold start that sees
 * no token never pays for it. Deployed functions only ever see the secret's ARN in their
 * environment (docs/security.md).
 */
import { UnavailableError } from "../errors.ts";

/** How long a read value is trusted before Powertools asks Secrets Manager again. */
export const SECRET_MAX_AGE_SECONDS = 15 * 60;

/** A function that resolves the current value of `secretId` (an ARN or a name). */
export type SecretSource = () => Promise<string>;

export function secretsManagerValue(secretId: string): SecretSource {
  return async () => {
    let value: unknown;
    try {
      const { getSecret } = await import("@aws-lambda-powertools/parameters/secrets");
      value = await getSecret(secretId, { maxAge: SECRET_MAX_AGE_SECONDS });
    } catch (error) {
      // Unreachable, throttled or denied: nothing the caller did wrong, and nothing to tell them.
      throw new UnavailableError("A required secret could not be read; try again shortly", { cause: error });
    }
    if (typeof value !== "string" || value.length === 0) {
      // A binary or empty secret is a deployment mistake, not an outage: a 500, logged.
      throw new Error(`Secret ${secretId} holds no string value`);
    }
    return value;
  };
}
