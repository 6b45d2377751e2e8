/**
 * A minimal Secrets Manager for tests: GetSecretValue over the service's JSON protocol (POST with
 * `X-Amz-Target: secretsmanager.GetSecretValue`), answering from an in-memory map and counting the
 * reads, so tests can check how often the code really asks. Point the SDK at it with
 * AWS_ENDPOINT_URL_SECRETS_MANAGER.
 */
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";

export interface LocalSecretsManager {
  readonly endpoint: string;
  /** GetSecretValue calls per SecretId. */
  readonly reads: Map<string, number>;
  put(secretId: string, value: string): void;
  /** A binary secret (`SecretBinary`), which the API's secrets never are. */
  putBinary(secretId: string, value: Uint8Array): void;
  close(): Promise<void>;
}

export async function startLocalSecretsManager(): Promise<LocalSecretsManager> {
  const secrets = new Map<string, string | Uint8Array>();
  const reads = new Map<string, number>();
  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on("data", (chunk: Buffer) => chunks.push(chunk));
    request.on("end", () => {
      const answer = (status: number, body: unknown) => {
        response.writeHead(status, { "content-type": "application/x-amz-json-1.1" });
        response.end(JSON.stringify(body));
      };
      if (request.headers["x-amz-target"] !== "secretsmanager.GetSecretValue") {
        return answer(400, { __type: "InvalidRequestException", message: "only GetSecretValue" });
      }
      const { SecretId } = JSON.parse(Buffer.concat(chunks).toString("utf8")) as { SecretId: string };
      reads.set(SecretId, (reads.get(SecretId) ?? 0) + 1);
      const value = secrets.get(SecretId);
      if (value === undefined) {
        return answer(400, {
          __type: "ResourceNotFoundException",
          message: "Secrets Manager can't find the specified secret.",
        });
      }
      answer(200, {
        ARN: SecretId,
        Name: SecretId.split(":").pop(),
        ...(typeof value === "string"
          ? { SecretString: value }
          : { SecretBinary: Buffer.from(value).toString("base64") }),
        VersionId: "00000000-0000-0000-0000-000000000001",
        VersionStages: ["AWSCURRENT"],
        CreatedDate: Date.now() / 1000,
      });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    reads,
    put: (secretId, value) => secrets.set(secretId, value),
    putBinary: (secretId, value) => secrets.set(secretId, value),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
