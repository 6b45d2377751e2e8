import { defineConfig } from "vitest/config";

// The global setup (this process) creates SDK clients for the shared SQS server too; on Node 20 the
// SDK would print its notice about a future minimum version in the middle of the run.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= "true";

const shared = {
  // Tests run on Node 20 as well as 22; the SDK's notice about its future minimum is noise here.
  env: { AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: "true" },
  testTimeout: 30_000,
  hookTimeout: 60_000,
  // Forks: every test file gets its own process, so module state never leaks between files.
  pool: "forks" as const,
};

export default defineConfig({
  test: {
    // Two cores on CI; DynamoDB Local (a JVM) needs one of them to stay responsive.
    maxWorkers: 2,
    projects: [
      {
        // Pure logic: no JVM, no sockets, no sleeps, so `npm run test:unit` takes seconds.
        test: { ...shared, name: "unit", include: ["test/unit/**/*.test.ts"] },
      },
      {
        test: {
          ...shared,
          name: "services",
          include: ["test/**/*.test.ts"],
          exclude: ["test/unit/**"],
          // One DynamoDB Local and one local SQS for the whole run; each test file makes its own
          // uniquely named table and queues in them (test/support/local-cloud.ts).
          globalSetup: ["test/support/global-setup.ts"],
        },
      },
    ],
  },
});
