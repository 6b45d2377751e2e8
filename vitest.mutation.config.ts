/**
 * The unit tests alone, for Stryker (`npm run mutation`): no DynamoDB Local, no global setup, so
 * each mutant runs in seconds. Unit tests use no JVM and no sleeps.
 */
import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    env: { AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: "true" },
    include: ["test/unit/**/*.test.ts"],
    exclude: ["test/unit/search/**"],
    testTimeout: 30_000,
    pool: "forks",
    maxWorkers: 1,
  },
});
