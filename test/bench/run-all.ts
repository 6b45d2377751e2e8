/**
 * `npm run bench`: every benchmark in turn, each in its own process (a clean heap and module graph).
 * Each prints its table and writes JSON to test/bench/results/; report.ts then writes
 * docs/performance.md from that JSON.
 *
 * `npm run bench -- --short` (or BENCH_SHORT=1) runs each with few rounds: the mode CI runs so the
 * benchmarks cannot rot. Its figures are noisy; it does not rewrite docs/performance.md.
 */
import { execFileSync } from "node:child_process";
import { join } from "node:path";

const short = process.argv.includes("--short") || process.env.BENCH_SHORT === "1";

/** Each benchmark with its arguments in full and in short mode. */
const BENCHMARKS: [script: string, full: string[], brief: string[]][] = [
  ["round-trips.ts", [], []],
  ["cold-start.ts", [], ["3"]],
  ["data-access.ts", [], ["5"]],
  ["rate-limit-writes.ts", [], ["--short"]],
  ["search-quality.ts", [], []],
  ["search-latency.ts", [], []],
  ["search-engines.ts", [], []],
  ["search-cost.ts", [], []],
  ["search-freshness.ts", [], []],
  ["worker-throughput.ts", [], []],
];

const started = performance.now();
const run = (script: string, args: string[]) =>
  execFileSync(process.execPath, ["--import", "tsx", join(import.meta.dirname, script), ...args], {
    stdio: "inherit",
    env: {
      ...process.env,
      AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: "true",
      ...(short ? { BENCH_SHORT: "1" } : {}),
    },
  });

BENCHMARKS.forEach(([script, full, brief], i) => {
  const elapsed = ((performance.now() - started) / 1000).toFixed(0);
  console.log(
    `\n== [${i + 1}/${BENCHMARKS.length}] ${script} (${elapsed} s so far${short ? ", short" : ""})`,
  );
  run(script, short ? brief : full);
});
if (!short) run("report.ts", []);
console.log(`\n== done in ${((performance.now() - started) / 1000).toFixed(0)} s`);
