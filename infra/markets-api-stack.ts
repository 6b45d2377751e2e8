/**
 * The whole deployment in one stack (one template, which `sam local` can read as is): the table
 * and index queues, one Lambda per route behind an HTTP API, the index worker, alarms and outputs.
 * Everything that varies per deployment arrives as DeploySettings (infra/settings.ts).
 */
import { fileURLToPath } from "node:url";
import { Annotations, CfnOutput, Duration, Stack, type StackProps } from "aws-cdk-lib";
import { SqsEventSource } from "aws-cdk-lib/aws-lambda-event-sources";
import type { Construct } from "constructs";
import { BundledFunction } from "./constructs/bundled-function.ts";
import { ApiDashboard } from "./constructs/dashboard.ts";
import { grantFunctionAccess } from "./constructs/function-grants.ts";
import { IndexQueues } from "./constructs/index-queues.ts";
import { MarketsHttpApi } from "./constructs/markets-http-api.ts";
import { MarketsTable } from "./constructs/markets-table.ts";
import { OperationalAlarms } from "./constructs/operational-alarms.ts";
import { accessFor, WORKER_ACCESS } from "./function-access.ts";
import { functionEnvironment, METRICS_NAMESPACE, SERVICE_NAME } from "./function-environment.ts";
import { BATCH_SIZE, MAX_BATCHING_WINDOW_SECONDS } from "./queues.ts";
import { bundleName, routes, workers } from "./routes.ts";
import type { DeploySettings } from "./settings.ts";

export interface MarketsApiStackProps extends StackProps {
  readonly settings: DeploySettings;
  /** Where the esbuild bundles are; tests point this at stub bundles. Default: dist/functions. */
  readonly bundlesDir?: string;
}

export const DEFAULT_BUNDLES_DIR = fileURLToPath(new URL("../dist/functions", import.meta.url));

/** Construct id, and CloudFormation logical id, of a handler's function: `markets/get` → `MarketsGetFunction`. */
export const functionId = (handler: string): string =>
  `${bundleName(handler)
    .split("-")
    .map((part) => part.charAt(0).toUpperCase() + part.slice(1))
    .join("")}Function`;

export class MarketsApiStack extends Stack {
  constructor(scope: Construct, id: string, props: MarketsApiStackProps) {
    super(scope, id, props);
    const { settings } = props;
    const bundlesDir = props.bundlesDir ?? DEFAULT_BUNDLES_DIR;

    if (!settings.jwtSecret && !settings.jwtJwksUrl) {
      // A warning, not an error: synth (and the template tests) work without a key, but a deployed
      // function would fail its cold start with "Set JWT_SECRET or JWT_JWKS_URL".
      Annotations.of(this).addWarningV2(
        "markets-api:jwt",
        "No JWT key configured: pass -c jwtJwksUrl=... (prod) or -c jwtSecret=... (dev) before deploying.",
      );
    }

    const { table } = new MarketsTable(this, "Data", { retain: settings.isProd });
    const worker = workers[0];
    const queues = new IndexQueues(this, "IndexQueues", {
      stage: settings.stage,
      workerTimeoutSeconds: worker.timeoutSeconds,
    });
    const environment = functionEnvironment(settings, {
      tableName: table.tableName,
      indexQueueUrl: queues.queue.queueUrl,
    });
    const grantTargets = { table, indexQueue: queues.queue, settings };
    const functionDefaults = {
      bundlesDir,
      environment,
      logRetention: settings.logRetention,
      retainLogs: settings.isProd,
    };

    const httpApi = new MarketsHttpApi(this, "Http", {
      settings,
      methods: routes.map((route) => route.method),
    });
    for (const route of routes) {
      const id = functionId(route.handler);
      const fn = new BundledFunction(this, id, {
        ...functionDefaults,
        bundle: bundleName(route.handler),
        description: `${route.method} ${route.path}: ${route.summary}`,
        memoryMb: route.memoryMb,
        timeoutSeconds: route.timeoutSeconds,
      });
      grantFunctionAccess(fn.role, accessFor(route), grantTargets);
      httpApi.addRoute(id, route, fn.function);
    }

    const indexWorker = new BundledFunction(this, functionId(worker.handler), {
      ...functionDefaults,
      bundle: bundleName(worker.handler),
      description: "Embeds queued markets for search",
      memoryMb: worker.memoryMb,
      timeoutSeconds: worker.timeoutSeconds,
    });
    grantFunctionAccess(indexWorker.role, WORKER_ACCESS, grantTargets);
    // The event source grants the consume permissions (receive, delete, change visibility) itself.
    indexWorker.function.addEventSource(
      new SqsEventSource(queues.queue, {
        batchSize: BATCH_SIZE,
        maxBatchingWindow: Duration.seconds(MAX_BATCHING_WINDOW_SECONDS),
        // The worker reports failed message ids; only those are retried, not the whole batch.
        reportBatchItemFailures: true,
        maxConcurrency: settings.workerMaxConcurrency,
      }),
    );

    const alarms = new OperationalAlarms(this, "Alarms", {
      deadLetterQueue: queues.deadLetterQueue,
      worker: indexWorker.function,
      api: httpApi.api,
      alarmTopicArn: settings.alarmTopicArn,
    });

    const dashboard = new ApiDashboard(this, "Dashboard", {
      // The stack name is a literal here (infra/app.ts sets it), and unique per stage and region.
      dashboardName: this.stackName,
      namespace: METRICS_NAMESPACE,
      serviceName: SERVICE_NAME,
      api: httpApi.api,
      indexQueue: queues.queue,
      alarms: alarms.alarms,
    });

    new CfnOutput(this, "ApiUrl", {
      value: httpApi.stage.url,
      description: "Base URL; routes start with /api",
    });
    new CfnOutput(this, "TableName", { value: table.tableName });
    new CfnOutput(this, "IndexQueueUrl", { value: queues.queue.queueUrl });
    new CfnOutput(this, "IndexDlqUrl", { value: queues.deadLetterQueue.queueUrl });
    new CfnOutput(this, "DashboardName", {
      value: dashboard.dashboard.dashboardName,
      description: "CloudWatch dashboard of the API's metrics and alarms",
    });
  }
}
