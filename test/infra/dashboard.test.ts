/**
 * The CloudWatch dashboard in the synthesised template: it graphs every metric of the catalogue
 * (shared/metrics) in the namespace the functions write to, and shows the state of every alarm.
 */
import { App } from "aws-cdk-lib";
import { Template } from "aws-cdk-lib/assertions";
import { afterAll, describe, expect, it } from "vitest";
import { METRICS_NAMESPACE } from "../../infra/function-environment.ts";
import { MarketsApiStack } from "../../infra/markets-api-stack.ts";
import { parseSettings } from "../../infra/settings.ts";
import { METRIC } from "../../shared/metrics/metrics-recorder.ts";
import { createFakeBundles } from "../support/fake-bundles.ts";

const bundles = createFakeBundles();
afterAll(() => bundles.cleanup());

function synth(context: Record<string, string> = {}) {
  // No JWT context: the stack generates its key in Secrets Manager, as a default deploy does.
  const values: Record<string, string> = { ...context };
  const stack = new MarketsApiStack(new App(), "MarketsApi", {
    stackName: "MarketsApi",
    settings: parseSettings((key) => values[key]),
    bundlesDir: bundles.dir,
  });
  return Template.fromStack(stack).toJSON() as {
    Resources: Record<string, { Type: string; Properties: Record<string, unknown> }>;
    Outputs: Record<string, unknown>;
  };
}

const template = synth();
const ofType = (type: string) =>
  Object.entries(template.Resources).filter(([, resource]) => resource.Type === type);

/** The dashboard body is a Fn::Join of strings and references; the literal parts say enough. */
function dashboardBody(): string {
  const [dashboard] = ofType("AWS::CloudWatch::Dashboard");
  const body = dashboard?.[1].Properties.DashboardBody as { "Fn::Join": [string, unknown[]] };
  return body["Fn::Join"][1].map((part) => (typeof part === "string" ? part : JSON.stringify(part))).join("");
}

describe("dashboard", () => {
  it("is one dashboard, named after the stack and given as an output", () => {
    expect(ofType("AWS::CloudWatch::Dashboard")).toHaveLength(1);
    expect(ofType("AWS::CloudWatch::Dashboard")[0]?.[1].Properties.DashboardName).toBe("MarketsApi");
    expect(template.Outputs.DashboardName).toBeDefined();
  });

  it("graphs every metric of the catalogue in the functions' namespace", () => {
    const body = dashboardBody();
    expect(body).toContain(METRICS_NAMESPACE);
    for (const name of Object.values(METRIC)) expect(body, name).toContain(name);
    // Requests per route and status class come from a SEARCH over both dimensions.
    expect(body).toContain("route,statusClass");
  });

  it("shows the state of every alarm in the stack", () => {
    const body = dashboardBody();
    const alarms = ofType("AWS::CloudWatch::Alarm").map(([id]) => id);
    expect(alarms.length).toBeGreaterThanOrEqual(3);
    expect(body).toContain('"type":"alarm"');
    for (const id of alarms) expect(body, id).toContain(id);
  });

  it("sets the metrics namespace on every function, and the tracer only with -c tracer=true", () => {
    const functions = (t: ReturnType<typeof synth>) =>
      Object.values(t.Resources).filter((resource) => resource.Type === "AWS::Lambda::Function");
    for (const fn of functions(template)) {
      const variables = (fn.Properties.Environment as { Variables: Record<string, string> }).Variables;
      expect(variables.POWERTOOLS_METRICS_NAMESPACE).toBe(METRICS_NAMESPACE);
      expect(variables.TRACER_ENABLED).toBeUndefined();
    }
    for (const fn of functions(synth({ tracer: "true" }))) {
      expect(
        (fn.Properties.Environment as { Variables: Record<string, string> }).Variables.TRACER_ENABLED,
      ).toBe("true");
    }
  });
});
