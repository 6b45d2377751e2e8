/**
 * Adding a route is one declaration and one handler file. In a copy of the sources, this test adds
 * both for a throwaway route, runs the real build, and finds the route everywhere it must appear:
 * its bundle, the OpenAPI document, the synthesized template (function, HTTP route, IAM policy) and
 * the local gateway, with no other file touched.
 */
import { execFile } from "node:child_process";
import {
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { App } from "aws-cdk-lib";
import { Template } from "aws-cdk-lib/assertions";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type HttpGateway, startHttpGateway } from "../../infra/local/http-gateway.ts";
import { LambdaRuntime } from "../../infra/local/lambda-runtime.ts";
import { functionId, MarketsApiStack } from "../../infra/markets-api-stack.ts";
import { loadDeclarations } from "../../infra/route-table.ts";
import { parseSettings } from "../../infra/settings.ts";
import type { AnyRoute, WorkerDeclaration } from "../../shared/routes/route.ts";

const ROOT = join(import.meta.dirname, "..", "..");
const HANDLER = "system/ping-throwaway";

const DECLARATION = `import { route } from "./route.ts";

export const pingThrowaway = route({
  method: "GET",
  path: "/api/ping-throwaway",
  handler: "${HANDLER}",
  summary: "Throwaway",
  description: "A route that exists only in this test.",
  tags: ["system"],
  response: { status: 200, description: "Pong.", data: "Health" },
  rateLimit: "none",
  access: { reads: [{ keys: ["MARKET#"], actions: ["GetItem", "Query"] }] },
});
`;

const HANDLER_FILE = `import { httpRoute } from "../../shared/composition/http.ts";
import { ok } from "../../shared/http/response.ts";
import { pingThrowaway } from "../../shared/routes/ping-throwaway.ts";

export const handler = httpRoute(pingThrowaway, async () => ok({ status: "ok" }));
`;

let copy: string;
let declarations: { routes: AnyRoute[]; workers: WorkerDeclaration[] };
let gateway: HttpGateway | undefined;

beforeAll(async () => {
  copy = mkdtempSync(join(tmpdir(), "markets-api-add-a-route-"));
  for (const folder of ["shared", "functions", "infra", join("test", "bench", "baseline")]) {
    cpSync(join(ROOT, folder), join(copy, folder), { recursive: true });
  }
  for (const file of [
    "esbuild.config.mjs",
    join("scripts", "lambda-bundle-options.mjs"),
    "package.json",
    "tsconfig.json",
  ])
    cpSync(join(ROOT, file), join(copy, file));
  symlinkSync(join(ROOT, "node_modules"), join(copy, "node_modules"), "dir");
  // The two files a developer writes; nothing else changes.
  writeFileSync(join(copy, "shared", "routes", "ping-throwaway.ts"), DECLARATION);
  mkdirSync(join(copy, "functions", "system"), { recursive: true });
  writeFileSync(join(copy, "functions", "system", "ping-throwaway.ts"), HANDLER_FILE);

  // As a developer runs it: under CI the build only checks docs/openapi.json, and the copy's
  // document is meant to change.
  await promisify(execFile)(process.execPath, ["esbuild.config.mjs"], {
    cwd: copy,
    env: { ...process.env, CI: "" },
  });
  declarations = await loadDeclarations(join(copy, "shared", "routes"));
}, 240_000);

afterAll(async () => {
  await gateway?.close();
  rmSync(copy, { recursive: true, force: true });
});

describe("a new route declaration and handler", () => {
  it("is a route of the table", () => {
    expect(declarations.routes.map((route) => route.handler)).toContain(HANDLER);
  });

  it("gets its own bundle from the build", () => {
    expect(existsSync(join(copy, "dist", "functions", "system-ping-throwaway", "index.mjs"))).toBe(true);
  });

  it("is in the OpenAPI document the build writes", () => {
    const document = JSON.parse(readFileSync(join(copy, "docs", "openapi.json"), "utf8"));
    expect(document.paths["/api/ping-throwaway"].get).toMatchObject({
      summary: "Throwaway",
      tags: ["system"],
    });
  });

  it("gets a function, an HTTP route and its declared IAM policy in the template", () => {
    const app = new App();
    // A disposable dev stage: the stack generates its own token key.
    const settings = parseSettings(() => undefined);
    const stack = new MarketsApiStack(app, "Throwaway", {
      settings,
      bundlesDir: join(copy, "dist", "functions"),
      declarations,
    });
    const template = Template.fromStack(stack);
    const resources = template.toJSON().Resources as Record<
      string,
      { Type: string; Properties: Record<string, unknown> }
    >;
    const fn = resources[functionId(HANDLER)];
    if (!fn) throw new Error(`no ${functionId(HANDLER)} in the template`);
    expect(fn.Type).toBe("AWS::Lambda::Function");
    template.hasResourceProperties("AWS::ApiGatewayV2::Route", { RouteKey: "GET /api/ping-throwaway" });
    const role = (fn.Properties.Role as { "Fn::GetAtt": [string] })["Fn::GetAtt"][0];
    const policies = Object.values(resources).filter(
      (resource) =>
        resource.Type === "AWS::IAM::Policy" &&
        JSON.stringify((resource.Properties as { Roles: unknown }).Roles).includes(role),
    );
    const actions = policies.flatMap((policy) =>
      (
        policy.Properties as { PolicyDocument: { Statement: { Action: string | string[] }[] } }
      ).PolicyDocument.Statement.flatMap((statement) => [statement.Action].flat()),
    );
    expect(actions).toEqual(expect.arrayContaining(["dynamodb:GetItem", "dynamodb:Query"]));
    expect(actions).not.toContain("dynamodb:BatchGetItem");
    expect(actions).not.toContain("dynamodb:PutItem");
  }, 120_000);

  it("answers through the local gateway", async () => {
    // The environment every deployed function gets; this route touches nothing but reads it.
    Object.assign(process.env, {
      TABLE_NAME: "add-a-route",
      JWT_SECRET: "test-secret-that-is-at-least-32-characters",
      POWERTOOLS_DEV: "true",
      POWERTOOLS_LOG_LEVEL: "WARN",
    });
    const runtime = new LambdaRuntime({ bundlesDir: join(copy, "dist", "functions") });
    gateway = await startHttpGateway({ invoker: runtime, routes: declarations.routes });
    const response = await fetch(`${gateway.url}/api/ping-throwaway`);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ success: true, data: { status: "ok" } });
  });
});
