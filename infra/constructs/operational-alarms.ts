/**
 * The three alarms that say "something is broken" without dashboards: jobs piling up in the DLQ,
 * the index worker failing, and the API answering 5xx. Missing data is treated as healthy, since
 * a quiet API publishes no datapoints.
 */
import { Duration } from "aws-cdk-lib";
import type * as apigwv2 from "aws-cdk-lib/aws-apigatewayv2";
import * as cloudwatch from "aws-cdk-lib/aws-cloudwatch";
import * as actions from "aws-cdk-lib/aws-cloudwatch-actions";
import type * as lambda from "aws-cdk-lib/aws-lambda";
import * as sns from "aws-cdk-lib/aws-sns";
import type * as sqs from "aws-cdk-lib/aws-sqs";
import { Construct } from "constructs";

export interface OperationalAlarmsProps {
  readonly deadLetterQueue: sqs.IQueue;
  readonly worker: lambda.IFunction;
  readonly api: apigwv2.IHttpApi;
  /** Optional SNS topic to notify; see the `alarmTopicArn` context key. */
  readonly alarmTopicArn?: string;
  /** Share of requests answered with 5xx, in percent, over 5 minutes. */
  readonly api5xxPercent?: number;
}

const PERIOD = Duration.minutes(5);

export class OperationalAlarms extends Construct {
  readonly alarms: readonly cloudwatch.Alarm[];

  constructor(scope: Construct, id: string, props: OperationalAlarmsProps) {
    super(scope, id);

    // Any message in the DLQ is a market that is not searchable: worth a look every time.
    const dlqNotEmpty = new cloudwatch.Alarm(this, "IndexDlqNotEmpty", {
      alarmDescription: "Index jobs failed every retry and wait in the DLQ; inspect them, fix, then redrive.",
      metric: props.deadLetterQueue.metricApproximateNumberOfMessagesVisible({
        period: PERIOD,
        statistic: "Maximum",
      }),
      threshold: 0,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
      evaluationPeriods: 1,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
    });

    // Errors are whole-invocation failures (timeouts, crashes); per-message failures are retried by
    // SQS and end in the DLQ alarm above.
    const workerErrors = new cloudwatch.Alarm(this, "IndexWorkerErrors", {
      alarmDescription: "The index worker failed whole invocations (crash or timeout).",
      metric: props.worker.metricErrors({ period: PERIOD, statistic: "Sum" }),
      threshold: 0,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
      evaluationPeriods: 1,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
    });

    // A rate, not a count: five errors mean little at 10k requests and a lot at 10. A floor of
    // 10 requests keeps one failed request at night from paging anyone.
    const api5xxRate = new cloudwatch.Alarm(this, "Api5xxRate", {
      alarmDescription: "More than the allowed share of API requests ended in a 5xx.",
      metric: new cloudwatch.MathExpression({
        expression: "IF(requests >= 10, 100 * errors / requests, 0)",
        usingMetrics: {
          errors: props.api.metricServerError({ period: PERIOD, statistic: "Sum" }),
          requests: props.api.metricCount({ period: PERIOD, statistic: "Sum" }),
        },
        period: PERIOD,
        label: "5xx %",
      }),
      threshold: props.api5xxPercent ?? 5,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
      evaluationPeriods: 1,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
    });

    this.alarms = [dlqNotEmpty, workerErrors, api5xxRate];
    if (props.alarmTopicArn) {
      const topic = sns.Topic.fromTopicArn(this, "AlarmTopic", props.alarmTopicArn);
      for (const alarm of this.alarms) alarm.addAlarmAction(new actions.SnsAction(topic));
    }
  }
}
