/**
 * Runs AWS's DynamoDB Local (the jar fetched into .dynamodb-local/ by `npm install`) as a child
 * process on a free port, so the local cloud and the tests talk to a real DynamoDB engine:
 * conditions, transactions and GSIs behave as deployed. `DYNAMODB_ENDPOINT` skips all of this
 * and points at a DynamoDB the developer already runs.
 */
import { type ChildProcess, spawn, spawnSync } from "node:child_process";
import { existsSync, mkdirSync } from "node:fs";
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { freePort, waitUntil } from "./free-port.ts";

export const DYNAMODB_LOCAL_DIR = fileURLToPath(new URL("../../.dynamodb-local", import.meta.url));

export interface DynamoDbLocalOptions {
  /** An already running DynamoDB to use instead; defaults to DYNAMODB_ENDPOINT. */
  endpoint?: string;
  /** A folder for the database files, or "memory" to keep nothing (tests). */
  dataDir: string | "memory";
  /** Where the jar lives; .dynamodb-local/ by default. */
  installDir?: string;
  /** Forward DynamoDB Local's own output (noisy, useful when it will not start). */
  verbose?: boolean;
  /** A fixed port (a restart on the same endpoint, for outage tests); a free one by default. */
  port?: number;
}

export interface DynamoDbLocal {
  readonly endpoint: string;
  /** Stop the Java process (no-op when an external DYNAMODB_ENDPOINT is used). */
  stop(): Promise<void>;
}

/** Start DynamoDB Local, or reuse `DYNAMODB_ENDPOINT`, and resolve once it answers requests. */
export async function startDynamoDbLocal(options: DynamoDbLocalOptions): Promise<DynamoDbLocal> {
  const external = options.endpoint ?? process.env.DYNAMODB_ENDPOINT;
  if (external) return { endpoint: external, stop: async () => {} };

  const installDir = options.installDir ?? DYNAMODB_LOCAL_DIR;
  assertJavaInstalled();
  assertJarInstalled(installDir);

  const port = options.port ?? (await freePort());
  const storage = options.dataDir === "memory" ? ["-inMemory"] : ["-dbPath", ensureFolder(options.dataDir)];
  // -sharedDb: one database whatever the credentials and region, so the AWS CLI with a developer's
  // real profile sees the same tables as the bundles with their dummy keys.
  const args = [
    `-Djava.library.path=${join(installDir, "DynamoDBLocal_lib")}`,
    "-jar",
    join(installDir, "DynamoDBLocal.jar"),
    "-port",
    String(port),
    ...storage,
    "-sharedDb",
    "-disableTelemetry",
  ];
  const child = spawn("java", args, { cwd: installDir, stdio: ["ignore", "pipe", "pipe"] });
  const output = captureOutput(child, options.verbose ?? false);

  // If node dies without calling stop() (an uncaught error, process.exit), java must not outlive it.
  const killOnExit = () => child.kill("SIGKILL");
  process.once("exit", killOnExit);

  const endpoint = `http://127.0.0.1:${port}`;
  try {
    await waitUntil(
      async () => {
        if (child.exitCode !== null)
          throw new Error(`DynamoDB Local exited (${child.exitCode}): ${output()}`);
        // Any HTTP answer (a 400 for a request without X-Amz-Target) means the server is up.
        return fetch(endpoint, { method: "POST" }).then(
          () => true,
          () => false,
        );
      },
      {
        timeoutMs: 30_000,
        describe: () => `DynamoDB Local did not answer on ${endpoint}. Output: ${output()}`,
      },
    );
  } catch (error) {
    await stopChild(child);
    process.off("exit", killOnExit);
    throw error;
  }

  return {
    endpoint,
    stop: async () => {
      await stopChild(child);
      process.off("exit", killOnExit);
    },
  };
}

function assertJavaInstalled(): void {
  const probe = spawnSync("java", ["-version"], { stdio: "ignore" });
  if (probe.error) {
    throw new Error(
      "DynamoDB Local needs Java 17 or newer, and `java` was not found on the PATH. Install it " +
        "(Debian/Ubuntu: `apt-get install -y openjdk-17-jre-headless`; macOS: `brew install openjdk@17`), " +
        "or set DYNAMODB_ENDPOINT to another DynamoDB (e.g. http://localhost:8000).",
    );
  }
}

function assertJarInstalled(installDir: string): void {
  if (!existsSync(join(installDir, "DynamoDBLocal.jar"))) {
    throw new Error(
      `DynamoDB Local is not installed (${join(installDir, "DynamoDBLocal.jar")} is missing). ` +
        "Run `npm install` (or `node scripts/fetch-dynamodb-local.mjs`), or set DYNAMODB_ENDPOINT " +
        "to another DynamoDB.",
    );
  }
}

function ensureFolder(folder: string): string {
  const absolute = resolve(folder);
  mkdirSync(absolute, { recursive: true });
  return absolute;
}

/** Keep the last few KB of output for error messages; always drain the pipes so java never blocks. */
function captureOutput(child: ChildProcess, verbose: boolean): () => string {
  let tail = "";
  const collect = (chunk: Buffer) => {
    if (verbose) process.stderr.write(`[dynamodb-local] ${chunk.toString("utf8")}`);
    tail = (tail + chunk.toString("utf8")).slice(-4000);
  };
  child.stdout?.on("data", collect);
  child.stderr?.on("data", collect);
  return () => tail.trim() || "(no output)";
}

/** SIGTERM, then SIGKILL if java has not exited within 5 s. */
async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolveExit) => child.once("exit", () => resolveExit()));
  child.kill("SIGTERM");
  const timer = setTimeout(() => child.kill("SIGKILL"), 5_000);
  await exited;
  clearTimeout(timer);
}
