/**
 * A stand-in for the Lambda Node.js runtime: imports a built bundle (dist/functions/<name>/index.mjs)
 * once per "instance", like a warm execution environment, and calls its `handler(event, context)`
 * with a Lambda-shaped context and the function's timeout.
 */
import { randomUUID } from "node:crypto";
import { cpSync, existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import type { Context } from "aws-lambda";
import { bundleName } from "../../shared/routes/route.ts";
import { routes, workers } from "../route-table.ts";
import { ConcurrencyLimit } from "./concurrency-limit.ts";
import { LOCAL_REGION } from "./local-env.ts";
import { runAsFunction } from "./running-function.ts";

export const DEFAULT_BUNDLES_DIR = fileURLToPath(new URL("../../dist/functions", import.meta.url));
/** Lambda settings for functions that declare none; keep in step with the CDK stack's defaults. */
export const DEFAULT_TIMEOUT_SECONDS = 10;
export const DEFAULT_MEMORY_MB = 512;
const LOCAL_ACCOUNT = "123456789012";

export type LambdaHandler = (event: unknown, context: Context) => Promise<unknown>;

export interface InvokeOptions {
  /**
   * A separate warm instance: its own copy of the module graph (own caches, own clients), for tests
   * of behaviour across Lambda instances. Omitted = the one default instance.
   */
  instance?: string | number;
  /** Overrides the function's timeout (tests of timeout handling). */
  timeoutMs?: number;
}

/** What Lambda reports when a handler outlives its timeout. */
export class LambdaTimeoutError extends Error {
  constructor(functionName: string, timeoutMs: number) {
    super(`${functionName}: Task timed out after ${(timeoutMs / 1000).toFixed(2)} seconds`);
    this.name = "LambdaTimeoutError";
  }
}

interface FunctionSettings {
  timeoutSeconds: number;
  memoryMb: number;
}

/** Timeout and memory per bundle, read from the route table like the CDK stack does. */
const settingsByBundle = new Map<string, FunctionSettings>(
  [...routes, ...workers].map((definition) => [
    bundleName(definition.handler),
    {
      timeoutSeconds: definition.timeoutSeconds ?? DEFAULT_TIMEOUT_SECONDS,
      memoryMb: definition.memoryMb ?? DEFAULT_MEMORY_MB,
    },
  ]),
);

const DEFAULT_MAX_CONCURRENCY = 16;

export class LambdaRuntime {
  private readonly modules = new Map<string, Promise<LambdaHandler>>();
  private instancesDir: string | undefined;

  private readonly concurrency: ConcurrencyLimit;

  /**
   * `maxConcurrency` caps invocations in flight across all bundles (default LOCAL_CONCURRENCY, else
   * 16); the rest wait their turn, and their timeout starts when they run, as on Lambda.
   */
  constructor(private readonly options: { bundlesDir?: string; maxConcurrency?: number } = {}) {
    this.concurrency = new ConcurrencyLimit(
      options.maxConcurrency ?? Number(process.env.LOCAL_CONCURRENCY ?? DEFAULT_MAX_CONCURRENCY),
    );
  }

  /** Invoke a bundle's handler; rejects with the handler's error or a LambdaTimeoutError. */
  invoke<TResult = unknown>(bundle: string, event: unknown, options: InvokeOptions = {}): Promise<TResult> {
    return this.concurrency.run(() =>
      runAsFunction(bundle, () => this.invokeNow<TResult>(bundle, event, options)),
    );
  }

  private async invokeNow<TResult>(bundle: string, event: unknown, options: InvokeOptions): Promise<TResult> {
    const handler = await this.load(bundle, options.instance);
    const settings = settingsByBundle.get(bundle) ?? {
      timeoutSeconds: DEFAULT_TIMEOUT_SECONDS,
      memoryMb: DEFAULT_MEMORY_MB,
    };
    const timeoutMs = options.timeoutMs ?? settings.timeoutSeconds * 1000;
    const context = lambdaContext(bundle, settings.memoryMb, Date.now() + timeoutMs);

    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new LambdaTimeoutError(context.functionName, timeoutMs)), timeoutMs);
    });
    try {
      // A timed-out handler keeps running in the background here, where Lambda would freeze it;
      // its late result is simply ignored.
      return (await Promise.race([handler(event, context), timeout])) as TResult;
    } finally {
      clearTimeout(timer);
    }
  }

  /** Import (cold start) or reuse (warm) a bundle's handler. */
  load(bundle: string, instance?: string | number): Promise<LambdaHandler> {
    const key = `${bundle}#${instance ?? "default"}`;
    let loaded = this.modules.get(key);
    if (!loaded) {
      loaded = this.importHandler(bundle, instance);
      // A failed cold start is retried on the next invocation, as Lambda does.
      loaded.catch(() => this.modules.delete(key));
      this.modules.set(key, loaded);
    }
    return loaded;
  }

  /** Remove the copies made for extra instances. */
  dispose(): void {
    if (this.instancesDir) rmSync(this.instancesDir, { recursive: true, force: true });
    this.instancesDir = undefined;
  }

  private async importHandler(bundle: string, instance: string | number | undefined): Promise<LambdaHandler> {
    const bundlesDir = this.options.bundlesDir ?? DEFAULT_BUNDLES_DIR;
    let folder = join(bundlesDir, bundle);
    if (!existsSync(join(folder, "index.mjs"))) {
      throw new Error(
        `No bundle at ${join(folder, "index.mjs")}: run \`npm run build\` (is ${bundle} written yet?)`,
      );
    }
    if (instance !== undefined) {
      // A `?instance=N` query would give index.mjs a second module record, but its chunks are
      // imported by relative URLs without the query, so module state in shared chunks would still
      // be shared. A copy of the folder gives a truly separate module graph.
      this.instancesDir ??= mkdtempSync(join(tmpdir(), "markets-api-instances-"));
      const copy = join(this.instancesDir, String(instance), bundle);
      if (!existsSync(copy)) cpSync(folder, copy, { recursive: true });
      folder = copy;
    }
    const module: { handler?: unknown } = await import(pathToFileURL(join(folder, "index.mjs")).href);
    if (typeof module.handler !== "function")
      throw new Error(`${bundle}/index.mjs does not export a handler`);
    return module.handler as LambdaHandler;
  }
}

/** The context object Lambda passes as the second argument. */
export function lambdaContext(bundle: string, memoryMb: number, deadline: number): Context {
  const functionName = `markets-api-${bundle}`;
  const unsupported = () => {
    throw new Error("Callback-style completion is not supported: return a promise from the handler");
  };
  return {
    callbackWaitsForEmptyEventLoop: true,
    functionName,
    functionVersion: "$LATEST",
    invokedFunctionArn: `arn:aws:lambda:${LOCAL_REGION}:${LOCAL_ACCOUNT}:function:${functionName}`,
    memoryLimitInMB: String(memoryMb),
    awsRequestId: randomUUID(),
    logGroupName: `/aws/lambda/${functionName}`,
    logStreamName: `local/[$LATEST]${randomUUID().replaceAll("-", "")}`,
    getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()),
    done: unsupported,
    fail: unsupported,
    succeed: unsupported,
  };
}
