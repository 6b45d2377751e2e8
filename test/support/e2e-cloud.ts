/**
 * One local cloud per e2e test file. `E2E_BUNDLES_DIR` points it at a snapshot of the bundles
 * instead of dist/functions, so a rebuild running beside the tests cannot pull them away mid-run.
 */
import type { LocalCloud } from "../../infra/local/local-cloud.ts";
import { startTestCloud } from "./local-cloud.ts";

export function startE2eCloud(options: Parameters<typeof startTestCloud>[0] = {}): Promise<LocalCloud> {
  const bundlesDir = process.env.E2E_BUNDLES_DIR;
  return startTestCloud({ ...(bundlesDir ? { bundlesDir } : {}), ...options });
}
