/**
 * A counting proxy in front of DynamoDB: every call the bundles make passes through it, and while a
 * recording is open each call is noted with its operation (X-Amz-Target) and when it started and
 * ended. The longest chain of calls that waited for each other (one started after another ended) is
 * the request's sequential round trips; calls side by side count once in it.
 */
import { createServer, request as httpRequest, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";

export interface RecordedCall {
  operation: string;
  started: number;
  ended: number;
  /** ConsumedCapacity of the call when it was asked for (bench mode), as DynamoDB returned it. */
  consumed?: unknown;
}

export interface CallRecorder {
  readonly endpoint: string;
  /** Record the calls made while `run` is in flight. */
  record<T>(run: () => Promise<T>): Promise<{ result: T; calls: RecordedCall[] }>;
  stop(): Promise<void>;
}

/** Longest chain of calls in which each started after the previous one ended. */
export function sequentialDepth(calls: readonly RecordedCall[]): number {
  const sorted = [...calls].sort((a, b) => a.started - b.started);
  const depth: number[] = [];
  sorted.forEach((call, i) => {
    let before = 0;
    for (let j = 0; j < i; j++) {
      const earlier = sorted[j] as RecordedCall;
      if (earlier.ended <= call.started) before = Math.max(before, depth[j] as number);
    }
    depth.push(before + 1);
  });
  return Math.max(0, ...depth);
}

function readBody(message: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    message.on("data", (chunk: Buffer) => chunks.push(chunk));
    message.on("end", () => resolve(Buffer.concat(chunks)));
    message.on("error", reject);
  });
}

export async function startCallRecorder(target: string): Promise<CallRecorder> {
  const upstream = new URL(target);
  let recording: RecordedCall[] | undefined;
  const server: Server = createServer(async (req, res) => {
    const body = await readBody(req);
    const operation = String(req.headers["x-amz-target"] ?? "?").replace(/^DynamoDB_\d+\./, "");
    const call: RecordedCall = { operation, started: performance.now(), ended: 0 };
    const log = recording;
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
        call.ended = performance.now();
        if (log) {
          try {
            const parsed = JSON.parse(payload.toString("utf8")) as { ConsumedCapacity?: unknown };
            if (parsed.ConsumedCapacity) call.consumed = parsed.ConsumedCapacity;
          } catch {
            // Not JSON (an error page): the call still counts.
          }
          log.push(call);
        }
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
    async record(run) {
      const calls: RecordedCall[] = [];
      recording = calls;
      try {
        const result = await run();
        return { result, calls };
      } finally {
        recording = undefined;
      }
    },
    stop: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
