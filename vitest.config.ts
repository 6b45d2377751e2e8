import { defineConfig } from "vitest/config";

// The global setup (this process) creates SDK clients for the shared SQS server too; on Node 20 the
// SDK would print its notice about a future minimum version in the middle of the run.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= "true";

export default defineConfig({
  test: {
    // Tests run on Node 20 as well as 22; the SDK's notice about its future minimum is noise here.
    env: { AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: "true" },
    include: ["test/**/*.test.ts"],
    // One DynamoDB Local and one local SQS for the whole run; each test file makes its own
    // uniquely named table and queues in them (test/support/local-cloud.ts).
    globalSetup: ["test/support/global-setup.ts"],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // Forks: every test file gets its own process, so the bundles' process.env and module state
    // never leak from one file to the next.
    pool: "forks",
    // Two cores on CI; DynamoDB Local (a JVM) needs one of them to stay responsive.
    maxWorkers: 2,
  },
});
