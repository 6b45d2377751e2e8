/**
 * What a bundle's cold start loads, by source, from its esbuild metafile (dist/meta/<bundle>.json):
 * the bytes each package (or folder of our own code) contributes to the entry and the chunks it
 * imports statically, and what a bundle carries beyond the bare GetItem baseline.
 */
import { readFileSync } from "node:fs";
import type { Metafile } from "esbuild";
import { coldStartClosure } from "./lambdalith.ts";

/** `node_modules/@aws-sdk/client-dynamodb/dist-es/…` → `@aws-sdk/client-dynamodb`; `shared/http/x.ts` → `shared/http`. */
export function sourceOf(input: string): string {
  const path = input.replace(/^.*node_modules\//, "node_modules/");
  if (path.startsWith("node_modules/")) {
    const parts = path.slice("node_modules/".length).split("/");
    return parts[0]?.startsWith("@") ? `${parts[0]}/${parts[1]}` : (parts[0] ?? path);
  }
  const parts = path.split("/");
  return parts.length > 2 ? `${parts[0]}/${parts[1]}` : (parts[0] ?? path);
}

/** Bytes in the cold-start closure by source. */
export function coldStartSources(metaFile: string): Map<string, number> {
  const metafile = JSON.parse(readFileSync(metaFile, "utf8")) as Metafile;
  const entry = Object.keys(metafile.outputs).find((file) => file.endsWith("/index.mjs"));
  const bySource = new Map<string, number>();
  if (!entry) return bySource;
  for (const file of coldStartClosure(metafile, entry)) {
    for (const [input, { bytesInOutput }] of Object.entries(metafile.outputs[file]?.inputs ?? {})) {
      const source = sourceOf(input);
      bySource.set(source, (bySource.get(source) ?? 0) + bytesInOutput);
    }
  }
  return bySource;
}

/** What a bundle loads beyond the baseline, by source, largest first (sources ≥ 0.5 KB). */
export function beyondBaseline(
  bundle: Map<string, number>,
  baseline: Map<string, number>,
): { source: string; bytes: number }[] {
  return [...bundle]
    .map(([source, bytes]) => ({ source, bytes: bytes - (baseline.get(source) ?? 0) }))
    .filter((entry) => entry.bytes >= 512)
    .sort((a, b) => b.bytes - a.bytes);
}
