/**
 * The alarms that page before users notice: API 5xx share and p99 latency, throttles and errors of
 * every function, DynamoDB throttling and system errors, the DLQ and the age of the oldest index
 * job. Thresholds come from the stage's settings. Runs on stub bundles.
 */
import { afterAll, describe, expect, it } from "vitest";
import { routes, workers } from "../../infra/route-table.ts";
import { cleanupSynth, synthStack } from "../support/synth-stack.ts";

afterAll(() => cleanupSynth());

type Alarm = {
  MetricName?: string;
  Namespace?: string;
  ExtendedStatistic?: string;
  Threshold?: number;
  Dimensions?: { Name: string; Value: unknown }[];
  Metrics?: { Expression?: string; MetricStat?: { Metric: { MetricName: string; Namespace: string } } }[];
  AlarmActions?: unknown[];
};

function alarmsOf(context: Record<string, string> = {}): Alarm[] {
  const { resources } = synthStack(context);
  return Object.values(resources)
    .filter((resource) => resource.Type === "AWS::CloudWatch::Alarm")
    .map((resource) => resource.Properties as Alarm);
}

/** Metric names an alarm watches, directly or inside a math expression. */
const metricsOf = (alarm: Alarm): string[] =>
  alarm.MetricName
    ? [`${alarm.Namespace}/${alarm.MetricName}`]
    : (alarm.Metrics ?? []).flatMap((m) =>
        m.MetricStat ? [`${m.MetricStat.Metric.Namespace}/${m.MetricStat.Metric.MetricName}`] : [],
      );

const watching = (alarms: Alarm[], metric: string) =>
  alarms.filter((alarm) => metricsOf(alarm).includes(metric));

describe("operational alarms", { timeout: 180_000 }, () => {
  const alarms = alarmsOf();
  const functions = routes.length + workers.length;

  it("watch API p99 latency and the 5xx share", () => {
    const latency = watching(alarms, "AWS/ApiGateway/Latency");
    expect(latency).toHaveLength(1);
    expect(latency[0]?.ExtendedStatistic).toBe("p99");
    expect(watching(alarms, "AWS/ApiGateway/5xx")).toHaveLength(1);
  });

  it("watch throttles and errors of every function", () => {
    expect(watching(alarms, "AWS/Lambda/Throttles")).toHaveLength(functions);
    expect(watching(alarms, "AWS/Lambda/Errors")).toHaveLength(functions);
  });

  it("watch DynamoDB throttled requests and system errors", () => {
    expect(watching(alarms, "AWS/DynamoDB/ThrottledRequests").length).toBeGreaterThanOrEqual(1);
    expect(watching(alarms, "AWS/DynamoDB/SystemErrors").length).toBeGreaterThanOrEqual(1);
  });

  it("watch the index queue: the DLQ and the age of the oldest job", () => {
    expect(watching(alarms, "AWS/SQS/ApproximateNumberOfMessagesVisible")).toHaveLength(1);
    expect(watching(alarms, "AWS/SQS/ApproximateAgeOfOldestMessage")).toHaveLength(1);
  });

  it("take their thresholds from the stage's settings", () => {
    const threshold = (list: Alarm[], metric: string) => watching(list, metric)[0]?.Threshold;
    const custom = alarmsOf({ alarmLatencyP99Ms: "750", alarmQueueAgeSeconds: "120" });
    expect(threshold(custom, "AWS/ApiGateway/Latency")).toBe(750);
    expect(threshold(custom, "AWS/SQS/ApproximateAgeOfOldestMessage")).toBe(120);
    const production = alarmsOf({ stage: "production", jwtJwksUrl: "https://i.example.com/jwks.json" });
    // A protected stage is held to tighter defaults than a disposable one.
    expect(threshold(production, "AWS/ApiGateway/Latency")).toBeLessThan(
      threshold(alarms, "AWS/ApiGateway/Latency") ?? 0,
    );
  });

  it("all notify the alarm topic when one is given", () => {
    const notified = alarmsOf({ alarmTopicArn: "arn:aws:sns:eu-west-1:123456789012:ops" });
    for (const alarm of notified) expect(alarm.AlarmActions, metricsOf(alarm).join()).toHaveLength(1);
  });
});
