/**
 * Our EMF writer against Powertools Metrics, the reference it replaced: for the same datapoints and
 * dimensions both must write the same document, so the dashboard, the alarms and any log query
 * written for Powertools' output keep working.
 */
import { Metrics, MetricUnit } from "@aws-lambda-powertools/metrics";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { EmfMetricsRecorder } from "../../../shared/metrics/emf-metrics.ts";
import { type Datapoint, METRIC } from "../../../shared/metrics/metrics-recorder.ts";

const OPTIONS = { namespace: "MarketsApi", serviceName: "markets-api" };
const UNITS = { Count: MetricUnit.Count, Milliseconds: MetricUnit.Milliseconds, None: MetricUnit.NoUnit };
const NOW = 1_780_000_000_000;

/** What Powertools Metrics writes for one emission, published at once as the old adapter did. */
function powertoolsLines(datapoints: readonly Datapoint[], dimensions: Record<string, string>): string[] {
  const lines: string[] = [];
  const spy = vi.spyOn(process.stdout, "write").mockImplementation((chunk) => {
    lines.push(String(chunk));
    return true;
  });
  try {
    const metrics = new Metrics(OPTIONS);
    if (Object.keys(dimensions).length > 0) metrics.addDimensions({ ...dimensions });
    for (const point of datapoints) metrics.addMetric(point.name, UNITS[point.unit], point.value);
    metrics.publishStoredMetrics();
  } finally {
    spy.mockRestore();
  }
  return lines;
}

function ourLines(
  datapoints: readonly Datapoint[],
  dimensions: Record<string, string>,
  enabled = true,
): string[] {
  const lines: string[] = [];
  new EmfMetricsRecorder({ ...OPTIONS, enabled, write: (line) => lines.push(line) }).record(
    datapoints,
    dimensions,
  );
  return lines;
}

beforeEach(() => {
  vi.useFakeTimers({ now: NOW, toFake: ["Date"] });
  vi.stubEnv("POWERTOOLS_METRICS_DISABLED", "false");
});

afterEach(() => {
  vi.useRealTimers();
  vi.unstubAllEnvs();
});

describe("EMF documents", () => {
  const cases: [string, Datapoint[], Record<string, string>][] = [
    [
      "one count with route dimensions",
      [{ name: METRIC.requests, unit: "Count", value: 1 }],
      { route: "GET /api/markets/{id}", statusClass: "2xx" },
    ],
    ["one count without dimensions", [{ name: METRIC.rateLimited, unit: "Count", value: 1 }], {}],
    [
      "several metrics of different units",
      [
        { name: METRIC.searchLatency, unit: "Milliseconds", value: 12.5 },
        { name: METRIC.searchResults, unit: "Count", value: 7 },
        { name: METRIC.positionVolume, unit: "None", value: 0.01 },
      ],
      { engine: "in-process" },
    ],
    [
      "one name given twice",
      [
        { name: METRIC.indexLag, unit: "Milliseconds", value: 40 },
        { name: METRIC.indexLag, unit: "Milliseconds", value: 90 },
      ],
      {},
    ],
  ];

  it.each(cases)("match Powertools Metrics: %s", (_, datapoints, dimensions) => {
    const ours = ourLines(datapoints, dimensions);
    expect(ours).toHaveLength(1);
    expect(ours[0]?.endsWith("\n")).toBe(true);
    expect(JSON.parse(ours[0] ?? "")).toEqual(JSON.parse(powertoolsLines(datapoints, dimensions)[0] ?? ""));
    expect(JSON.parse(ours[0] ?? "")._aws.Timestamp).toBe(NOW);
  });

  it("writes nothing for no datapoints, or when metrics are off", () => {
    expect(ourLines([], { route: "GET /api/health" })).toEqual([]);
    expect(ourLines([{ name: METRIC.requests, unit: "Count", value: 1 }], {}, false)).toEqual([]);
  });
});
