/** The feedback function's composition root (SES events through SNS): DynamoDB (subscribers, ledger) and S3 (reports). */
import { DynamoConfirmationThrottle } from '../../adapters/aws/dynamo-confirmation-throttle.js';
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
import { renderedLinks } from '../../engagement/rendered-links.js';
import { dynamoClient, s3Client } from './clients.js';
import { envReader } from './env.js';
import { currentLists } from './lists.js';
import { noNewIds } from './no-new-ids.js';

/** What the feedback function works with. */
export interface FeedbackRuntime {
  /** Only SNS messages from this topic are read. */
  readonly topicArn: string;
  readonly deps: FeedbackDeps & ReportDeps & { readonly blobs: BlobStore };
}

/** The feedback function's runtime but the lists (built once per cold start). */
type FeedbackBase = { readonly topicArn: string; readonly deps: Omit<FeedbackRuntime['deps'], 'lists'> };

/** Builds the feedback function's deps but the lists. */
export function createFeedbackRuntime(env: NodeJS.ProcessEnv, clock: Clock = systemClock): FeedbackBase {
  const read = envReader(env);
  const ledgerTable = read.required(ENV.ledgerTable);
  const feedback = new DynamoFeedbackLedger(dynamoClient(), ledgerTable);
  const blobs = new S3BlobStore(s3Client(), read.required(ENV.briefsBucket));
  return {
    topicArn: read.required(ENV.feedbackTopicArn),
    deps: {
      subscribers: new DynamoSubscriberStore(dynamoClient(), read.required(ENV.subscribersTable), noNewIds),
      ledger: new DynamoLedger(dynamoClient(), ledgerTable),
      feedback,
      confirmations: new DynamoConfirmationThrottle(dynamoClient(), ledgerTable),
      blobs,
      // Opens and clicks; a click is placed by the link map, read from rendered/ once per issue.
      engagement: { ledger: feedback, links: renderedLinks(blobs) },
      clock,
      breaker: read.breaker(),
    },
  };
}

const feedbackBase = once(() => createFeedbackRuntime(process.env));

/** The feedback function's runtime for one invocation: the clients of the cold start, the lists as they are now. */
export async function feedbackRuntime(): Promise<FeedbackRuntime> {
  const base = feedbackBase();
  return { topicArn: base.topicArn, deps: { ...base.deps, lists: await currentLists() } };
}
