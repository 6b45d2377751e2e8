/**
 * An HTTP proxy in front of one upstream (DynamoDB Local) that shows its caller every request and
 * answer on the way through: the shared part of the benchmarks' call recorder
 * (test/bench/dynamo-call-recorder.ts) and the least-privilege test's per-function recorder
 * (function-call-recorder.ts). The caller may rewrite a request's body before it is sent on.
 */
import { createServer, request as httpRequest, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";

/** What to do with one request: the body to send on (the received one by default), and its answer. */
export type Intercept = (
  request: IncomingMessage,
  body: Buffer,
) => { body?: Buffer; answered?: (status: number, payload: Buffer) => void };

export interface ForwardingProxy {
  readonly endpoint: string;
  stop(): Promise<void>;
}

export function readBody(message: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    message.on("data", (chunk: Buffer) => chunks.push(chunk));
    message.on("end", () => resolve(Buffer.concat(chunks)));
    message.on("error", reject);
  });
}

/** The DynamoDB operation of a request, from its X-Amz-Target header (`GetItem`). */
export function dynamoOperation(request: IncomingMessage): string {
  return String(request.headers["x-amz-target"] ?? "?").replace(/^DynamoDB_\d+\./, "");
}

export async function startForwardingProxy(target: string, intercept: Intercept): Promise<ForwardingProxy> {
  const upstream = new URL(target);
  const server: Server = createServer(async (req, res) => {
    const received = await readBody(req);
    const { body = received, answered } = intercept(req, received);
    const forward = httpRequest(
      {
        host: upstream.hostname,
        port: upstream.port,
        method: req.method,
        path: req.url,
        headers: { ...req.headers, host: upstream.host, "content-length": String(body.length) },
      },
      async (answer) => {
        const payload = await readBody(answer);
        answered?.(answer.statusCode ?? 0, payload);
        res.writeHead(answer.statusCode ?? 500, answer.headers);
        res.end(payload);
      },
    );
    forward.on("error", (error) => {
      res.writeHead(502);
      res.end(String(error));
    });
    forward.end(body);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    stop: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
