/**
 * `npm run bench`: every benchmark in turn, each in its own process (a clean heap and module graph).
 * Each prints its table and writes JSON to test/bench/results/.
 */
import { execFileSync } from "node:child_process";
import { join } from "node:path";

const BENCHMARKS = [
  "cold-start.ts",
  "data-access.ts",
  "search-quality.ts",
  "search-latency.ts",
  "search-freshness.ts",
  "worker-throughput.ts",
];

const startedAt = performance.now();
const seconds = (since: number) => ((performance.now() - since) / 1000).toFixed(0);
for (const [index, script] of BENCHMARKS.entries()) {
  // A header per benchmark, with the time so far: the whole run takes minutes, never silently.
  console.log(`\n== [${index + 1}/${BENCHMARKS.length}] ${script} (${seconds(startedAt)} s elapsed)`);
  const benchStartedAt = performance.now();
  execFileSync(process.execPath, ["--import", "tsx", join(import.meta.dirname, script)], {
    stdio: "inherit",
    env: { ...process.env, AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: "true" },
  });
  console.log(`== ${script} done in ${seconds(benchStartedAt)} s`);
}
console.log(`\nAll ${BENCHMARKS.length} benchmarks in ${seconds(startedAt)} s; JSON in test/bench/results/.`);
