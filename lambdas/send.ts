/**
 * Send queue → sendJob. A job that could not finish (throttled, account paused, poison) is reported as a
 * batch item failure: it comes back later, and its claims make the recipients already done skip.
 * No MJML in this bundle: the rendered issue is only a type here.
 */
import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import { MetricUnit } from '@aws-lambda-powertools/metrics';
import type { Context, SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import { parseSendJob } from '../src/pipeline/job-messages.js';
import { newSendRun, type SendRun, sendJob } from '../src/pipeline/send-job.js';
import { PoisonJobError } from '../src/pipeline/send-errors.js';
import { awsRuntime } from '../src/wiring/aws.js';
import { logger, METRIC, metrics } from './observability.js';

const processor = new BatchProcessor(EventType.SQS);

const sendRecord = (run: SendRun) => async (record: SQSRecord): Promise<void> => {
  let job;
  try {
    job = parseSendJob(record.body);
  } catch (error) {
    if (error instanceof PoisonJobError) metrics.addMetric(METRIC.poisonJobs, MetricUnit.Count, 1);
    logger.error('poison send job', { messageId: record.messageId, error: error as Error });
    throw error;
  }
  const result = await sendJob(await awsRuntime().send(), job, run);
  logger.info(`send job ${result.outcome}`, { messageId: record.messageId, issue: job.issue, ...result });
  metrics.addMetric(METRIC.sent, MetricUnit.Count, result.sent);
  if (result.failed) metrics.addMetric(METRIC.sendsFailed, MetricUnit.Count, result.failed);
  if (result.unknown.length) metrics.addMetric(METRIC.unknownDeliveries, MetricUnit.Count, result.unknown.length);
  if (result.outcome === 'retry') metrics.addMetric(METRIC.throttledJobs, MetricUnit.Count, 1);
  if (result.outcome === 'paused') metrics.addMetric(METRIC.sendingPaused, MetricUnit.Count, 1);
  if (result.tripped) {
    metrics.addMetric(METRIC.breakerTripped, MetricUnit.Count, 1);
    logger.error('circuit breaker tripped: the issue stops sending', { issue: job.issue, reason: result.tripped });
  }
  if (result.outcome !== 'complete') throw new Error(`job ${record.messageId} goes back to the queue: ${result.reason ?? result.outcome}`);
};

// Time kept back for the last SES answers and ledger writes after the deadline (the SES client times out at 5 s).
const SAFETY_MS = 10_000;

/**
 * One SendRun per invocation: once the account is paused, the remaining jobs are not tried. Jobs of a batch run
 * in parallel through the container's one token bucket, so that one job's last answers overlap the next one's sends.
 */
export const handler = async (event: SQSEvent, context?: Context): Promise<SQSBatchResponse> => {
  const deadline = context ? Date.now() + context.getRemainingTimeInMillis() - SAFETY_MS : undefined;
  try {
    return await processPartialResponse(event, sendRecord(newSendRun(deadline)), processor, { context, processInParallel: true, throwOnFullBatchFailure: false });
  } finally {
    metrics.publishStoredMetrics();
  }
};
