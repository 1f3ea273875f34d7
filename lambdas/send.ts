/**
 * Send queue → sendJob. A job always ends its own message: what it could not finish (throttled, quota
 * exhausted, out of time, waiting for SES to confirm) it has already enqueued as a delayed continuation,
 * so throttling and pauses never burn receive counts. Only a poison body or a failure to load the issue
 * or enqueue is reported as a batch item failure (and, after the queue's receives, dead-lettered).
 * No MJML in this bundle: the rendered issue is only a type here.
 */
import { randomUUID } from 'node:crypto';
import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import { MetricUnit } from '@aws-lambda-powertools/metrics';
import type { Context, SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import { parseSendJob } from '../src/pipeline/job-messages.js';
import { newSendRun, type SendRun, sendJob } from '../src/pipeline/send-job.js';
import { PoisonJobError } from '../src/pipeline/job-messages.js';
import { sendDeps } from '../src/wiring/aws/send.js';
import { logger, METRIC, metrics } from './observability.js';

const processor = new BatchProcessor(EventType.SQS);

const sendRecord =
  (run: SendRun) =>
  async (record: SQSRecord): Promise<void> => {
    let job: ReturnType<typeof parseSendJob>;
    try {
      job = parseSendJob(record.body);
    } catch (error) {
      if (error instanceof PoisonJobError) metrics.addMetric(METRIC.poisonJobs, MetricUnit.Count, 1);
      logger.error('poison send job', { messageId: record.messageId, error: error as Error });
      throw error;
    }
    const result = await sendJob(await sendDeps(), job, run);
    logger.info(`send job ${result.outcome}`, { messageId: record.messageId, issue: job.issue, ...result });
    metrics.addMetric(METRIC.sent, MetricUnit.Count, result.sent);
    if (result.failed) metrics.addMetric(METRIC.sendsFailed, MetricUnit.Count, result.failed);
    if (result.unknown) metrics.addMetric(METRIC.unknownDeliveries, MetricUnit.Count, result.unknown);
    if (result.resent) metrics.addMetric(METRIC.deliveriesResent, MetricUnit.Count, result.resent);
    if (result.continued) metrics.addMetric(METRIC.continuationsEnqueued, MetricUnit.Count, 1);
    if (result.outcome === 'paused') metrics.addMetric(METRIC.sendingPaused, MetricUnit.Count, 1);
    if (result.pausedNow) {
      metrics.addMetric(METRIC.issuesPaused, MetricUnit.Count, 1);
      logger.error('issue paused: SES will not send for this account now; its jobs wait and resume by themselves', {
        issue: job.issue,
        ...result.pausedNow,
      });
    }
    if (result.tripped) {
      metrics.addMetric(METRIC.breakerTripped, MetricUnit.Count, 1);
      logger.error('circuit breaker tripped: the issue stops sending', { issue: job.issue, reason: result.tripped });
    }
  };

// Time kept back after the last call's budget for the final ledger writes and the batch response.
const SAFETY_MS = 2_000;

/**
 * One SendRun per invocation (its holder id goes on every claim): once the account is paused, the remaining
 * jobs are not tried. Jobs of a batch run in parallel through the container's one token bucket.
 */
export const handler = async (event: SQSEvent, context?: Context): Promise<SQSBatchResponse> => {
  const deadline = context ? Date.now() + context.getRemainingTimeInMillis() - SAFETY_MS : undefined;
  const run = newSendRun(`lambda:${context?.awsRequestId ?? randomUUID()}`, deadline);
  try {
    return await processPartialResponse(event, sendRecord(run), processor, {
      ...(context ? { context } : {}),
      processInParallel: true,
      throwOnFullBatchFailure: false,
    });
  } finally {
    metrics.publishStoredMetrics();
  }
};
