/** S3 ObjectCreated → intakeBrief, one record at a time. Keys arrive URL-encoded (`+` is a space). */
import { MetricUnit } from '@aws-lambda-powertools/metrics';
import type { S3Event } from 'aws-lambda';
import { decodeEventKey } from '../src/pipeline/blob-keys.js';
import { intakeBrief, type IntakeResult } from '../src/pipeline/intake-brief.js';
import { awsRuntime } from '../src/wiring/aws.js';
import { logger, METRIC, metrics } from './observability.js';

/** Saving a bucket notification sends this instead of records. */
type S3TestEvent = { readonly Event: 's3:TestEvent'; readonly Records?: undefined };

/** Handles every record; a thrown error makes Lambda retry the event (every step is idempotent). */
export const handler = async (event: S3Event | S3TestEvent): Promise<IntakeResult[]> => {
  const results: IntakeResult[] = [];
  try {
    for (const record of event.Records ?? []) {
      const result = await intakeBrief(awsRuntime().intake, decodeEventKey(record.s3.object.key));
      logger.info(`brief ${result.status}`, { ...result });
      if (result.status === 'refused') metrics.addMetric(METRIC.briefsRefused, MetricUnit.Count, 1);
      if (result.status === 'accepted') metrics.addMetric(METRIC.briefsAccepted, MetricUnit.Count, 1);
      if (result.status === 'duplicate') metrics.addMetric(METRIC.duplicateEvents, MetricUnit.Count, 1);
      results.push(result);
    }
  } finally {
    metrics.publishStoredMetrics();
  }
  return results;
};
