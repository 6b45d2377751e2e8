/**
 * Stub Lambda bundles for infrastructure tests: one folder per route and worker with an
 * `index.mjs`, so the CDK stack can be synthesised without running `npm run build` first.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { routes, workers } from "../../infra/route-table.ts";
import { bundleName } from "../../shared/routes/route.ts";

export interface FakeBundles {
  /** Pass as `bundlesDir` to MarketsApiStack. */
  readonly dir: string;
  readonly cleanup: () => void;
}

export function createFakeBundles(): FakeBundles {
  const dir = mkdtempSync(join(tmpdir(), "markets-api-bundles-"));
  for (const { handler } of [...routes, ...workers]) {
    const bundleDir = join(dir, bundleName(handler));
    mkdirSync(bundleDir, { recursive: true });
    writeFileSync(
      join(bundleDir, "index.mjs"),
      `export const handler = async () => ({ stub: ${JSON.stringify(handler)} });\n`,
    );
  }
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}
