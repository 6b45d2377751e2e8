/**
 * Every route and worker, collected from the declaration files in shared/routes/ (see
 * collectDeclarations). For the CDK app, the local cloud and the tests, which run TypeScript
 * directly; the build script collects the same files through esbuild (esbuild.config.mjs).
 */
import { readdirSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { type AnyRoute, collectDeclarations, type WorkerDeclaration } from "../shared/routes/route.ts";

export const DECLARATIONS_DIR = fileURLToPath(new URL("../shared/routes/", import.meta.url));

/** The declaration files of a folder: every .ts file but route.ts, which defines what they declare. */
export const declarationFiles = (dir: string): string[] =>
  readdirSync(dir)
    .filter((file) => file.endsWith(".ts") && file !== "route.ts")
    .sort()
    .map((file) => join(dir, file));

export async function loadDeclarations(
  dir = DECLARATIONS_DIR,
): Promise<{ routes: AnyRoute[]; workers: WorkerDeclaration[] }> {
  const modules = await Promise.all(
    declarationFiles(dir).map((file) => import(pathToFileURL(file).href) as Promise<Record<string, unknown>>),
  );
  return collectDeclarations(modules);
}

export const { routes, workers } = await loadDeclarations();
export type { AnyRoute };
