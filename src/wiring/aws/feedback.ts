/** The feedback function's composition root (SES events through SNS): DynamoDB (subscribers, ledger) and S3 (reports). */
import { DynamoFeedbackLedger } from '../../adapters/aws/dynamo-feedback-ledger.js';
import { DynamoLedger } from '../../adapters/aws/dynamo-ledger.js';
import { DynamoSubscriberStore } from '../../adapters/aws/dynamo-subscriber-store.js';
import { S3BlobStore } from '../../adapters/aws/s3-blob-store.js';
import { systemClock } from '../../adapters/system-clock.js';
import { ENV } from '../../config/env-names.js';
import type { FeedbackDeps } from '../../feedback/apply-feedback.js';
import type { BlobStore, Clock } from '../../ports.js';
import type { ReportDeps } from '../../report/issue-report.js';
import { once } from '../once.js';
import { dynamoClient, s3Client } from './clients.js';
import { envReader } from './env.js';
import { noNewIds } from './no-new-ids.js';

/** What the feedback function works with. */
export interface FeedbackRuntime {
  /** Only SNS messages from this topic are read. */
  readonly topicArn: string;
  readonly deps: FeedbackDeps & ReportDeps & { readonly blobs: BlobStore };
}

/** Builds the feedback function's deps. */
export function createFeedbackRuntime(env: NodeJS.ProcessEnv, clock: Clock = systemClock): FeedbackRuntime {
  const read = envReader(env);
  const ledgerTable = read.required(ENV.ledgerTable);
  return {
    topicArn: read.required(ENV.feedbackTopicArn),
    deps: {
      subscribers: new DynamoSubscriberStore(dynamoClient(), read.required(ENV.subscribersTable), noNewIds),
      ledger: new DynamoLedger(dynamoClient(), ledgerTable),
      feedback: new DynamoFeedbackLedger(dynamoClient(), ledgerTable),
      blobs: new S3BlobStore(s3Client(), read.required(ENV.briefsBucket)),
      lists: read.lists(),
      clock,
      breaker: read.breaker(),
    },
  };
}

/** The feedback function's deps, once per cold start. */
export const feedbackRuntime = once(() => createFeedbackRuntime(process.env));
