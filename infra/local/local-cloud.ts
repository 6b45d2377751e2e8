/**
 * The whole local cloud in one call: DynamoDB Local with the table, local SQS with the index
 * queue and DLQ, the bundles' environment, the queue poller feeding the worker, and the HTTP
 * gateway. `npm start` and the tests both use it. The bundles run in this process and share its
 * process.env, so run one local cloud per process at a time.
 */
import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { EMBEDDING_DIMENSIONS, marketVectorIndex } from "../../shared/repositories/vector-schema.ts";
import { bundleName } from "../../shared/routes/route.ts";
import { workers } from "../route-table.ts";
import { ensureTable } from "./create-table.ts";
import { startDynamoDbLocal } from "./dynamodb-local.ts";
import { startHttpGateway } from "./http-gateway.ts";
import { LambdaRuntime } from "./lambda-runtime.ts";
import { applyEnv, buildLocalEnv, LOCAL_CREDENTIALS, LOCAL_REGION, LOCAL_TABLE_NAME } from "./local-env.ts";
import { startSearchVectorsProxy } from "./search-vectors-proxy.ts";
import { localSqsClient, startSqsLocal } from "./sqs-local.ts";
import { SqsPoller } from "./sqs-poller.ts";

/** The bundle the index queue feeds: workers/index-markets. */
export const INDEX_WORKER_BUNDLE = bundleName((workers[0] as (typeof workers)[number]).handler);

/** The embedder the bundles will use, which sizes the emulated vector index. */
function embedderIn(overrides: Record<string, string> | undefined): "local" | "bedrock" {
  return (overrides?.EMBEDDER ?? process.env.EMBEDDER) === "bedrock" ? "bedrock" : "local";
}

export interface LocalCloudOptions {
  /** Gateway port; 0 or omitted picks a free one. */
  port?: number;
  /** Gateway interface; 127.0.0.1 by default (nothing exposed to the network). */
  host?: string;
  /** DynamoDB Local's folder, or "memory". Default: LOCAL_DATA, else `.data`. */
  dataDir?: string | "memory";
  /** Variables for the bundles that win over the defaults (JWT_SECRET, RATE_LIMIT_*, …). */
  env?: Record<string, string>;
  tableName?: string;
  /** Reuse running services instead of starting them (tests share one per run). */
  dynamodbEndpoint?: string;
  sqsEndpoint?: string;
  /** Queue names; unique ones let test files share one SQS server. */
  queueName?: string;
  dlqName?: string;
  /** Visibility timeout the poller asks for; tests of retries use ~1 s. */
  pollerVisibilityTimeoutSeconds?: number;
  /** Start the poller (default true); tests may drive it with `poller.drain()` instead. */
  startPoller?: boolean;
  /** Where the built bundles are; dist/functions by default. */
  bundlesDir?: string;
  /** Access log, one line per request. */
  log?: (line: string) => void;
}

export interface LocalCloud {
  readonly url: string;
  readonly port: number;
  /** The variables the bundles see. */
  readonly env: Readonly<Record<string, string>>;
  readonly tableName: string;
  readonly queueUrl: string;
  readonly dlqUrl: string;
  readonly dynamodbEndpoint: string;
  readonly sqsEndpoint: string;
  readonly runtime: LambdaRuntime;
  readonly poller: SqsPoller;
  /** Invoke a bundle directly, like `aws lambda invoke`; `instance` selects a separate warm instance. */
  invoke<TResult = unknown>(bundle: string, event: unknown, instance?: string | number): Promise<TResult>;
  /** Stop everything started (java included) and restore process.env. */
  stop(): Promise<void>;
}

export async function startLocalCloud(options: LocalCloudOptions = {}): Promise<LocalCloud> {
  const cleanups: (() => Promise<void> | void)[] = [];
  const stop = async () => {
    // Reverse order: the gateway and poller stop before the stores they use.
    for (const cleanup of cleanups.splice(0).reverse()) {
      await Promise.resolve(cleanup()).catch((error: unknown) => console.error("[local-cloud] stop:", error));
    }
  };
  try {
    const [dynamo, sqs] = await Promise.all([
      startDynamoDbLocal({
        dataDir: options.dataDir ?? process.env.LOCAL_DATA ?? ".data",
        endpoint: options.dynamodbEndpoint,
      }),
      startSqsLocal({
        endpoint: options.sqsEndpoint,
        queueName: options.queueName,
        dlqName: options.dlqName,
      }),
    ]);
    cleanups.push(dynamo.stop, sqs.stop);
    // The bundles talk to DynamoDB through the layer that adds SearchVectors (the `dynamodb` engine).
    const dynamoProxy = await startSearchVectorsProxy({
      target: dynamo.endpoint,
      indexes: [marketVectorIndex(EMBEDDING_DIMENSIONS[embedderIn(options.env)])],
    });
    cleanups.push(dynamoProxy.stop);

    const tableName = options.tableName ?? LOCAL_TABLE_NAME;
    const dynamoClient = new DynamoDBClient({
      endpoint: dynamo.endpoint,
      region: LOCAL_REGION,
      credentials: LOCAL_CREDENTIALS,
    });
    await ensureTable(dynamoClient, tableName).finally(() => dynamoClient.destroy());

    const env = buildLocalEnv({
      dynamodbEndpoint: dynamoProxy.endpoint,
      sqsEndpoint: sqs.endpoint,
      indexQueueUrl: sqs.queueUrl,
      tableName,
      from: process.env,
      overrides: options.env,
    });
    cleanups.push(applyEnv(env));

    const runtime = new LambdaRuntime({ bundlesDir: options.bundlesDir });
    cleanups.push(() => runtime.dispose());

    const sqsClient = localSqsClient(sqs.endpoint);
    cleanups.push(() => sqsClient.destroy());
    const poller = new SqsPoller({
      client: sqsClient,
      queueUrl: sqs.queueUrl,
      invoke: (event) => runtime.invoke(INDEX_WORKER_BUNDLE, event),
      visibilityTimeoutSeconds: options.pollerVisibilityTimeoutSeconds,
    });
    if (options.startPoller ?? true) poller.start();
    cleanups.push(() => poller.stop());

    const gateway = await startHttpGateway({
      invoker: runtime,
      port: options.port,
      host: options.host,
      log: options.log,
    });
    cleanups.push(gateway.close);

    return {
      url: gateway.url,
      port: gateway.port,
      env,
      tableName,
      queueUrl: sqs.queueUrl,
      dlqUrl: sqs.dlqUrl,
      dynamodbEndpoint: dynamoProxy.endpoint,
      sqsEndpoint: sqs.endpoint,
      runtime,
      poller,
      invoke: (bundle, event, instance) => runtime.invoke(bundle, event, { instance }),
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}
