/**
 * Cold-start cost of each route bundle against a bare handler that makes the same DynamoDB call
 * (dist/baseline/bare-get-item), measured in the same run: bundle bytes a cold start loads, and the
 * median time to import the bundle in a fresh Node process. Prints a table and writes JSON.
 *
 *   npm run build && npx tsx test/bench/cold-start.ts [runs]
 */
import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { median, percentile } from "./stats.ts";

const ROOT = join(import.meta.dirname, "..", "..");
const RUNS = Number(process.argv[2] ?? 15);

interface BuildReport {
  baseline: { coldStartBytes: number };
  bundles: { name: string; coldStartBytes: number; totalBytes: number }[];
}

interface ImportSample {
  /** Wall-clock milliseconds: what a cold start waits, but on a shared machine mostly other processes. */
  wallMs: number;
  /** CPU milliseconds the importing process spent (user + system): steadier under load. */
  cpuMs: number;
}

/** Import modules, in order, in a fresh process and return how long the imports took. */
function importTime(file: string, then?: string): ImportSample {
  const imports = [file, ...(then ? [then] : [])]
    .map((each) => `await import(${JSON.stringify(pathToFileURL(each).href)});`)
    .join(" ");
  const script =
    `const c = process.cpuUsage(); const t = performance.now(); ${imports} ` +
    "const wallMs = performance.now() - t; const cpu = process.cpuUsage(c); " +
    "process.stdout.write(JSON.stringify({ wallMs, cpuMs: (cpu.user + cpu.system) / 1000 }));";
  const out = execFileSync(process.execPath, ["--input-type=module", "-e", script], {
    env: {
      ...process.env,
      AWS_REGION: "us-east-1",
      POWERTOOLS_LOG_LEVEL: "SILENT",
      AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: "true",
    },
    encoding: "utf8",
  });
  return JSON.parse(out) as ImportSample;
}

const report = JSON.parse(readFileSync(join(ROOT, "dist", "build-report.json"), "utf8")) as BuildReport;
const targets = [
  {
    name: "baseline",
    file: join(ROOT, "dist", "baseline", "bare-get-item", "index.mjs"),
    bytes: report.baseline.coldStartBytes,
  },
  ...report.bundles.map((bundle) => ({
    name: bundle.name,
    file: join(ROOT, "dist", "functions", bundle.name, "index.mjs"),
    bytes: bundle.coldStartBytes,
  })),
].filter((target) => existsSync(target.file)) as {
  name: string;
  file: string;
  bytes: number;
  alsoImport?: string;
}[];

// The Powertools Tracer is a lazy chunk, loaded only with TRACER_ENABLED=true: the bundles above
// never load it. This row is what turning it on adds to a cold start of markets-get.
const getDir = join(ROOT, "dist", "functions", "markets-get");
const tracerChunk = existsSync(join(getDir, "chunks"))
  ? readdirSync(join(getDir, "chunks")).find((file) => file.startsWith("powertools-tracer-"))
  : undefined;
const getTarget = targets.find((target) => target.name === "markets-get");
if (tracerChunk && getTarget) {
  const chunk = join(getDir, "chunks", tracerChunk);
  targets.push({
    name: "markets-get + tracer",
    file: getTarget.file,
    alsoImport: chunk,
    bytes: getTarget.bytes + statSync(chunk).size,
  });
}

const samples = new Map<string, ImportSample[]>(targets.map((target) => [target.name, []]));
// Interleave the targets run by run, so machine noise spreads evenly over all of them.
for (let run = 0; run < RUNS; run++) {
  for (const target of targets) samples.get(target.name)?.push(importTime(target.file, target.alsoImport));
  process.stderr.write(`\r[cold-start] run ${run + 1}/${RUNS}`);
}

const baselineSamples = samples.get("baseline") ?? [];
const baselineMs = median(baselineSamples.map((sample) => sample.wallMs));
const baselineCpuMs = median(baselineSamples.map((sample) => sample.cpuMs));
const rows = targets.map((target) => {
  const times = (samples.get(target.name) ?? []).map((sample) => sample.wallMs);
  const cpuMs = median((samples.get(target.name) ?? []).map((sample) => sample.cpuMs));
  const ms = median(times);
  return {
    bundle: target.name,
    "cold-start KB": (target.bytes / 1024).toFixed(1),
    "size ×": (target.bytes / report.baseline.coldStartBytes).toFixed(2),
    "import ms (median)": ms.toFixed(1),
    "import ms (p90)": percentile(times, 90).toFixed(1),
    "import ×": (ms / baselineMs).toFixed(2),
    "import CPU ms (median)": cpuMs.toFixed(1),
    "CPU ×": (cpuMs / baselineCpuMs).toFixed(2),
  };
});
process.stderr.write("\n");
console.table(rows);
console.log(
  `${RUNS} fresh processes per bundle, interleaved; baseline = bare GetItem handler. ` +
    "CPU = user + system time of the importing process, less disturbed by other load than wall time.",
);

const out = join(ROOT, "test", "bench", "results");
mkdirSync(out, { recursive: true });
writeFileSync(
  join(out, "cold-start.json"),
  JSON.stringify({ runs: RUNS, node: process.version, rows }, null, 2),
);
