/**
 * `npm run bench`: every benchmark in turn, each in its own process (a clean heap and module graph).
 * Each prints its table and writes JSON to test/bench/results/; report.ts then writes
 * docs/performance.md from that JSON.
 *
 * `npm run bench -- --short` (or BENCH_SHORT=1) runs each with few rounds: the mode CI runs so the
 * benchmarks cannot rot. Its figures are noisy; it does not rewrite docs/performance.md.
 */
import { execFileSync } from "node:child_process";
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";

const short = process.argv.includes("--short") || process.env.BENCH_SHORT === "1";

/**
 * Each benchmark with its arguments in full and in short mode; `null` in short mode means the
 * benchmark has no short form yet and CI skips it (it is still type-checked by `npm run check`).
 */
const BENCHMARKS: [script: string, full: string[], brief: string[] | null][] = [
  ["round-trips.ts", [], []],
  ["cold-start.ts", [], ["2"]],
  ["warm-overhead.ts", [], []],
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

const seconds = (since: number) => Math.round((performance.now() - since) / 1000);
const durations: Record<string, number> = {};
BENCHMARKS.forEach(([script, full, brief], i) => {
  console.log(
    `\n== [${i + 1}/${BENCHMARKS.length}] ${script} (${seconds(started)} s so far${short ? ", short" : ""})`,
  );
  if (short && brief === null) {
    console.log(`   skipped in short mode: ${script} has no short form`);
    return;
  }
  const began = performance.now();
  run(script, short ? (brief ?? []) : full);
  durations[script] = seconds(began);
});
const total = seconds(started);
console.log(
  `\n== benchmarks took ${total} s: ${Object.entries(durations)
    .map(([script, s]) => `${script} ${s} s`)
    .join(", ")}`,
);
if (!short) {
  // report.ts puts the durations in docs/performance.md; short runs leave both untouched.
  const results = join(import.meta.dirname, "results");
  mkdirSync(results, { recursive: true });
  writeFileSync(join(results, "durations.json"), `${JSON.stringify({ total, durations }, null, 2)}\n`);
  run("report.ts", []);
}
console.log(`\n== done in ${seconds(started)} s`);
