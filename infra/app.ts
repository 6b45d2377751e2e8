/**
 * CDK app entry (cdk.json runs it with tsx). Synthesises offline: no lookups, the esbuild bundles
 * (built here first when dist/ is missing or stale), and an environment-agnostic stack unless the
 * CLI knows an account and region.
 */
import { App, Validations } from "aws-cdk-lib";
import { AwsSolutionsChecks } from "cdk-nag";
import { ensureBundles } from "./ensure-bundles.ts";
import { MarketsApiStack } from "./markets-api-stack.ts";
import { parseSettings, unknownContextKeys } from "./settings.ts";

const app = new App();
const unknown = unknownContextKeys(Object.keys(app.node.getAllContext()));
if (unknown.length > 0) {
  throw new Error(
    `Unknown context key(s): ${unknown.join(", ")}. See infra/settings.ts for the keys this app reads.`,
  );
}
const settings = parseSettings((key) => app.node.tryGetContext(key));

// `cdk synth`, `deploy` and `watch` on a fresh clone or after an edit: the same build as
// `npm run build`, run only when the bundles are missing or older than their sources.
ensureBundles();

const account = process.env.CDK_DEFAULT_ACCOUNT;
const region = process.env.CDK_DEFAULT_REGION;

// The default stage keeps the plain name, so docs and `sam local -t cdk.out/MarketsApi.template.json`
// work without flags; other stages get their own stack.
const stackName = settings.stage === "dev" ? "MarketsApi" : `MarketsApi-${settings.stage}`;

new MarketsApiStack(app, stackName, {
  stackName,
  settings,
  ...(account && region ? { env: { account, region } } : {}),
  description: `Markets API (${settings.stage}): HTTP API, Lambda, DynamoDB, SQS`,
  tags: { project: "markets-api", stage: settings.stage },
});

// cdk-nag 3 runs as a policy-validation plugin: any finding fails the synth, and the report lands in
// cdk.out/policy-validation-report.json. Deliberate exceptions are acknowledged next to the resource.
Validations.of(app).addPlugins(new AwsSolutionsChecks(app, { verbose: true }));

app.synth();
