/**
 * Metrics and tracing: the CloudWatch metrics recorder (EMF on stdout, built on its first
 * datapoint) and the optional Powertools Tracer (imported only when TRACER_ENABLED, so with the
 * tracer off, the default, no X-Ray code is loaded at all).
 */
import { logger } from "../logger.ts";
import { EmfMetricsRecorder } from "../metrics/emf-metrics.ts";
import type { MetricsRecorder } from "../metrics/metrics-recorder.ts";
import { once } from "../util/once.ts";
import { dynamoClient } from "./clients.ts";
import { config } from "./environment.ts";

/** CloudWatch metrics as EMF on stdout: no client, nothing built before the first datapoint. */
export const metricsRecorder = /* @__PURE__ */ once((): MetricsRecorder => {
  const {
    POWERTOOLS_METRICS_NAMESPACE,
    POWERTOOLS_SERVICE_NAME,
    POWERTOOLS_METRICS_DISABLED,
    POWERTOOLS_DEV,
  } = config();
  return new EmfMetricsRecorder({
    namespace: POWERTOOLS_METRICS_NAMESPACE,
    serviceName: POWERTOOLS_SERVICE_NAME,
    enabled: !(POWERTOOLS_METRICS_DISABLED ?? POWERTOOLS_DEV ?? false),
  });
});

/** Starts the tracer on the first request that asks; a no-op unless TRACER_ENABLED. */
export const tracing = /* @__PURE__ */ once(async (): Promise<void> => {
  const { TRACER_ENABLED, POWERTOOLS_SERVICE_NAME } = config();
  if (!TRACER_ENABLED) return;
  try {
    const { traceClients } = await import("../tracing/powertools-tracer.ts");
    traceClients({ serviceName: POWERTOOLS_SERVICE_NAME, dynamo: dynamoClient() });
  } catch (error) {
    // Tracing is diagnostics: requests go on untraced rather than fail.
    logger.warn("Powertools Tracer could not start", { error });
  }
});
