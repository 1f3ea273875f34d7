/**
 * SES feedback through SNS: bounces and complaints suppress addresses, every event is counted on its
 * issue, and a bounce or complaint that pushes an issue past its limits trips the circuit breaker.
 * A failure throws, so that SNS retries the whole message; applying it again is harmless.
 */
import { MetricUnit } from '@aws-lambda-powertools/metrics';
import type { SNSEvent } from 'aws-lambda';
import { applySesFeedback } from '../src/feedback/apply-feedback.js';
import { sesEventsFromSns } from '../src/feedback/sns-records.js';
import { publishIssueReport } from '../src/report/issue-report.js';
import { feedbackRuntime } from '../src/wiring/aws/feedback.js';
import { logger, METRIC, metrics } from './observability.js';

/** Applies each SES event of the SNS delivery; reports are rewritten when a bounce, complaint or reject was counted. */
export const handler = async (event: SNSEvent): Promise<void> => {
  const runtime = await feedbackRuntime();
  try {
    for (const record of sesEventsFromSns(event, runtime.topicArn)) {
      if (!record.ok) {
        logger.warn('SNS message ignored', { snsMessageId: record.snsMessageId, reason: record.ignored });
        continue;
      }
      const { feedback } = record;
      const result = await applySesFeedback(runtime.deps, feedback);
      logger.info(`SES ${feedback.kind}`, { snsMessageId: record.snsMessageId, issue: feedback.issue, ...result });
      if (result.tripped) {
        metrics.addMetric(METRIC.breakerTripped, MetricUnit.Count, 1);
        logger.error('circuit breaker tripped: the issue stops sending', { ...result.tripped });
      }
      if (result.confirmationsStopped) {
        metrics.addMetric(METRIC.confirmationBreakerTripped, MetricUnit.Count, 1);
        logger.error('confirmation breaker tripped: the subscribe form mails no confirmations for this list', {
          ...result.confirmationsStopped,
        });
      }
      // Deliveries, opens and clicks come one per reader: the report is rewritten for rarer news, and read live by `newsbrief report`.
      const frequent = feedback.kind === 'delivery' || feedback.kind === 'open' || feedback.kind === 'click';
      if (feedback.issue && result.counted > 0 && !frequent) await publishIssueReport(runtime.deps, feedback.issue);
    }
  } finally {
    metrics.publishStoredMetrics();
  }
};
