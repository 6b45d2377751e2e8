/**
 * Builds the Lambda bundles when dist/ is missing or older than their sources, so `cdk synth`,
 * `cdk deploy`, `cdk watch` and `npm run invoke` work on a fresh clone without a separate
 * `npm run build`, and cost nothing (one directory walk, ~20 ms) when the bundles are current.
 * The build itself is esbuild.config.mjs, the same one `npm run build` runs; its size table is
 * kept out of the way (the CDK CLI prints the app's stdout as part of its own output).
 */
import { spawnSync } from "node:child_process";
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

const ROOT = fileURLToPath(new URL("..", import.meta.url));
/** Written last by a successful build, after the bundles are swapped in. */
export const BUILD_REPORT = join(ROOT, "dist", "build-report.json");

/** What the bundles are built from: handlers, shared code, the route table, the build settings. */
const SOURCES = ["functions", "shared", "infra/route-table.ts", "esbuild.config.mjs", "package-lock.json"];

/** Newest modification time (ms) of any file under the given paths. */
function newestMtime(paths: readonly string[]): number {
  let newest = 0;
  const visit = (path: string) => {
    const stat = statSync(path, { throwIfNoEntry: false });
    if (!stat) return;
    if (stat.isDirectory()) {
      for (const entry of readdirSync(path)) visit(join(path, entry));
    } else if (stat.mtimeMs > newest) newest = stat.mtimeMs;
  };
  for (const path of paths) visit(join(ROOT, path));
  return newest;
}

/** Why the bundles need a build, or undefined when they are current. */
export function staleReason(): string | undefined {
  if (!existsSync(BUILD_REPORT)) return "dist/ has no bundles yet";
  // A failed build writes its report too, but keeps the old bundles: that is not a current build.
  const report = JSON.parse(readFileSync(BUILD_REPORT, "utf8")) as { failed?: number; missing?: unknown[] };
  if (report.failed || report.missing?.length) return "the last build failed";
  const builtAt = statSync(BUILD_REPORT).mtimeMs;
  if (newestMtime(SOURCES) > builtAt) return "sources changed since the last build";
  return undefined;
}

/**
 * Build if stale. `log` gets one line when a build runs (to stderr by default, so a CLI's stdout,
 * a token or a template, stays clean). Throws with esbuild's errors if the build fails.
 */
export function ensureBundles(
  log: (line: string) => void = (line) => process.stderr.write(`${line}\n`),
): void {
  const reason = staleReason();
  if (!reason) return;
  log(`[build] ${reason}: building the Lambda bundles (npm run build) ...`);
  const startedAt = performance.now();
  const result = spawnSync(process.execPath, [join(ROOT, "esbuild.config.mjs")], {
    cwd: ROOT,
    encoding: "utf8",
    stdio: ["ignore", "pipe", "pipe"],
  });
  if (result.status !== 0) {
    throw new Error(`Building the bundles failed:\n${result.stderr || result.stdout}`);
  }
  log(
    `[build] done in ${((performance.now() - startedAt) / 1000).toFixed(1)} s (size table: dist/build-report.json)`,
  );
}
