import { Aws, Duration } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { type BreakerPolicy, DEFAULT_BREAKER_POLICY } from '../src/config/breaker-policy.js';
import { METRIC, METRICS_NAMESPACE } from '../src/config/metric-names.js';

/** What the dashboard shows. */
export interface OpsDashboardProps {
  /** The plan queue (one message per issue being planned: each page enqueues its own continuation). */
  readonly planQueue: sqs.IQueue;
  /** The send queue (jobs of at most 50 recipients). */
  readonly sendQueue: sqs.IQueue;
  /** Every dead-letter queue, by the name shown on the graph. */
  readonly deadLetterQueues: Readonly<Record<string, sqs.IQueue>>;
  /** Every newsbrief function, by the name shown on the graphs. */
  readonly functions: Readonly<Record<string, lambda.IFunction>>;
  /** The account's SES rate from context `maxSendRate`; unset, the quota line is left out (the functions read it from SES). */
  readonly maxSendRate?: number;
  /** The circuit breaker's limits drawn on the rate graphs. @default DEFAULT_BREAKER_POLICY (what the functions use) */
  readonly breaker?: Pick<Required<BreakerPolicy>, 'maxBounceRate' | 'maxComplaintRate'>;
  /** Shown as a status grid at the top. */
  readonly alarms?: readonly cloudwatch.IAlarm[];
}

const ONE_MINUTE = Duration.minutes(1);

/** A custom metric as the handlers emit it: Powertools adds the `service` dimension to every metric. */
export function newsbriefMetric(metricName: string, statistic = 'Sum'): cloudwatch.Metric {
  return new cloudwatch.Metric({
    namespace: METRICS_NAMESPACE,
    metricName,
    dimensionsMap: { service: 'newsbrief' },
    statistic,
    period: ONE_MINUTE,
  });
}

/**
 * One CloudWatch dashboard for an issue going out: sends per second against the SES rate, queue depth and age,
 * issues in flight, bounce and complaint rates against the breaker's limits, dead letters, function errors and
 * throttles. Its URL is a stack output (DashboardUrl).
 */
export class OpsDashboard extends Construct {
  /** The dashboard. */
  readonly dashboard: cloudwatch.Dashboard;
  /** Its console URL. */
  readonly url: string;

