/**
 * One Lambda from a prebuilt esbuild bundle (dist/functions/<bundle>/index.mjs), with its own role
 * and log group. Not NodejsFunction: the bundles are built once by esbuild.config.mjs and shared
 * with the local cloud, so synth needs neither esbuild nor Docker nor the network.
 */
import { existsSync } from "node:fs";
import { join } from "node:path";
import { Duration, RemovalPolicy, Validations } from "aws-cdk-lib";
import * as iam from "aws-cdk-lib/aws-iam";
import * as lambda from "aws-cdk-lib/aws-lambda";
import * as logs from "aws-cdk-lib/aws-logs";
import { Construct } from "constructs";
import type { FunctionEnvironment } from "../function-environment.ts";

export interface BundledFunctionProps {
  /** Folder name under bundlesDir, from `bundleName()` in shared/routes/route.ts. */
  readonly bundle: string;
  readonly bundlesDir: string;
  readonly description: string;
  readonly memoryMb?: number;
  readonly timeoutSeconds?: number;
  readonly environment: FunctionEnvironment;
  readonly logRetention: logs.RetentionDays;
  readonly retainLogs: boolean;
}

const DEFAULT_MEMORY_MB = 256;
const DEFAULT_TIMEOUT_SECONDS = 10;

export class BundledFunction extends Construct {
  readonly function: lambda.Function;
  readonly role: iam.Role;
  readonly logGroup: logs.LogGroup;

  constructor(scope: Construct, id: string, props: BundledFunctionProps) {
    super(scope, id);
    const codeDir = join(props.bundlesDir, props.bundle);
    if (!existsSync(join(codeDir, "index.mjs"))) {
      throw new Error(
        `Bundle ${codeDir}/index.mjs not found: run \`npm run build\` (infra/app.ts builds dist/functions itself when it is missing)`,
      );
    }

    // An explicit group (instead of the one Lambda creates on first invoke) gets a retention and is
    // deleted with a dev stack.
    this.logGroup = new logs.LogGroup(this, "LogGroup", {
      retention: props.logRetention,
      removalPolicy: props.retainLogs ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY,
    });

    // A role per function, without the AWSLambdaBasicExecutionRole managed policy: that policy lets
    // a function write to every log group in the account; this one writes to its own group only.
    this.role = new iam.Role(this, "Role", {
      assumedBy: new iam.ServicePrincipal("lambda.amazonaws.com"),
      description: `Execution role of ${id}`,
    });
    this.logGroup.grantWrite(this.role);

    this.function = new lambda.Function(this, "Function", {
      description: props.description,
      code: lambda.Code.fromAsset(codeDir),
      handler: "index.handler",
      runtime: lambda.Runtime.NODEJS_22_X,
      // Pure JavaScript bundles: Graviton is cheaper per GB-second and starts at least as fast.
      architecture: lambda.Architecture.ARM_64,
      memorySize: props.memoryMb ?? DEFAULT_MEMORY_MB,
      timeout: Duration.seconds(props.timeoutSeconds ?? DEFAULT_TIMEOUT_SECONDS),
      tracing: lambda.Tracing.ACTIVE,
      role: this.role,
      logGroup: this.logGroup,
      // Powertools already writes JSON; JSON platform logs (START/REPORT) make them queryable alike.
      loggingFormat: lambda.LoggingFormat.JSON,
      environment: definedValues(props.environment),
    });
    // A readable, stable logical id (e.g. `MarketsGetFunction`) for `sam local invoke <LogicalId>`
    // and for the console; the construct id is unique in the stack, so the logical id is too.
    (this.function.node.defaultChild as lambda.CfnFunction).overrideLogicalId(id);

    // cdk-nag findings that are deliberate here; acknowledgments cover the construct's children.
    Validations.of(this.role).acknowledge({
      id: "AwsSolutions-IAM5[Resource::*]",
      reason:
        "X-Ray PutTraceSegments/PutTelemetryRecords support no resource-level permissions (added by tracing: ACTIVE).",
    });
    Validations.of(this.function).acknowledge({
      id: "AwsSolutions-L1",
      reason:
        "nodejs22.x is deliberate: the bundles target node22 (esbuild.config.mjs); a runtime upgrade is its own change.",
    });
  }
}

/** Lambda takes a plain string map; optional variables that are not set are left out. */
function definedValues(environment: FunctionEnvironment): Record<string, string> {
  return Object.fromEntries(
    Object.entries(environment).filter((entry): entry is [string, string] => entry[1] !== undefined),
  );
}
