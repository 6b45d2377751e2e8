/**
 * The whole deployment in one stack (one template, which `sam local` can read as is): the table
 * and index queues, one Lambda per route behind an HTTP API, the index worker, alarms and outputs.
 * Everything that varies per deployment arrives as DeploySettings (infra/settings.ts).
 */
import { fileURLToPath } from "node:url";
import { CfnOutput, Duration, Stack, type StackProps } from "aws-cdk-lib";
import type * as lambda from "aws-cdk-lib/aws-lambda";
import { SqsEventSource } from "aws-cdk-lib/aws-lambda-event-sources";
import type { Construct } from "constructs";
import { EMBEDDING_DIMENSIONS } from "../shared/repositories/vector-schema.ts";
import { type AnyRoute, bundleName, type WorkerDeclaration } from "../shared/routes/route.ts";
import { BundledFunction } from "./constructs/bundled-function.ts";
import { ApiDashboard } from "./constructs/dashboard.ts";
import { grantFunctionAccess } from "./constructs/function-grants.ts";
import { FunctionSecrets } from "./constructs/function-secrets.ts";
import { IndexQueues } from "./constructs/index-queues.ts";
import { MarketsHttpApi } from "./constructs/markets-http-api.ts";
import { MarketsTable } from "./constructs/markets-table.ts";
import { OperationalAlarms } from "./constructs/operational-alarms.ts";
import { functionEnvironment, METRICS_NAMESPACE, SERVICE_NAME } from "./function-environment.ts";
import { BATCH_SIZE, MAX_BATCHING_WINDOW_SECONDS } from "./queues.ts";
import { routes as declaredRoutes, workers as declaredWorkers } from "./route-table.ts";
import type { DeploySettings } from "./settings.ts";

export interface MarketsApiStackProps extends StackProps {
  readonly settings: DeploySettings;
  /** Where the esbuild bundles are; tests point this at stub bundles. Default: dist/functions. */
  readonly bundlesDir?: string;
  /** The declarations to deploy; default: every one in shared/routes/ (infra/route-table.ts). */
  readonly declarations?: {
    readonly routes: readonly AnyRoute[];
    readonly workers: readonly WorkerDeclaration[];
  };
}

export const DEFAULT_BUNDLES_DIR = fileURLToPath(new URL("../dist/functions", import.meta.url));

/** Construct id, and CloudFormation logical id, of a handler's function: `markets/get` → `MarketsGetFunction`. */
export const functionId = (handler: string): string =>
  `${bundleName(handler)
    .split("-")
    .map((part) => part.charAt(0).toUpperCase() + part.slice(1))
    .join("")}Function`;

export class MarketsApiStack extends Stack {
  /** The alarms, for dashboards and tests (`alarms.alarms`). */
  readonly alarms: OperationalAlarms;

  constructor(scope: Construct, id: string, props: MarketsApiStackProps) {
    super(scope, id, props);
    const { settings } = props;
    const bundlesDir = props.bundlesDir ?? DEFAULT_BUNDLES_DIR;
    const { routes, workers } = props.declarations ?? { routes: declaredRoutes, workers: declaredWorkers };

    const { table } = new MarketsTable(this, "Data", {
      retain: settings.protect,
      vectorDimensions: EMBEDDING_DIMENSIONS[settings.embedder],
    });
    // The token key and Redis credentials as Secrets Manager secrets; only their ARNs reach the
    // functions' environment (docs/security.md).
    const secrets = new FunctionSecrets(this, "Secrets", { settings });
    const [worker] = workers;
    if (!worker || workers.length !== 1)
      throw new Error("the stack wires exactly one worker: the index worker");
    const queues = new IndexQueues(this, "IndexQueues", {
      stage: settings.stage,
      workerTimeoutSeconds: worker.timeoutSeconds,
    });
    const environment = functionEnvironment(settings, {
      tableName: table.tableName,
      indexQueueUrl: queues.queue.queueUrl,
      jwtSecretArn: secrets.jwtSecret?.secretArn,
    });
    const grantTargets = { table, indexQueue: queues.queue, settings };
    const functionDefaults = {
      bundlesDir,
      environment,
      logRetention: settings.logRetention,
      retainLogs: settings.protect,
    };

    const httpApi = new MarketsHttpApi(this, "Http", {
      settings,
      methods: routes.map((route) => route.method),
    });
    const routeFunctions: lambda.IFunction[] = [];
    for (const route of routes) {
      const id = functionId(route.handler);
      const fn = new BundledFunction(this, id, {
        ...functionDefaults,
        bundle: bundleName(route.handler),
        description: `${route.method} ${route.path}: ${route.summary}`,
        memoryMb: route.memoryMb,
        timeoutSeconds: route.timeoutSeconds,
      });
      grantFunctionAccess(
        fn.role,
        route.access,
        { rateLimited: route.rateLimit !== "none", idempotent: route.idempotent === true },
        grantTargets,
      );
      // Every route checks a token when one is sent; the Redis URL only matters where data is read.
      secrets.grantRead(fn.role, { jwt: true, redis: Boolean(route.access.reads || route.access.writes) });
      httpApi.addRoute(id, route, fn.function);
      routeFunctions.push(fn.function);
    }

    const indexWorker = new BundledFunction(this, functionId(worker.handler), {
      ...functionDefaults,
      bundle: bundleName(worker.handler),
      description: worker.description,
      memoryMb: worker.memoryMb,
      timeoutSeconds: worker.timeoutSeconds,
    });
    grantFunctionAccess(
      indexWorker.role,
      worker.access,
      { rateLimited: false, idempotent: false },
      grantTargets,
    );
    secrets.grantRead(indexWorker.role, { jwt: false, redis: true });
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

    this.alarms = new OperationalAlarms(this, "Alarms", {
      deadLetterQueue: queues.deadLetterQueue,
      indexQueue: queues.queue,
      worker: indexWorker.function,
      routeFunctions,
      table,
      api: httpApi.api,
      thresholds: settings.alarms,
      alarmTopicArn: settings.alarmTopicArn,
    });

    const dashboard = new ApiDashboard(this, "Dashboard", {
      // The stack name is a literal here (infra/app.ts sets it), and unique per stage and region.
      dashboardName: this.stackName,
      namespace: METRICS_NAMESPACE,
      serviceName: SERVICE_NAME,
      api: httpApi.api,
      indexQueue: queues.queue,
      alarms: this.alarms.alarms,
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
