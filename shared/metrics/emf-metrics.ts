/**
 * The MetricsRecorder adapter: CloudWatch Embedded Metric Format, one JSON line on stdout per
 * `record`, which Lambda ships to CloudWatch Logs and CloudWatch turns into metrics. No SDK client,
 * no network call, nothing buffered between calls, so requests served at the same time by one
 * process never share dimensions.
 *
 * Why not Powertools Metrics: it writes the same document (test/unit/metrics/emf-metrics.test.ts
 * compares the two line by line), but its bundle adds ~13 KB to every route's cold start for
 * buffering, validation and cold-start metrics this port never uses; this file is under 1 KB
 * minified (docs/performance.md, "Cold start").
 */
import type { Datapoint, MetricsRecorder } from "./metrics-recorder.ts";

export interface EmfOptions {
  readonly namespace: string;
  /** The `service` dimension every datapoint carries. */
  readonly serviceName: string;
  /** Off: nothing is written (locally, as with Powertools' POWERTOOLS_DEV / POWERTOOLS_METRICS_DISABLED). */
  readonly enabled: boolean;
  /** Where each document goes, one line each; stdout by default. */
  readonly write?: (line: string) => void;
}

/** The EMF document of one emission, as Powertools Metrics serialises it. */
export function emfDocument(
  options: Pick<EmfOptions, "namespace" | "serviceName">,
  datapoints: readonly Datapoint[],
  dimensions: Readonly<Record<string, string>>,
  timestamp: number,
): Record<string, unknown> {
  const values: Record<string, number | number[]> = {};
  const metrics: { Name: string; Unit: string }[] = [];
  for (const { name, unit, value } of datapoints) {
    const earlier = values[name];
    if (earlier === undefined) {
      values[name] = value;
      metrics.push({ Name: name, Unit: unit });
    } else {
      // A name given twice is one metric with several values, as EMF allows.
      values[name] = [...(Array.isArray(earlier) ? earlier : [earlier]), value];
    }
  }
  const dimensionValues = { service: options.serviceName, ...dimensions };
  return {
    _aws: {
      Timestamp: timestamp,
      CloudWatchMetrics: [
        { Namespace: options.namespace, Dimensions: [Object.keys(dimensionValues)], Metrics: metrics },
      ],
    },
    ...dimensionValues,
    ...values,
  };
}

export class EmfMetricsRecorder implements MetricsRecorder {
  private readonly write: (line: string) => void;

  constructor(private readonly options: EmfOptions) {
    this.write = options.write ?? ((line) => process.stdout.write(line));
  }

  record(datapoints: readonly Datapoint[], dimensions: Readonly<Record<string, string>> = {}): void {
    if (!this.options.enabled || datapoints.length === 0) return;
    this.write(`${JSON.stringify(emfDocument(this.options, datapoints, dimensions, Date.now()))}\n`);
  }
}
