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
  "search-engines.ts",
  "search-freshness.ts",
  "worker-throughput.ts",
];

for (const script of BENCHMARKS) {
  console.log(`\n== ${script}`);
  execFileSync(process.execPath, ["--import", "tsx", join(import.meta.dirname, script)], {
    stdio: "inherit",
    env: { ...process.env, AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: "true" },
  });
}
