/**
 * Dependencies a fault-injection test can stop and start again on the same endpoint, so the
 * bundles, which keep their endpoints for the life of the execution environment, meet a real outage
 * and a real recovery: DynamoDB Local keeping its data on disk, a local SQS server (its queues are
 * re-created on start, as a deployment's would still exist), and a redis-server of the test's own
 * on a free port (never the shared one on 6379).
 */
import { type ChildProcess, spawn, spawnSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import type { Server } from "node:http";
import { createConnection } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createSqsServer } from "local-aws-sqs";
import { startDynamoDbLocal } from "../../infra/local/dynamodb-local.ts";
import { freePort, waitUntil } from "../../infra/local/free-port.ts";
import { LOCAL_REGION } from "../../infra/local/local-env.ts";
import { createQueuePair, localSqsClient } from "../../infra/local/sqs-local.ts";

export interface Restartable {
  readonly endpoint: string;
  stop(): Promise<void>;
  start(): Promise<void>;
  /** Stop for good and remove what it kept on disk. */
  dispose(): Promise<void>;
}

export async function restartableDynamoDb(): Promise<Restartable> {
  const port = await freePort();
  const dataDir = mkdtempSync(join(tmpdir(), "markets-api-fault-db-"));
  let running: { stop(): Promise<void> } | undefined;
  const start = async () => {
    // A DYNAMODB_ENDPOINT in the environment (a local cloud sets it for its bundles) would make
    // startDynamoDbLocal reuse that endpoint instead of starting the engine.
    const saved = process.env.DYNAMODB_ENDPOINT;
    delete process.env.DYNAMODB_ENDPOINT;
    try {
      running = await startDynamoDbLocal({ dataDir, port });
    } finally {
      if (saved !== undefined) process.env.DYNAMODB_ENDPOINT = saved;
    }
  };
  const stop = async () => {
    await running?.stop();
    running = undefined;
  };
  await start();
  return {
    endpoint: `http://127.0.0.1:${port}`,
    start,
    stop,
    dispose: async () => {
      await stop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

export async function restartableSqs(queues: { queueName: string; dlqName: string }): Promise<Restartable> {
  const port = await freePort();
  const endpoint = `http://127.0.0.1:${port}`;
  let server: Server | undefined;
  const start = async () => {
    server = (await createSqsServer({
      port,
      hostname: "127.0.0.1",
      region: LOCAL_REGION,
      emulateQueueCreationLifecycle: false,
    })) as Server;
    const client = localSqsClient(endpoint);
    try {
      await createQueuePair(client, queues);
    } finally {
      client.destroy();
    }
  };
  const stop = async () => {
    const closing = server;
    server = undefined;
    if (!closing) return;
    await new Promise<void>((resolve) => {
      closing.closeAllConnections();
      closing.close(() => resolve());
    });
  };
  await start();
  return { endpoint, start, stop, dispose: stop };
}

export const redisServerInstalled = (): boolean =>
  !spawnSync("redis-server", ["--version"], { stdio: "ignore" }).error;

export async function restartableRedis(): Promise<Restartable> {
  const port = await freePort();
  let child: ChildProcess | undefined;
  const reachable = () =>
    new Promise<boolean>((resolve) => {
      const socket = createConnection({ host: "127.0.0.1", port }, () => {
        socket.destroy();
        resolve(true);
      });
      socket.on("error", () => resolve(false));
    });
  const start = async () => {
    child = spawn(
      "redis-server",
      ["--port", String(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
      { stdio: "ignore" },
    );
    await waitUntil(reachable, { timeoutMs: 10_000, describe: () => `redis-server on ${port}` });
  };
  const stop = async () => {
    const stopping = child;
    child = undefined;
    if (!stopping || stopping.exitCode !== null) return;
    const exited = new Promise<void>((resolve) => stopping.once("exit", () => resolve()));
    stopping.kill("SIGTERM");
    await exited;
  };
  const killOnExit = () => child?.kill("SIGKILL");
  process.once("exit", killOnExit);
  await start();
  return {
    endpoint: `redis://127.0.0.1:${port}`,
    start,
    stop,
    dispose: async () => {
      await stop();
      process.off("exit", killOnExit);
    },
  };
}
