/**
 * The metrics port: what the API counts and measures, in its own words. Services and the http
 * layer record datapoints; an adapter turns them into CloudWatch metrics (emf-metrics.ts:
 * Embedded Metric Format on stdout, so no API call and no client at cold start).
 *
 * Every `record` call is one self-contained emission, flushed at once. Nothing is buffered per
 * execution environment, so requests served at the same time by one process (Lambda Managed
 * Instances, the local runtime) never share dimensions or see each other's datapoints.
 */

/** The catalogue. Names are the CloudWatch metric names; the dashboard reads the same constants. */
export const METRIC = {
  /** Every API request, by `route` and `statusClass` (2xx, 3xx, 4xx, 5xx). */
  requests: "Requests",
  /** Requests answered 429 by the per-caller rate limit. */
  rateLimited: "RateLimited",
  /** Idempotency-Key repeats answered with the stored first response. */
  idempotentReplays: "IdempotentReplays",
  marketsCreated: "MarketsCreated",
  /** Positions taken, initial positions of new markets included, and their amounts. */
  positionsOpened: "PositionsOpened",
  positionVolume: "PositionVolume",
  searchLatency: "SearchLatency",
  searchResults: "SearchResults",
  /** Milliseconds from the write that queued an index job to its vector being stored. */
  indexLag: "IndexLag",
} as const;

export type MetricName = (typeof METRIC)[keyof typeof METRIC];
export type MetricUnit = "Count" | "Milliseconds" | "None";

export interface Datapoint {
  name: MetricName;
  unit: MetricUnit;
  value: number;
}

export interface MetricsRecorder {
  /** Emit these datapoints together, with these dimensions (besides the service). */
  record(datapoints: readonly Datapoint[], dimensions?: Readonly<Record<string, string>>): void;
}

/** Records nothing: for tests of services, and for callers built without metrics. */
export const noMetrics: MetricsRecorder = { record: () => {} };
