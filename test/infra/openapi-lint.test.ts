/**
 * The committed document passes the two linters people point at an API, with nothing to report:
 * Redocly CLI with its recommended rules (redocly.yaml) and Spectral with `spectral:oas`
 * (.spectral.yaml). Both run as the CLIs a user would run, on docs/openapi.json.
 */
import { execFile } from "node:child_process";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";

const run = promisify(execFile);
const root = fileURLToPath(new URL("../..", import.meta.url));
const bin = (name: string) => fileURLToPath(new URL(`../../node_modules/.bin/${name}`, import.meta.url));
// No usage reports or update checks from a test run.
const env = {
  ...process.env,
  REDOCLY_TELEMETRY: "off",
  REDOCLY_SUPPRESS_UPDATE_NOTICE: "true",
  NO_COLOR: "1",
};

describe("docs/openapi.json under the linters", () => {
  it("Spectral (spectral:oas) reports no error, warning, info or hint", async () => {
    const { stdout } = await run(
      bin("spectral"),
      ["lint", "docs/openapi.json", "--format", "json", "--fail-severity", "hint", "--quiet"],
      { cwd: root, env },
    ).catch((error: { stdout?: string }) => ({ stdout: error.stdout ?? "" }));
    expect(JSON.parse(stdout)).toEqual([]);
  }, 60_000);

  it("Redocly CLI (recommended) reports no error and no warning", async () => {
    const { stdout } = await run(bin("redocly"), ["lint", "docs/openapi.json", "--format", "json"], {
      cwd: root,
      env,
    }).catch((error: { stdout?: string }) => ({ stdout: error.stdout ?? "" }));
    const report = JSON.parse(stdout.slice(stdout.indexOf("{")));
    expect(report.problems).toEqual([]);
    expect(report.totals).toMatchObject({ errors: 0, warnings: 0 });
  }, 60_000);
});
