/**
 * The tests Stryker runs (`npm run mutation`): the unit tests, plus the auth integration tests,
 * which bring their own in-process identity provider and Secrets Manager (and use the local Redis):
 * no DynamoDB Local, no global setup, so each mutant runs in seconds. None uses a JVM or sleeps.
 */
import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    env: { AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: "true" },
    include: ["test/unit/**/*.test.ts", "test/integration/auth/**/*.test.ts"],
    exclude: ["test/unit/search/**"],
    testTimeout: 30_000,
    pool: "forks",
    maxWorkers: 1,
  },
});
