/**
 * A client generated from docs/openapi.json works as its users would write it: openapi-typescript
 * turns the document into types, test/fixtures/generated-client/market-walk.ts (create → get →
 * list → search → position, with `limit: 20` as a number) must compile under `tsc --strict`
 * against them while type-errors.ts's wrong calls must not, and the compiled walk runs against a
 * local cloud.
 */
import { execFile } from "node:child_process";
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import openapiTS, { astToString } from "openapi-typescript";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { LocalCloud } from "../../infra/local/local-cloud.ts";
import { newUser } from "../support/api-client.ts";
import { startE2eCloud } from "../support/e2e-cloud.ts";

const run = promisify(execFile);
const root = fileURLToPath(new URL("../..", import.meta.url));
const fixture = join(root, "test", "fixtures", "generated-client");

let cloud: LocalCloud;
let workdir: string;

const STRICT_TSCONFIG = {
  compilerOptions: {
    target: "ES2022",
    module: "NodeNext",
    moduleResolution: "NodeNext",
    lib: ["ES2022", "DOM"],
    types: ["node"],
    strict: true,
    noUncheckedIndexedAccess: true,
    skipLibCheck: true,
    outDir: "out",
  },
  files: ["market-walk.ts", "type-errors.ts", "schema.d.ts"],
};

beforeAll(async () => {
  cloud = await startE2eCloud();
  // Inside the project, so that `openapi-fetch` resolves from its node_modules as in a user's project.
  mkdirSync(join(root, "node_modules", ".cache"), { recursive: true });
  workdir = mkdtempSync(join(root, "node_modules", ".cache", "generated-client-"));
  writeFileSync(join(workdir, "package.json"), JSON.stringify({ type: "module", private: true }));
  writeFileSync(join(workdir, "tsconfig.json"), JSON.stringify(STRICT_TSCONFIG, null, 2));
  for (const file of ["market-walk.ts", "type-errors.ts"])
    copyFileSync(join(fixture, file), join(workdir, file));
});

afterAll(async () => {
  await cloud?.stop();
  if (workdir) rmSync(workdir, { recursive: true, force: true });
});

describe("a client generated with openapi-typescript and openapi-fetch", () => {
  it("generates types from docs/openapi.json in which limit is a number", async () => {
    const ast = await openapiTS(new URL("../../docs/openapi.json", import.meta.url));
    const types = astToString(ast);
    writeFileSync(join(workdir, "schema.d.ts"), types);
    expect(types).toMatch(/limit\?: number/);
  });

  it("compiles the create → get → list → search → position walk under tsc --strict, and refuses wrong calls", async () => {
    const tsc = join(root, "node_modules", ".bin", "tsc");
    const result = await run(tsc, ["-p", workdir, "--strict"], { cwd: workdir }).catch(
      (error: { stdout?: string; code?: number }) => ({ stdout: error.stdout ?? "", code: error.code }),
    );
    expect(result.stdout).toBe("");
    expect(readFileSync(join(workdir, "out", "market-walk.js"), "utf8")).toContain("openapi-fetch");
  }, 120_000);

  it("runs the walk against the local cloud", async () => {
    const user = await newUser("user");
    const { stdout } = await run(process.execPath, [join(workdir, "out", "market-walk.js")], {
      cwd: workdir,
      env: { ...process.env, API_URL: cloud.url, API_TOKEN: user.token },
    });
    const outcome = JSON.parse(stdout.trim().split("\n").at(-1) ?? "{}");
    expect(outcome).toMatchObject({ version: 1, listed: true, volume: 12.5 });
    expect(outcome.score).toBeGreaterThan(0);
    // The document's `maximum: 100` is what the API enforces.
    expect(outcome).toMatchObject({ refusedStatus: 400, refusedCode: "VALIDATION_FAILED" });
  }, 60_000);
});
