/**
 * The alarms that say "something is broken" before users do: the API's 5xx share and p99 latency;
 * throttles and errors of every function; DynamoDB throttling and system errors; index jobs in the
 * DLQ and the age of the oldest waiting job. Thresholds come from the stage's settings
 * (infra/settings.ts, tighter on protected stages). Missing data is treated as healthy, since a
 * quiet API publishes no datapoints. `alarms` lists them all, for dashboards.
 */
import { Duration } from "aws-cdk-lib";
import type * as apigwv2 from "aws-cdk-lib/aws-apigatewayv2";
import * as cloudwatch from "aws-cdk-lib/aws-cloudwatch";
import * as actions from "aws-cdk-lib/aws-cloudwatch-actions";
import * as dynamodb from "aws-cdk-lib/aws-dynamodb";
import type * as lambda from "aws-cdk-lib/aws-lambda";
import * as sns from "aws-cdk-lib/aws-sns";
import type * as sqs from "aws-cdk-lib/aws-sqs";
import { Construct } from "constructs";
import type { AlarmThresholds } from "../settings.ts";

export interface OperationalAlarmsProps {
  readonly deadLetterQueue: sqs.IQueue;
  readonly indexQueue: sqs.IQueue;
  readonly worker: lambda.IFunction;
  /** One per route; each gets its own throttle and error alarm. */
  readonly routeFunctions: readonly lambda.IFunction[];
  readonly table: dynamodb.ITable;
  readonly api: apigwv2.IHttpApi;
  readonly thresholds: AlarmThresholds;
  /** Optional SNS topic to notify; see the `alarmTopicArn` context key. */
  readonly alarmTopicArn?: string;
}

const PERIOD = Duration.minutes(5);

/** The operations the code makes (no Scan, no PartiQL): CloudWatch reports throttling per operation. */
const TABLE_OPERATIONS = [
  dynamodb.Operation.GET_ITEM,
  dynamodb.Operation.BATCH_GET_ITEM,
  dynamodb.Operation.QUERY,
  dynamodb.Operation.PUT_ITEM,
  dynamodb.Operation.UPDATE_ITEM,
  dynamodb.Operation.DELETE_ITEM,
  dynamodb.Operation.TRANSACT_WRITE_ITEMS,
];

export class OperationalAlarms extends Construct {
  readonly alarms: readonly cloudwatch.Alarm[];

  constructor(scope: Construct, id: string, props: OperationalAlarmsProps) {
    super(scope, id);
    const { thresholds } = props;
    const alarms: cloudwatch.Alarm[] = [];
    const above = (
      alarmId: string,
      alarmDescription: string,
      metric: cloudwatch.IMetric,
      threshold: number,
      evaluation: { evaluationPeriods: number; datapointsToAlarm?: number } = { evaluationPeriods: 1 },
    ) => {
      const alarm = new cloudwatch.Alarm(this, alarmId, {
        alarmDescription,
        metric,
        threshold,
        comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
        ...evaluation,
        treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
      });
      alarms.push(alarm);
      return alarm;
    };

    // Any message in the DLQ is a market that is not searchable: worth a look every time.
    above(
      "IndexDlqNotEmpty",
      "Index jobs failed every retry and wait in the DLQ; inspect them, fix, then redrive.",
      props.deadLetterQueue.metricApproximateNumberOfMessagesVisible({
        period: PERIOD,
        statistic: "Maximum",
      }),
      0,
    );
    // Jobs waiting long means search is that far behind writes: the worker is failing, throttled or
    // capped by its maximum concurrency.
    above(
      "IndexQueueAge",
      `The oldest index job waited more than ${thresholds.queueAgeSeconds} s: search is behind.`,
      props.indexQueue.metricApproximateAgeOfOldestMessage({ period: PERIOD, statistic: "Maximum" }),
      thresholds.queueAgeSeconds,
    );

    // A rate, not a count: five errors mean little at 10k requests and a lot at 10. A floor of
    // 10 requests keeps one failed request at night from paging anyone.
    above(
      "Api5xxRate",
      "More than the allowed share of API requests ended in a 5xx.",
      new cloudwatch.MathExpression({
        expression: "IF(requests >= 10, 100 * errors / requests, 0)",
        usingMetrics: {
          errors: props.api.metricServerError({ period: PERIOD, statistic: "Sum" }),
          requests: props.api.metricCount({ period: PERIOD, statistic: "Sum" }),
        },
        period: PERIOD,
        label: "5xx %",
      }),
      thresholds.api5xxPercent,
    );
    // Two of three periods: one slow cold-start burst is not an incident, a slow quarter hour is.
    above(
      "ApiLatencyP99",
      `API p99 latency above ${thresholds.latencyP99Ms} ms.`,
      props.api.metricLatency({ period: PERIOD, statistic: "p99" }),
      thresholds.latencyP99Ms,
      { evaluationPeriods: 3, datapointsToAlarm: 2 },
    );

    // Errors are whole-invocation failures (crashes, timeouts): handlers answer every expected
    // failure with an envelope, so any error is a bug or a stuck dependency. Throttles mean the
    // account or reserved concurrency ran out and API Gateway answered 5xx without running the code.
    for (const fn of [...props.routeFunctions, props.worker]) {
      const name = fn.node.scope?.node.id ?? fn.node.id;
      const errorsId = fn === props.worker ? "IndexWorkerErrors" : `${name}Errors`;
      above(
        errorsId,
        `${name} failed whole invocations (crash or timeout).`,
        fn.metricErrors({ period: PERIOD, statistic: "Sum" }),
        0,
      );
      above(
        `${name}Throttles`,
        `${name} was throttled (concurrency exhausted).`,
        fn.metricThrottles({ period: PERIOD, statistic: "Sum" }),
        0,
      );
    }

    // Throttled requests past the SDK's retries become 503s; system errors are DynamoDB's own 500s.
    above(
      "TableThrottledRequests",
      "DynamoDB throttled requests on the table (on-demand limits or a hot partition).",
      props.table.metricThrottledRequestsForOperations({ operations: TABLE_OPERATIONS, period: PERIOD }),
      0,
    );
    above(
      "TableSystemErrors",
      "DynamoDB answered requests with internal errors.",
      props.table.metricSystemErrorsForOperations({ operations: TABLE_OPERATIONS, period: PERIOD }),
      0,
    );

    this.alarms = alarms;
    if (props.alarmTopicArn) {
      const topic = sns.Topic.fromTopicArn(this, "AlarmTopic", props.alarmTopicArn);
      for (const alarm of this.alarms) alarm.addAlarmAction(new actions.SnsAction(topic));
    }
  }
}
