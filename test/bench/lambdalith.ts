/**
 * Builds the Express lambdalith baseline (baseline/express-lambdalith.ts) into
 * dist/bench/lambdalith/, with the options every Lambda bundle gets (scripts/lambda-bundle-options.mjs), so the
 * comparison is of code, not of build settings. Only the benchmarks build it; `npm run build` and
 * the stack never see it. Returns the entry file and the bytes a cold start loads.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { join, relative } from "node:path";
import { build, type Metafile } from "esbuild";
import { lambdaOptions } from "../../scripts/lambda-bundle-options.mjs";

const ROOT = join(import.meta.dirname, "..", "..");
export const LAMBDALITH_DIR = join(ROOT, "dist", "bench", "lambdalith");
export const LAMBDALITH_META = join(ROOT, "dist", "meta", "lambdalith.json");

/** The bytes of the entry and every chunk it imports statically (as esbuild.config.mjs counts them). */
export function coldStartClosure(metafile: Metafile, entryFile: string): string[] {
  const seen = new Set([entryFile]);
  const pending = [entryFile];
  while (pending.length > 0) {
    const output = metafile.outputs[pending.pop() as string];
    for (const imported of output?.imports ?? []) {
      if (imported.kind !== "import-statement" || imported.external || seen.has(imported.path)) continue;
      seen.add(imported.path);
      pending.push(imported.path);
    }
  }
  return [...seen];
}

export async function buildLambdalith(): Promise<{ file: string; coldStartBytes: number }> {
  const result = await build({
    // The same settings as every Lambda bundle: one options object, so only the code differs.
    ...lambdaOptions,
    entryPoints: { index: join(ROOT, "test", "bench", "baseline", "express-lambdalith.ts") },
    outdir: LAMBDALITH_DIR,
    absWorkingDir: ROOT,
  });
  mkdirSync(join(ROOT, "dist", "meta"), { recursive: true });
  writeFileSync(LAMBDALITH_META, JSON.stringify(result.metafile));
  const entry = relative(ROOT, join(LAMBDALITH_DIR, "index.mjs")).replaceAll("\\", "/");
  const closure = coldStartClosure(result.metafile, entry);
  return {
    file: join(LAMBDALITH_DIR, "index.mjs"),
    coldStartBytes: closure.reduce((sum, file) => sum + (result.metafile.outputs[file]?.bytes ?? 0), 0),
  };
}
