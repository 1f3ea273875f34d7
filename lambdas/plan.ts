/** Plan queue → planPage: one page of subscribers per message, then its continuation. */
import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import { MetricUnit } from '@aws-lambda-powertools/metrics';
import type { SQSBatchResponse, SQSEvent, SQSRecord, Context } from 'aws-lambda';
import { parsePlanMessage } from '../src/pipeline/job-messages.js';
import { planPage } from '../src/pipeline/plan-page.js';
import { publishIssueReport } from '../src/report/issue-report.js';
import { planRuntime, reportDeps } from '../src/wiring/aws/plan.js';
import { logger, METRIC, metrics } from './observability.js';

const processor = new BatchProcessor(EventType.SQS);

const planRecord = async (record: SQSRecord): Promise<void> => {
  const message = parsePlanMessage(record.body);
  const result = await planPage(planRuntime().plan, message, { redelivered: Number(record.attributes.ApproximateReceiveCount) > 1 });
  logger.info(`plan page ${result.status}`, { issue: message.issue, ...result });
  if (result.status === 'planned') metrics.addMetric(METRIC.planned, MetricUnit.Count, result.recipients);
  if (result.status === 'planned' && result.last) await publishIssueReport(await reportDeps(), message.issue);
};

/** Failed records go back to the queue (and to its dead-letter queue after maxReceiveCount). */
export const handler = async (event: SQSEvent, context?: Context): Promise<SQSBatchResponse> => {
  try {
    return await processPartialResponse(event, planRecord, processor, {
      ...(context ? { context } : {}),
      processInParallel: false,
      throwOnFullBatchFailure: false,
    });
  } finally {
    metrics.publishStoredMetrics();
  }
};
