/**
 * The processes of a tree, read from /proc (Linux): for tests that check that stopping a command
 * leaves nothing behind. A process is identified by pid and start time, so a recycled pid is not
 * mistaken for a survivor.
 */
import { readdirSync, readFileSync, readlinkSync } from "node:fs";

export interface ProcessInfo {
  readonly pid: number;
  readonly ppid: number;
  readonly pgid: number;
  /** Start time in clock ticks since boot (field 22 of /proc/<pid>/stat). */
  readonly startTime: string;
  readonly command: string;
}

function readProcess(pid: number): ProcessInfo | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    // The command name is in parentheses and may hold spaces; the fields after it are fixed.
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    if (fields[0] === "Z") return undefined; // a zombie has exited; only its parent's wait is missing
    const command = readFileSync(`/proc/${pid}/cmdline`, "utf8").split("\0").join(" ").trim();
    return {
      pid,
      ppid: Number(fields[1]),
      pgid: Number(fields[2]),
      startTime: fields[19] ?? "",
      command,
    };
  } catch {
    return undefined; // gone between listing and reading
  }
}

export function allProcesses(): ProcessInfo[] {
  return readdirSync("/proc")
    .filter((name) => /^\d+$/.test(name))
    .map((name) => readProcess(Number(name)))
    .filter((info): info is ProcessInfo => info !== undefined);
}

/** `root` and every descendant of it, plus anything else in its process group when it leads one. */
export function processTree(root: number): ProcessInfo[] {
  const all = allProcesses();
  const rootInfo = all.find((info) => info.pid === root);
  const leadsGroup = rootInfo?.pgid === root;
  const members = new Map<number, ProcessInfo>();
  if (rootInfo) members.set(root, rootInfo);
  let grew = true;
  while (grew) {
    grew = false;
    for (const info of all) {
      if (members.has(info.pid)) continue;
      if (members.has(info.ppid) || (leadsGroup && info.pgid === root)) {
        members.set(info.pid, info);
        grew = true;
      }
    }
  }
  return [...members.values()];
}

/** Those of `processes` still running (same pid and start time). */
export function stillRunning(processes: readonly ProcessInfo[]): ProcessInfo[] {
  return processes.filter((info) => readProcess(info.pid)?.startTime === info.startTime);
}

/** The pid of the process listening on TCP `port` (IPv4 or IPv6), if any, from /proc/net/tcp*. */
export function listenerOf(port: number): number | undefined {
  const hexPort = port.toString(16).toUpperCase().padStart(4, "0");
  const inodes = new Set<string>();
  for (const table of ["/proc/net/tcp", "/proc/net/tcp6"]) {
    let text = "";
    try {
      text = readFileSync(table, "utf8");
    } catch {
      continue;
    }
    for (const line of text.split("\n").slice(1)) {
      const columns = line.trim().split(/\s+/);
      // local_address is ADDR:PORT in hex; state 0A is LISTEN; column 9 is the socket's inode.
      if (columns[1]?.endsWith(`:${hexPort}`) && columns[3] === "0A" && columns[9]) inodes.add(columns[9]);
    }
  }
  if (inodes.size === 0) return undefined;
  for (const info of allProcesses()) {
    try {
      for (const fd of readdirSync(`/proc/${info.pid}/fd`)) {
        const target = readlinkOrEmpty(`/proc/${info.pid}/fd/${fd}`);
        const inode = /^socket:\[(\d+)\]$/.exec(target)?.[1];
        if (inode && inodes.has(inode)) return info.pid;
      }
    } catch {
      // Not ours to inspect, or gone.
    }
  }
  return undefined;
}

function readlinkOrEmpty(path: string): string {
  try {
    return readlinkSync(path);
  } catch {
    return "";
  }
}
