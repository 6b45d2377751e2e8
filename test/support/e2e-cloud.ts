/**
 * One local cloud per e2e test file. Rate limits are raised far above what a test file spends
 * (rate-limit.test.ts sets its own), so only that file meets a 429. `E2E_BUNDLES_DIR` points the
 * cloud at a snapshot of the bundles instead of dist/functions, so a rebuild running beside the
 * tests cannot pull them away mid-run.
 */
import type { LocalCloud } from "../../infra/local/local-cloud.ts";
import { startTestCloud } from "./local-cloud.ts";

export function startE2eCloud(options: Parameters<typeof startTestCloud>[0] = {}): Promise<LocalCloud> {
  const bundlesDir = process.env.E2E_BUNDLES_DIR;
  return startTestCloud({
    ...(bundlesDir ? { bundlesDir } : {}),
    ...options,
    env: { RATE_LIMIT_READS_PER_MINUTE: "100000", RATE_LIMIT_WRITES_PER_MINUTE: "100000", ...options.env },
  });
}
