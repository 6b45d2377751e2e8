/**
 * A recording proxy in front of DynamoDB that knows which local function made each request. The
 * local runtime runs every invocation inside its function's context (infra/local/running-function.ts);
 * each bundle's SDK client has its own connection pool, so the function whose invocation opened a
 * connection is the function of every request on it. The proxy looks the connection's client port
 * up and notes the request as IAM would authorise it (test/support/dynamo-requests.ts). Requests on
 * connections no function opened (a test's own clients) are counted apart.
 */
import diagnostics from "node:diagnostics_channel";
import { createServer, request as httpRequest, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo, Socket } from "node:net";
import { currentFunction } from "../../infra/local/running-function.ts";
import { type AuthorisedRequest, authorisedRequests } from "./dynamo-requests.ts";

export interface FunctionRequest extends AuthorisedRequest {
  /** The bundle that made it (`markets-get`). */
  readonly bundle: string;
  /** DynamoDB's answer: 200, or 400 for a refused condition and the like. */
  readonly status: number;
}

export interface FunctionCallRecorder {
  readonly endpoint: string;
  readonly requests: readonly FunctionRequest[];
  /** Requests on connections no function opened. */
  readonly unattributed: number;
  stop(): Promise<void>;
}

function readBody(message: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    message.on("data", (chunk: Buffer) => chunks.push(chunk));
    message.on("end", () => resolve(Buffer.concat(chunks)));
    message.on("error", reject);
  });
}

export async function startFunctionCallRecorder(target: string): Promise<FunctionCallRecorder> {
  const upstream = new URL(target);
  const requests: FunctionRequest[] = [];
  let unattributed = 0;
  /** Client port of a connection → the bundle whose invocation opened it. */
  const opener = new Map<number, string>();
  const onSocket = ({ socket }: { socket: Socket }) => {
    const bundle = currentFunction();
    if (!bundle) return;
    socket.once("connect", () => {
      if (socket.localPort !== undefined) opener.set(socket.localPort, bundle);
    });
  };
  diagnostics.subscribe("net.client.socket", onSocket as (message: unknown) => void);

  const server: Server = createServer(async (req, res) => {
    const body = await readBody(req);
    const bundle = opener.get(req.socket.remotePort ?? -1);
    const operation = String(req.headers["x-amz-target"] ?? "?").replace(/^DynamoDB_\d+\./, "");
    const forward = httpRequest(
      {
        host: upstream.hostname,
        port: upstream.port,
        method: req.method,
        path: req.url,
        headers: { ...req.headers, host: upstream.host },
      },
      async (answer) => {
        const payload = await readBody(answer);
        if (bundle) {
          const input = JSON.parse(body.toString("utf8")) as Record<string, unknown>;
          for (const request of authorisedRequests(operation, input))
            requests.push({ ...request, bundle, status: answer.statusCode ?? 0 });
        } else unattributed++;
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
    requests,
    get unattributed() {
      return unattributed;
    },
    stop: () =>
      new Promise<void>((resolve) => {
        diagnostics.unsubscribe("net.client.socket", onSocket as (message: unknown) => void);
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
