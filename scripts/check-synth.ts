/**
 * `tsx scripts/check-synth.ts [cdk.out]`: after `cdk synth`, checks that the template ships every
 * Lambda of the route table from a real bundle: each function's asset folder in cdk.out holds an
 * index.mjs that is not a stub. CI runs it after a synth from a clean dist/, which proves that the
 * CDK app builds the bundles itself on a fresh clone.
 */
import { existsSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { functionId } from "../infra/markets-api-stack.ts";
import { routes, workers } from "../infra/route-table.ts";

const outDir = process.argv[2] ?? "cdk.out";
const template = JSON.parse(readFileSync(join(outDir, "MarketsApi.template.json"), "utf8")) as {
  Resources: Record<string, { Type: string; Metadata?: Record<string, string> }>;
};

const problems: string[] = [];
const expected = [...new Set([...routes, ...workers].map((definition) => functionId(definition.handler)))];
for (const id of expected) {
  const resource = template.Resources[id];
  if (resource?.Type !== "AWS::Lambda::Function") {
    problems.push(`${id}: no such function in the template`);
    continue;
  }
  const assetPath = resource.Metadata?.["aws:asset:path"];
  const entry = assetPath ? join(outDir, assetPath, "index.mjs") : undefined;
  if (!entry || !existsSync(entry)) problems.push(`${id}: asset ${assetPath ?? "(none)"} has no index.mjs`);
  // A real bundle carries the AWS SDK and the middleware: hundreds of KB, never a few bytes.
  else if (statSync(entry).size < 1024)
    problems.push(`${id}: ${entry} is a stub (${statSync(entry).size} bytes)`);
}

if (problems.length > 0) {
  console.error(`[check-synth] ${problems.length} problem(s):\n  ${problems.join("\n  ")}`);
  process.exit(1);
}
console.log(`[check-synth] ${expected.length} functions, each shipped from its built bundle`);
