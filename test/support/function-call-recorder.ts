/**
 * A recording proxy in front of DynamoDB that knows which local function made each request. The
 * local runtime runs every invocation inside its function's context (infra/local/running-function.ts);
 * each bundle's SDK client has its own connection pool, so the function whose invocation opened a
 * connection is the function of every request on it. The proxy looks the connection's client port
 * up and notes the request as IAM would authorise it (test/support/dynamo-requests.ts). Requests on
 * connections no function opened (a test's own clients) are counted apart.
 */
import diagnostics from "node:diagnostics_channel";
import type { Socket } from "node:net";
import { currentFunction } from "../../infra/local/running-function.ts";
import { type AuthorisedRequest, authorisedRequests } from "./dynamo-requests.ts";
import { dynamoOperation, startForwardingProxy } from "./forwarding-proxy.ts";

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

export async function startFunctionCallRecorder(target: string): Promise<FunctionCallRecorder> {
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

  const proxy = await startForwardingProxy(target, (req, body) => {
    const bundle = opener.get(req.socket.remotePort ?? -1);
    if (!bundle) {
      unattributed++;
      return {};
    }
    return {
      answered: (status) => {
        const input = JSON.parse(body.toString("utf8")) as Record<string, unknown>;
        for (const request of authorisedRequests(dynamoOperation(req), input))
          requests.push({ ...request, bundle, status });
      },
    };
  });
  return {
    endpoint: proxy.endpoint,
    requests,
    get unattributed() {
      return unattributed;
    },
    stop: () => {
      diagnostics.unsubscribe("net.client.socket", onSocket as (message: unknown) => void);
      return proxy.stop();
    },
  };
}
