/**
 * Cold-start cost of each route bundle against a bare handler that makes the same DynamoDB call
 * (dist/baseline/bare-get-item) and against the Express + serverless-http lambdalith serving the
 * same routes (built here, test/bench/lambdalith.ts), all measured interleaved in the same run:
 * bundle bytes a cold start loads, and the median time to import the bundle in a fresh Node
 * process, as wall time and as the CPU time the import used (robust on a shared machine, where
 * wall time also counts waiting for a core). Lists, from the esbuild metafiles, what each bundle
 * loads beyond the baseline. Prints tables and writes JSON.
 *
 *   npm run build && npx tsx test/bench/cold-start.ts [runs]
 */
import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { beyondBaseline, coldStartSources } from "./bundle-contents.ts";
import { buildLambdalith, LAMBDALITH_META } from "./lambdalith.ts";
import { median, percentile } from "./stats.ts";

const ROOT = join(import.meta.dirname, "..", "..");
const RUNS = Number(process.argv[2] ?? 9);

interface BuildReport {
  baseline: { coldStartBytes: number };
  bundles: { name: string; coldStartBytes: number; totalBytes: number }[];
}

/** Import modules, in order, in a fresh process; how long the imports took (ms), wall and CPU. */
function importTime(file: string, then?: string): { wall: number; cpu: number } {
  const imports = [file, ...(then ? [then] : [])]
    .map((each) => `await import(${JSON.stringify(pathToFileURL(each).href)});`)
    .join(" ");
  const script =
    `const t = performance.now(); const c = process.cpuUsage(); ${imports} const u = process.cpuUsage(c); ` +
    "process.stdout.write(JSON.stringify({ wall: performance.now() - t, cpu: (u.user + u.system) / 1000 }));";
  const out = execFileSync(process.execPath, ["--input-type=module", "-e", script], {
    env: {
      ...process.env,
      AWS_REGION: "us-east-1",
      POWERTOOLS_LOG_LEVEL: "SILENT",
      AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: "true",
    },
    encoding: "utf8",
  });
  return JSON.parse(out) as { wall: number; cpu: number };
}

const report = JSON.parse(readFileSync(join(ROOT, "dist", "build-report.json"), "utf8")) as BuildReport;
const lambdalith = await buildLambdalith();
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
  { name: "lambdalith (Express)", file: lambdalith.file, bytes: lambdalith.coldStartBytes },
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

const samples = new Map<string, { wall: number; cpu: number }[]>(targets.map((target) => [target.name, []]));
// Interleave the targets run by run, so machine noise spreads evenly over all of them.
for (let run = 0; run < RUNS; run++) {
  for (const target of targets) samples.get(target.name)?.push(importTime(target.file, target.alsoImport));
  process.stderr.write(`\r[cold-start] run ${run + 1}/${RUNS}`);
}

const wallOf = (name: string) => (samples.get(name) ?? []).map((sample) => sample.wall);
const cpuOf = (name: string) => (samples.get(name) ?? []).map((sample) => sample.cpu);
const baselineMs = median(wallOf("baseline"));
const baselineCpu = median(cpuOf("baseline"));
const lambdalithCpu = median(cpuOf("lambdalith (Express)"));
const lambdalithMs = median(wallOf("lambdalith (Express)"));
const rows = targets.map((target) => {
  const ms = median(wallOf(target.name));
  const cpu = median(cpuOf(target.name));
  const size = target.bytes / report.baseline.coldStartBytes;
  return {
    bundle: target.name,
    "cold-start KB": (target.bytes / 1024).toFixed(1),
    "size ×": size.toFixed(2),
    "import CPU ms": cpu.toFixed(1),
    "import CPU ×": (cpu / baselineCpu).toFixed(2),
    "import wall ms (median)": ms.toFixed(1),
    "import wall ms (p90)": percentile(wallOf(target.name), 90).toFixed(1),
    "import wall ×": (ms / baselineMs).toFixed(2),
    "× lambdalith import (CPU / wall)": `${(cpu / lambdalithCpu).toFixed(2)} / ${(ms / lambdalithMs).toFixed(2)}`,
  };
});
process.stderr.write("\n");
console.table(rows);
console.log(
  `${RUNS} fresh processes per bundle, interleaved; baseline = bare GetItem handler; ` +
    "lambdalith = Express + serverless-http serving the same routes.",
);

// What each bundle loads at cold start beyond the baseline, from the metafiles.
const baselineSources = coldStartSources(join(ROOT, "dist", "meta", "baseline.json"));
const contents = [...report.bundles.map((bundle) => bundle.name), "lambdalith"].flatMap((name) => {
  const meta = name === "lambdalith" ? LAMBDALITH_META : join(ROOT, "dist", "meta", `${name}.json`);
  if (!existsSync(meta)) return [];
  const extra = beyondBaseline(coldStartSources(meta), baselineSources);
  return [{ bundle: name, extraBytes: extra.reduce((sum, entry) => sum + entry.bytes, 0), sources: extra }];
});
const describe = (sources: { source: string; bytes: number }[]) =>
  sources.map((entry) => `${entry.source} ${(entry.bytes / 1024).toFixed(1)}`).join(", ");
console.table(
  contents.map((entry) => ({
    bundle: entry.bundle,
    "beyond baseline KB": (entry.extraBytes / 1024).toFixed(1),
    "largest sources (KB)": describe(entry.sources.slice(0, 6)),
  })),
);

const out = join(ROOT, "test", "bench", "results");
mkdirSync(out, { recursive: true });
writeFileSync(
  join(out, "cold-start.json"),
  `${JSON.stringify({ date: new Date().toISOString(), runs: RUNS, node: process.version, rows, contents }, null, 2)}\n`,
);
