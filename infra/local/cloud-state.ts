/**
 * How tools find a running `npm start`: it writes the endpoints of its database and queue to
 * `<LOCAL_DATA>/local-cloud.json` (`.data/` when the data lives in memory) once it is ready, and
 * removes the file when it stops. `npm run invoke` then writes to the same database and queues on
 * the same queue, so an invoked create is indexed by the running worker and becomes searchable.
 * A file left by a process that died is recognised (its pid is gone) and ignored.
 */
import { readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";

export interface LocalCloudState {
  pid: number;
  url: string;
  dynamodbEndpoint: string;
  sqsEndpoint: string;
  tableName: string;
  queueUrl: string;
  dlqUrl: string;
  startedAt: string;
}

const STATE_FILE = "local-cloud.json";

/** Where the state of a local cloud with this data folder lives. */
export function stateFileFor(dataDir: string): string {
  return join(dataDir === "memory" ? ".data" : dataDir, STATE_FILE);
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: the process exists but belongs to someone else.
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

/** Write the state (the folder exists: DynamoDB Local created it, or `.data` is made here). */
export function writeCloudState(file: string, state: LocalCloudState): void {
  writeFileSync(file, `${JSON.stringify(state, null, 2)}\n`, { mode: 0o600 });
}

/** Remove the state, but only if it is this process's: a second `npm start` must not erase the first's. */
export function removeCloudState(file: string, pid = process.pid): void {
  if (readCloudState(file)?.pid === pid) rmSync(file, { force: true });
}

/** The running local cloud's state, or undefined when none is running. */
export function readCloudState(file: string): LocalCloudState | undefined {
  let state: LocalCloudState;
  try {
    state = JSON.parse(readFileSync(file, "utf8")) as LocalCloudState;
  } catch {
    return undefined;
  }
  return Number.isInteger(state.pid) && isAlive(state.pid) ? state : undefined;
}
