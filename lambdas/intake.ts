/**
 * S3 events → intake: a brief created under briefs/ (intakeBrief), a brief removed there (its schedule is
 * cancelled), a proof created under proofs/ (intakeProof). Keys arrive URL-encoded (`+` is a space).
 */
import { MetricUnit } from '@aws-lambda-powertools/metrics';
import type { S3Event, S3EventRecord } from 'aws-lambda';
import { decodeEventKey, isBriefKey, isProofKey } from '../src/config/bucket-layout.js';
import { intakeBrief, type IntakeResult } from '../src/pipeline/intake-brief.js';
import { intakeProof, type ProofIntakeResult } from '../src/proofs/intake-proof.js';
import { cancelScheduledBrief, type CancelResult } from '../src/schedule/schedule-issue.js';
import { intakeDeps, proofDeps } from '../src/wiring/aws/intake.js';
import { logger, METRIC, metrics } from './observability.js';

/** Saving a bucket notification sends this instead of records. */
type S3TestEvent = { readonly Event: 's3:TestEvent'; readonly Records?: undefined };

type Result = IntakeResult | ProofIntakeResult | (CancelResult & { readonly key: string });

/** Handles every record; a thrown error makes Lambda retry the event (every step is idempotent). */
export const handler = async (event: S3Event | S3TestEvent): Promise<Result[]> => {
  const results: Result[] = [];
  try {
    for (const record of event.Records ?? []) results.push(await handleRecord(record));
  } finally {
    metrics.publishStoredMetrics();
  }
  return results;
};

async function handleRecord(record: S3EventRecord): Promise<Result> {
  const key = decodeEventKey(record.s3.object.key);
  // Hand-made events (tests, replays from the DLQ) may lack eventName; those are creations.
  if ((record.eventName ?? '').startsWith('ObjectRemoved') && isBriefKey(key)) {
    const cancelled = await cancelScheduledBrief(await intakeDeps(), key);
    logger.info(`brief removed: ${cancelled.status}`, { key, ...cancelled });
    return { key, ...cancelled };
  }
  if (isProofKey(key)) {
    // The version id tells uploads apart (the bucket is versioned): a redelivered event is the same proof.
    const nonce = record.s3.object.versionId ?? record.s3.object.sequencer ?? record.eventTime;
    const proof = await intakeProof(await proofDeps(), key, nonce);
    logger.info(`proof ${proof.status}`, { ...proof });
    return proof;
  }
  const result = await intakeBrief(await intakeDeps(), key);
  logger.info(`brief ${result.status}`, { ...result });
  if (result.status === 'refused') metrics.addMetric(METRIC.briefsRefused, MetricUnit.Count, 1);
  if (result.status === 'accepted' || result.status === 'scheduled') metrics.addMetric(METRIC.briefsAccepted, MetricUnit.Count, 1);
  if (result.status === 'duplicate') metrics.addMetric(METRIC.duplicateEvents, MetricUnit.Count, 1);
  return result;
}
