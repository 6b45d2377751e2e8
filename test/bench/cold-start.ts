/**
 * Cold-start cost of each route bundle against a bare handler that makes the same DynamoDB call
 * (dist/baseline/bare-get-item), measured in the same run: bundle bytes a cold start loads, and the
 * median time to import the bundle in a fresh Node process. Prints a table and writes JSON.
 *
 *   npm run build && npx tsx test/bench/cold-start.ts [runs]
 */
import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { median, percentile } from "./stats.ts";

const ROOT = join(import.meta.dirname, "..", "..");
const RUNS = Number(process.argv[2] ?? 15);

interface BuildReport {
  baseline: { coldStartBytes: number };
  bundles: { name: string; coldStartBytes: number; totalBytes: number }[];
}

/** Import a module in a fresh process and return how long the import took (ms). */
function importTime(file: string): number {
  const script = `const t = performance.now(); await import(${JSON.stringify(pathToFileURL(file).href)}); process.stdout.write(String(performance.now() - t));`;
  const out = execFileSync(process.execPath, ["--input-type=module", "-e", script], {
    env: {
      ...process.env,
      AWS_REGION: "us-east-1",
      POWERTOOLS_LOG_LEVEL: "SILENT",
      AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: "true",
    },
    encoding: "utf8",
  });
  return Number(out);
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
].filter((target) => existsSync(target.file));

const samples = new Map<string, number[]>(targets.map((target) => [target.name, []]));
// Interleave the targets run by run, so machine noise spreads evenly over all of them.
for (let run = 0; run < RUNS; run++) {
  for (const target of targets) samples.get(target.name)?.push(importTime(target.file));
}

const baselineMs = median(samples.get("baseline") ?? [0]);
const rows = targets.map((target) => {
  const times = samples.get(target.name) ?? [];
  const ms = median(times);
  return {
    bundle: target.name,
    "cold-start KB": (target.bytes / 1024).toFixed(1),
    "size ×": (target.bytes / report.baseline.coldStartBytes).toFixed(2),
    "import ms (median)": ms.toFixed(1),
    "import ms (p90)": percentile(times, 90).toFixed(1),
    "import ×": (ms / baselineMs).toFixed(2),
  };
});
console.table(rows);
console.log(`${RUNS} fresh processes per bundle, interleaved; baseline = bare GetItem handler.`);

const out = join(ROOT, "test", "bench", "results");
mkdirSync(out, { recursive: true });
writeFileSync(
  join(out, "cold-start.json"),
  JSON.stringify({ runs: RUNS, node: process.version, rows }, null, 2),
);
