/**
 * The MetricsRecorder adapter over Powertools Metrics: CloudWatch Embedded Metric Format written to
 * stdout, which Lambda ships to CloudWatch Logs and CloudWatch turns into metrics. No SDK client,
 * no network call, nothing to flush at the end of an invocation.
 *
 * A Powertools `Metrics` object buffers metrics and dimensions until it publishes, so sharing one
 * between concurrent requests would mix their dimensions. Each `record` therefore gets a fresh,
 * short-lived object that publishes before `record` returns: cheap (a few plain objects), and
 * nothing outlives the call.
 */
import { Metrics, MetricUnit } from "@aws-lambda-powertools/metrics";
import type { Datapoint, MetricsRecorder } from "./metrics-recorder.ts";

const UNITS = {
  Count: MetricUnit.Count,
  Milliseconds: MetricUnit.Milliseconds,
  None: MetricUnit.NoUnit,
} as const;

export class PowertoolsMetricsRecorder implements MetricsRecorder {
  constructor(private readonly opts: { namespace: string; serviceName: string }) {}

  record(datapoints: readonly Datapoint[], dimensions: Readonly<Record<string, string>> = {}): void {
    if (datapoints.length === 0) return;
    const metrics = new Metrics({ namespace: this.opts.namespace, serviceName: this.opts.serviceName });
    if (Object.keys(dimensions).length > 0) metrics.addDimensions({ ...dimensions });
    for (const point of datapoints) metrics.addMetric(point.name, UNITS[point.unit], point.value);
    metrics.publishStoredMetrics();
  }
}
