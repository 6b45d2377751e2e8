/**
 * Synthesise the stack in-process from context values, as infra/app.ts does, on stub bundles (no
 * build needed). For template tests.
 */
import { App } from "aws-cdk-lib";
import { Template } from "aws-cdk-lib/assertions";
import { MarketsApiStack } from "../../infra/markets-api-stack.ts";
import { parseSettings } from "../../infra/settings.ts";
import { createFakeBundles } from "./fake-bundles.ts";

let bundles: ReturnType<typeof createFakeBundles> | undefined;

export interface Synthesised {
  readonly app: App;
  readonly stack: MarketsApiStack;
  readonly template: Template;
  /** The template as CloudFormation JSON text: what would be uploaded. */
  readonly text: string;
  readonly resources: Record<
    string,
    { Type: string; Properties?: Record<string, unknown> } & Record<string, unknown>
  >;
}

export function synthStack(context: Record<string, string> = {}): Synthesised {
  bundles ??= createFakeBundles();
  const app = new App();
  const settings = parseSettings((key) => context[key]);
  const stack = new MarketsApiStack(app, "MarketsApi", { settings, bundlesDir: bundles.dir });
  const template = Template.fromStack(stack);
  const json = template.toJSON();
  return { app, stack, template, text: JSON.stringify(json), resources: json.Resources };
}

/** Remove the stub bundles; call from afterAll. */
export function cleanupSynth(): void {
  bundles?.cleanup();
  bundles = undefined;
}

/** What the settings parser says about `context`: its error message, or undefined when accepted. */
export function settingsError(context: Record<string, string>): string | undefined {
  try {
    parseSettings((key) => context[key]);
    return undefined;
  } catch (error) {
    return (error as Error).message;
  }
}