  constructor(scope: Construct, id: string, props: OpsDashboardProps) {
    super(scope, id);
    const breaker = props.breaker ?? DEFAULT_BREAKER_POLICY;
    this.dashboard = new cloudwatch.Dashboard(this, 'Dashboard', {
      dashboardName: `${Aws.STACK_NAME}-operations`,
      defaultInterval: Duration.hours(3),
    });
    this.url = `https://${Aws.REGION}.console.aws.amazon.com/cloudwatch/home?region=${Aws.REGION}#dashboards/dashboard/${this.dashboard.dashboardName}`;

    if (props.alarms?.length) {
      this.dashboard.addWidgets(
        new cloudwatch.AlarmStatusWidget({ title: 'Alarms (runbook: docs/runbook.md)', alarms: [...props.alarms], width: 24, height: 4 }),
      );
    }

    // Sends per second: ours (MessagesSent) and the account's (SES's own Send count), each divided by the period.
    const perSecond = (metric: cloudwatch.IMetric, key: string, label: string) =>
      new cloudwatch.MathExpression({ expression: `${key} / PERIOD(${key})`, usingMetrics: { [key]: metric }, label, period: ONE_MINUTE });
    this.dashboard.addWidgets(
      new cloudwatch.GraphWidget({
        title: 'Sends per second against the SES rate',
        width: 12,
        left: [
          perSecond(newsbriefMetric(METRIC.sent), 'sent', 'newsbrief messages sent / s'),
          perSecond(
            new cloudwatch.Metric({ namespace: 'AWS/SES', metricName: 'Send', statistic: 'Sum', period: ONE_MINUTE }),
            'ses',
            'SES sends / s (whole account)',
          ),
        ],
        leftYAxis: { min: 0, label: 'messages / s', showUnits: false },
        leftAnnotations:
          props.maxSendRate !== undefined
            ? [{ value: props.maxSendRate, label: `SES max send rate (maxSendRate ${props.maxSendRate}/s)`, color: cloudwatch.Color.RED }]
            : [],
        right: [
          newsbriefMetric(METRIC.throttledJobs).with({ label: 'jobs throttled by SES' }),
          newsbriefMetric(METRIC.continuationsEnqueued).with({ label: 'continuations (delayed)' }),
        ],
        rightYAxis: { min: 0, label: 'per minute', showUnits: false },
      }),
      new cloudwatch.GraphWidget({
        title: 'Queue depth and age of the oldest message',
        width: 12,
        left: [
          props.planQueue.metricApproximateNumberOfMessagesVisible({ period: ONE_MINUTE, label: 'plan queue: visible' }),
          props.sendQueue.metricApproximateNumberOfMessagesVisible({ period: ONE_MINUTE, label: 'send queue: visible' }),
          props.sendQueue.metricApproximateNumberOfMessagesNotVisible({ period: ONE_MINUTE, label: 'send queue: in flight' }),
        ],
        leftYAxis: { min: 0, label: 'messages', showUnits: false },
        right: [
          props.planQueue.metricApproximateAgeOfOldestMessage({ period: ONE_MINUTE, label: 'plan queue: oldest (s)' }),
          props.sendQueue.metricApproximateAgeOfOldestMessage({ period: ONE_MINUTE, label: 'send queue: oldest (s)' }),
        ],
        rightYAxis: { min: 0, label: 'seconds', showUnits: false },
      }),
    );

    // No metric counts issues in flight (metric-names.ts has none): an issue being planned holds exactly one plan
    // message (each page enqueues its continuation), so the plan queue's messages are the issues being planned;
    // beside them, issues started, paused and stopped by the breaker.
    const planMessages = new cloudwatch.MathExpression({
      expression: 'visible + inflight',
      usingMetrics: {
        visible: props.planQueue.metricApproximateNumberOfMessagesVisible({ period: ONE_MINUTE, statistic: 'Maximum' }),
        inflight: props.planQueue.metricApproximateNumberOfMessagesNotVisible({ period: ONE_MINUTE, statistic: 'Maximum' }),
      },
      label: 'issues being planned (plan queue messages)',
      period: ONE_MINUTE,
    });
    this.dashboard.addWidgets(
      new cloudwatch.GraphWidget({
        title: 'Issues in flight',
        width: 12,
        left: [planMessages],
        leftYAxis: { min: 0, label: 'issues', showUnits: false },
        right: [
          newsbriefMetric(METRIC.briefsAccepted).with({ label: 'briefs accepted (started or scheduled)' }),
          newsbriefMetric(METRIC.issuesPaused).with({ label: 'issues paused (SES quota / account)' }),
          newsbriefMetric(METRIC.breakerTripped).with({ label: 'circuit breakers tripped' }),
          newsbriefMetric(METRIC.planned).with({ label: 'recipients planned' }),
        ],
        rightYAxis: { min: 0, label: 'per minute', showUnits: false },
      }),
      // SES's reputation metrics (the whole account, as SES judges it); the lines are the per-issue breaker's limits.
      new cloudwatch.GraphWidget({
        title: 'Bounce and complaint rates against the breaker limits',
        width: 12,
        left: [
          new cloudwatch.Metric({
            namespace: 'AWS/SES',
            metricName: 'Reputation.BounceRate',
            statistic: 'Maximum',
            period: Duration.minutes(5),
            label: 'bounce rate (SES reputation)',
          }),
        ],
        leftYAxis: { min: 0, label: 'bounce rate', showUnits: false },
        leftAnnotations: [
          { value: breaker.maxBounceRate, label: `breaker: max bounce rate ${breaker.maxBounceRate}`, color: cloudwatch.Color.ORANGE },
        ],
        right: [
          new cloudwatch.Metric({
            namespace: 'AWS/SES',
            metricName: 'Reputation.ComplaintRate',
            statistic: 'Maximum',
            period: Duration.minutes(5),
            label: 'complaint rate (SES reputation)',
          }),
        ],
        rightYAxis: { min: 0, label: 'complaint rate', showUnits: false },
        rightAnnotations: [
          {
            value: breaker.maxComplaintRate,
            label: `breaker: max complaint rate ${breaker.maxComplaintRate}`,
            color: cloudwatch.Color.RED,
          },
        ],
      }),
    );

    const functions = Object.entries(props.functions);
    this.dashboard.addWidgets(
      new cloudwatch.GraphWidget({
        title: 'Dead-letter queues (any message: see its alarm in docs/runbook.md)',
        width: 8,
        left: Object.entries(props.deadLetterQueues).map(([name, queue]) =>
          queue.metricApproximateNumberOfMessagesVisible({ period: ONE_MINUTE, statistic: 'Maximum', label: name }),
        ),
        leftYAxis: { min: 0, label: 'messages', showUnits: false },
      }),
      new cloudwatch.GraphWidget({
        title: 'Function errors',
        width: 8,
        left: functions.map(([name, fn]) => fn.metricErrors({ period: ONE_MINUTE, label: name })),
        leftYAxis: { min: 0, label: 'per minute', showUnits: false },
      }),
      new cloudwatch.GraphWidget({
        title: 'Function throttles',
        width: 8,
        left: functions.map(([name, fn]) => fn.metricThrottles({ period: ONE_MINUTE, label: name })),
        leftYAxis: { min: 0, label: 'per minute', showUnits: false },
      }),
    );
  }
}
