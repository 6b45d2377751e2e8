/**
 * A counting proxy in front of DynamoDB: every call the bundles make passes through it, and while a
 * recording is open each call is noted with its operation (X-Amz-Target) and when it started and
 * ended. The longest chain of calls that waited for each other (one started after another ended) is
 * the request's sequential round trips; calls side by side count once in it.
 */
import { dynamoOperation, startForwardingProxy } from "../support/forwarding-proxy.ts";

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

/** Operations that take ReturnConsumedCapacity. */
const CAPACITY_OPERATIONS = new Set([
  "GetItem",
  "PutItem",
  "UpdateItem",
  "DeleteItem",
  "Query",
  "Scan",
  "BatchGetItem",
  "BatchWriteItem",
  "TransactWriteItems",
  "TransactGetItems",
]);

/** Read and write units of one call, summed over the table and its indexes. */
export function capacityOf(call: RecordedCall): { read: number; write: number } {
  const entries = (Array.isArray(call.consumed) ? call.consumed : call.consumed ? [call.consumed] : []) as {
    CapacityUnits?: number;
    ReadCapacityUnits?: number;
    WriteCapacityUnits?: number;
  }[];
  const writes = /Put|Update|Delete|Write/.test(call.operation);
  let read = 0;
  let write = 0;
  for (const entry of entries) {
    const total = entry.CapacityUnits ?? 0;
    read += entry.ReadCapacityUnits ?? (writes ? 0 : total);
    write += entry.WriteCapacityUnits ?? (writes ? total : 0);
  }
  return { read, write };
}

/**
 * `consumedCapacity` (bench mode) adds `ReturnConsumedCapacity: INDEXES` to every call that takes it,
 * so a recording shows the units of the table and of each index; DynamoDB Local does not check
 * signatures, so the rewritten body is accepted.
 */
export async function startCallRecorder(
  target: string,
  options: { consumedCapacity?: boolean } = {},
): Promise<CallRecorder> {
  let recording: RecordedCall[] | undefined;
  const proxy = await startForwardingProxy(target, (req, received) => {
    const operation = dynamoOperation(req);
    const body =
      options.consumedCapacity && CAPACITY_OPERATIONS.has(operation)
        ? Buffer.from(
            JSON.stringify({ ...JSON.parse(received.toString("utf8")), ReturnConsumedCapacity: "INDEXES" }),
          )
        : received;
    const call: RecordedCall = { operation, started: performance.now(), ended: 0 };
    const log = recording;
    return {
      body,
      answered: (_status, payload) => {
        call.ended = performance.now();
        if (!log) return;
        try {
          const parsed = JSON.parse(payload.toString("utf8")) as { ConsumedCapacity?: unknown };
          if (parsed.ConsumedCapacity) call.consumed = parsed.ConsumedCapacity;
        } catch {
          // Not JSON (an error page): the call still counts.
        }
        log.push(call);
      },
    };
  });
  return {
    endpoint: proxy.endpoint,
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
    stop: () => proxy.stop(),
  };
}
