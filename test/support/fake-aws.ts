/**
 * A local HTTP server that speaks just enough of two AWS protocols for the CLIs that read a deployed
 * stack: CloudFormation's DescribeStacks (AWS query protocol: form-encoded request, XML answer) and
 * Secrets Manager's GetSecretValue (JSON 1.1 protocol). Point the SDK at it with
 * AWS_ENDPOINT_URL_CLOUDFORMATION / AWS_ENDPOINT_URL_SECRETS_MANAGER; nothing reaches real AWS.
 */
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";

export interface FakeAwsOptions {
  /** Stack name → outputs. */
  stacks: Record<string, Record<string, string>>;
  /** Secret id (ARN or name) → SecretString. */
  secrets: Record<string, string>;
}

export interface FakeAws {
  readonly endpoint: string;
  /** Every call, as `Service.Action`. */
  readonly calls: string[];
  close(): Promise<void>;
}

const xmlEscape = (text: string) =>
  text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");

function describeStacksXml(name: string, outputs: Record<string, string>): string {
  const members = Object.entries(outputs)
    .map(
      ([key, value]) =>
        `<member><OutputKey>${xmlEscape(key)}</OutputKey><OutputValue>${xmlEscape(value)}</OutputValue></member>`,
    )
    .join("");
  return `<DescribeStacksResponse xmlns="http://cloudformation.amazonaws.com/doc/2010-05-15/"><DescribeStacksResult><Stacks><member><StackName>${xmlEscape(name)}</StackName><StackStatus>CREATE_COMPLETE</StackStatus><CreationTime>2026-01-01T00:00:00Z</CreationTime><Outputs>${members}</Outputs></member></Stacks></DescribeStacksResult><ResponseMetadata><RequestId>fake</RequestId></ResponseMetadata></DescribeStacksResponse>`;
}

const stackMissingXml = (name: string) =>
  `<ErrorResponse xmlns="http://cloudformation.amazonaws.com/doc/2010-05-15/"><Error><Type>Sender</Type><Code>ValidationError</Code><Message>Stack with id ${xmlEscape(name)} does not exist</Message></Error><RequestId>fake</RequestId></ErrorResponse>`;

export async function startFakeAws(options: FakeAwsOptions): Promise<FakeAws> {
  const calls: string[] = [];
  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on("data", (chunk: Buffer) => chunks.push(chunk));
    request.on("end", () => {
      const body = Buffer.concat(chunks).toString("utf8");
      const target = request.headers["x-amz-target"];
      if (typeof target === "string" && target.startsWith("secretsmanager.")) {
        calls.push(`SecretsManager.${target.slice("secretsmanager.".length)}`);
        const { SecretId } = JSON.parse(body) as { SecretId: string };
        const value = options.secrets[SecretId];
        response.setHeader("content-type", "application/x-amz-json-1.1");
        if (value === undefined) {
          response.statusCode = 400;
          response.end(
            JSON.stringify({
              __type: "ResourceNotFoundException",
              message: "Secrets Manager can't find the specified secret.",
            }),
          );
          return;
        }
        response.end(JSON.stringify({ ARN: SecretId, Name: SecretId, SecretString: value, VersionId: "v1" }));
        return;
      }
      const form = new URLSearchParams(body);
      const action = form.get("Action") ?? "unknown";
      calls.push(`CloudFormation.${action}`);
      response.setHeader("content-type", "text/xml");
      const name = form.get("StackName") ?? "";
      const outputs = options.stacks[name];
      if (action !== "DescribeStacks" || !outputs) {
        response.statusCode = 400;
        response.end(stackMissingXml(name));
        return;
      }
      response.end(describeStacksXml(name, outputs));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    calls,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
