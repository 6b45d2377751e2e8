/**
 * One CloudWatch dashboard for the API: the functions' EMF metrics (shared/metrics/metrics-recorder.ts
 * names them), the HTTP API's own numbers, the index queue, and the state of every alarm. The
 * per-route request graph is a SEARCH expression, so a new route shows up without a stack change.
 */
import { Duration } from "aws-cdk-lib";
import type * as apigwv2 from "aws-cdk-lib/aws-apigatewayv2";
import * as cloudwatch from "aws-cdk-lib/aws-cloudwatch";
import type * as sqs from "aws-cdk-lib/aws-sqs";
import { Construct } from "constructs";
import { METRIC, type MetricName } from "../../shared/metrics/metrics-recorder.ts";

export interface ApiDashboardProps {
  readonly dashboardName: string;
  readonly namespace: string;
  readonly serviceName: string;
  readonly api: apigwv2.IHttpApi;
  readonly indexQueue: sqs.IQueue;
  readonly alarms: readonly cloudwatch.IAlarm[];
}

const PERIOD = Duration.minutes(5);

export class ApiDashboard extends Construct {
  readonly dashboard: cloudwatch.Dashboard;

  constructor(scope: Construct, id: string, props: ApiDashboardProps) {
    super(scope, id);
    const metric = (name: MetricName, statistic: string, label?: string) =>
      new cloudwatch.Metric({
        namespace: props.namespace,
        metricName: name,
        dimensionsMap: { service: props.serviceName },
        statistic,
        period: PERIOD,
        ...(label ? { label } : {}),
      });
    const requestsBy = (statusClass: string) =>
      new cloudwatch.MathExpression({
        expression: `SEARCH('{${props.namespace},service,route,statusClass} MetricName="${METRIC.requests}" statusClass="${statusClass}"', 'Sum', 300)`,
        label: statusClass,
        period: PERIOD,
      });
    const graph = (title: string, left: cloudwatch.IMetric[], right: cloudwatch.IMetric[] = []) =>
      new cloudwatch.GraphWidget({ title, left, right, width: 8, height: 6 });

    this.dashboard = new cloudwatch.Dashboard(this, "Dashboard", {
      dashboardName: props.dashboardName,
      defaultInterval: Duration.hours(3),
    });
    this.dashboard.addWidgets(
      new cloudwatch.AlarmStatusWidget({ title: "Alarms", alarms: [...props.alarms], width: 24, height: 3 }),
    );
    this.dashboard.addWidgets(
      graph("Requests by route: 2xx", [requestsBy("2xx")]),
      graph("Requests by route: 4xx and 5xx", [requestsBy("4xx"), requestsBy("5xx")]),
      graph(
        "API Gateway latency and errors",
        [props.api.metricLatency({ period: PERIOD, statistic: "p90" })],
        [props.api.metricServerError({ period: PERIOD }), props.api.metricClientError({ period: PERIOD })],
      ),
    );
    this.dashboard.addWidgets(
      graph(
        "Markets created, positions opened",
        [
          metric(METRIC.marketsCreated, "Sum", "markets created"),
          metric(METRIC.positionsOpened, "Sum", "positions opened"),
        ],
        [metric(METRIC.positionVolume, "Sum", "position volume")],
      ),
      graph(
        "Search latency (ms) and results",
        [metric(METRIC.searchLatency, "p50", "p50"), metric(METRIC.searchLatency, "p99", "p99")],
        [metric(METRIC.searchResults, "Average", "results per search")],
      ),
      graph("Rate-limited requests, idempotent replays", [
        metric(METRIC.rateLimited, "Sum", "429 rate limited"),
        metric(METRIC.idempotentReplays, "Sum", "replays"),
      ]),
    );
    this.dashboard.addWidgets(
      graph("Index lag: write to searchable (ms)", [
        metric(METRIC.indexLag, "p50", "p50"),
        metric(METRIC.indexLag, "p99", "p99"),
        metric(METRIC.indexLag, "Maximum", "max"),
      ]),
      graph("Index queue", [
        props.indexQueue.metricApproximateNumberOfMessagesVisible({ period: PERIOD, statistic: "Maximum" }),
        props.indexQueue.metricApproximateAgeOfOldestMessage({ period: PERIOD, statistic: "Maximum" }),
      ]),
    );
  }
}
