import { Duration, Stack } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as actions from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as subscriptions from 'aws-cdk-lib/aws-sns-subscriptions';
import { Construct } from 'constructs';

// The metric names live beside ENV in src/config, so that an alarm never watches a name no handler emits.
import { METRIC, METRICS_NAMESPACE } from '../src/config/metric-names.js';

export { METRICS_NAMESPACE };
/** Names of the custom metrics the alarms watch (the handlers emit them through the same module). */
export const METRIC_NAMES = METRIC;

/** Where an alarm is explained: its section of docs/runbook.md (GitHub's anchor of the heading `` `id` ``). */
export function runbookLink(id: string): string {
  return `docs/runbook.md#${id.toLowerCase()}`;
}

/** Options of the pipeline alarms. */
export interface PipelineAlarmsProps {
  /** Subscribed to the alarm topic when set (SNS asks the address to confirm). */
  readonly alarmEmail?: string;
}

/** The alarm topic and a small helper that wires alarms to it, so every alarm notifies the same people. */
export class PipelineAlarms extends Construct {
  /** Every alarm publishes here (on ALARM and back to OK). */
  readonly topic: sns.Topic;

  constructor(scope: Construct, id: string, props: PipelineAlarmsProps = {}) {
    super(scope, id);

    // Not KMS-encrypted on purpose: alarm notifications carry only alarm names and metric values, and
    // CloudWatch cannot publish to a topic under the AWS-managed SNS key (a customer key would be needed for no gain).
    this.topic = new sns.Topic(this, 'Topic', { displayName: 'newsbrief alarms', enforceSSL: true });
    if (props.alarmEmail) {
      this.topic.addSubscription(new subscriptions.EmailSubscription(props.alarmEmail));
    }
  }

  /**
   * Alarms when the metric's value in one period is above `threshold` (default 0: any occurrence is news). The
   * alarm is named `<stack>-<id>`, and its description ends with its section of docs/runbook.md (headed by `id`).
   */
  alarmWhenAbove(id: string, metric: cloudwatch.IMetric, description: string, threshold = 0): cloudwatch.Alarm {
    const alarm = new cloudwatch.Alarm(this, id, {
      // The name in the notification mail is the runbook's heading, so the reader finds what to do at once.
      alarmName: `${Stack.of(this).stackName}-${id}`,
      metric,
      threshold,
      evaluationPeriods: 1,
      datapointsToAlarm: 1,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
      // No data means nothing happened: a quiet pipeline is healthy.
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
      alarmDescription: `${description} Runbook: ${runbookLink(id)}`,
    });
    alarm.addAlarmAction(new actions.SnsAction(this.topic));
    alarm.addOkAction(new actions.SnsAction(this.topic));
    return alarm;
  }

  /**
   * Sum of a custom metric across all its dimension sets (a Metrics Insights query), so the alarm
   * still fires if a handler adds dimensions such as the list id.
   */
  static customMetricSum(metricName: string, period = Duration.minutes(5)): cloudwatch.IMetric {
    return new cloudwatch.MathExpression({
      expression: `SELECT SUM(${metricName}) FROM "${METRICS_NAMESPACE}"`,
      usingMetrics: {},
      period,
      label: metricName,
    });
  }
}
