/**
 * Stopping the local cloud the ways IDEs, process managers and people do: SIGTERM to the npm
 * process, SIGINT or SIGTERM to the server process alone, and Ctrl-C (SIGINT to the whole process
 * group). Each time every process of the tree (npm, node, java, the search catch-up) must be gone
 * within a few seconds and the port free. Runs `npm run serve`, the script `npm start` hands over
 * to after its build, with its own DynamoDB Local and a throwaway data folder. Linux only (/proc).
 */
import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { connect } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { freePort } from "../../infra/local/free-port.ts";
import { listenerOf, type ProcessInfo, processTree, stillRunning } from "../support/process-tree.ts";

const ROOT = fileURLToPath(new URL("../..", import.meta.url));
/** "A few seconds": java's own shutdown is the slow part. */
const STOP_WITHIN_MS = 8_000;

interface Started {
  readonly npm: ChildProcess & { pid: number };
  readonly port: number;
  readonly tree: ProcessInfo[];
  readonly server: number;
  readonly output: () => string;
  readonly dataDir: string;
}

async function startServe(): Promise<Started> {
  const port = await freePort();
  const dataDir = mkdtempSync(join(tmpdir(), "npm-start-signals-"));
  const env: NodeJS.ProcessEnv = { ...process.env, PORT: String(port), LOCAL_DATA: dataDir };
  // Its own DynamoDB Local (the java process under test), not the test run's shared one.
  delete env.DYNAMODB_ENDPOINT;
  delete env.SQS_ENDPOINT;
  // detached: a process group of its own, as a terminal gives `npm start`; Ctrl-C reaches all of it.
  const npm = spawn("npm", ["run", "--silent", "serve"], {
    cwd: ROOT,
    env,
    detached: true,
    stdio: ["ignore", "pipe", "pipe"],
  }) as ChildProcess & { pid: number };
  let output = "";
  const collect = (chunk: Buffer) => {
    output = (output + chunk.toString("utf8")).slice(-8000);
  };
  npm.stdout?.on("data", collect);
  npm.stderr?.on("data", collect);
  const deadline = Date.now() + 60_000;
  while (!output.includes("ready at")) {
    if (npm.exitCode !== null || Date.now() > deadline) {
      killAll(processTree(npm.pid));
      throw new Error(`npm run serve did not start:\n${output}`);
    }
    await sleep(100);
  }
  const server = listenerOf(port);
  if (server === undefined) throw new Error(`nothing listens on ${port}`);
  return { npm, port, tree: processTree(npm.pid), server, output: () => output, dataDir };
}

function killAll(processes: readonly ProcessInfo[]): void {
  for (const info of stillRunning(processes)) {
    try {
      process.kill(info.pid, "SIGKILL");
    } catch {
      // already gone
    }
  }
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function portIsFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ port, host: "127.0.0.1" });
    socket.once("connect", () => {
      socket.destroy();
      resolve(false);
    });
    socket.once("error", () => resolve(true));
  });
}

/** Send the signal, then wait for the whole tree to be gone; returns what is left and how long it took. */
async function stopAndWatch(started: Started, send: () => void) {
  const sentAt = Date.now();
  send();
  let survivors = stillRunning(started.tree);
  while (survivors.length > 0 && Date.now() - sentAt < STOP_WITHIN_MS) {
    await sleep(100);
    survivors = stillRunning(started.tree);
  }
  return { survivors, elapsedMs: Date.now() - sentAt, portFree: await portIsFree(started.port) };
}

const cases: [string, (started: Started) => void][] = [
  ["kill -TERM <npm pid>", ({ npm }) => process.kill(npm.pid, "SIGTERM")],
  ["SIGINT to the server process", ({ server }) => process.kill(server, "SIGINT")],
  ["SIGTERM to the server process", ({ server }) => process.kill(server, "SIGTERM")],
  ["Ctrl-C (SIGINT to the process group)", ({ npm }) => process.kill(-npm.pid, "SIGINT")],
];

describe.skipIf(process.platform !== "linux")("stopping npm start", () => {
  it.each(cases)("%s stops every process and frees the port", { timeout: 120_000 }, async (name, send) => {
    const started = await startServe();
    try {
      expect(started.tree.some((info) => info.command.includes("DynamoDBLocal.jar"))).toBe(true);
      const { survivors, elapsedMs, portFree } = await stopAndWatch(started, () => send(started));
      console.info(
        `${name}: ${started.tree.length} processes, ${survivors.length} left after ${elapsedMs} ms`,
      );
      expect(
        survivors.map((info) => info.command.slice(0, 120)),
        `after ${elapsedMs} ms\n${started.output()}`,
      ).toEqual([]);
      expect(portFree).toBe(true);
    } finally {
      killAll(started.tree);
      rmSync(started.dataDir, { recursive: true, force: true });
    }
  });
});
