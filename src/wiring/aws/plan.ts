/** The plan function's composition root: DynamoDB (subscribers, ledger), SQS (plan and send queues), S3 (reports). */
import { randomUUID } from 'node:crypto';
import { DynamoFeedbackLedger } from '../../adapters/aws/dynamo-feedback-ledger.js';
import { DynamoLedger } from '../../adapters/aws/dynamo-ledger.js';
import { DynamoSubscriberStore } from '../../adapters/aws/dynamo-subscriber-store.js';
import { S3BlobStore } from '../../adapters/aws/s3-blob-store.js';
import { SqsJobQueue } from '../../adapters/aws/sqs-job-queue.js';
import { systemClock } from '../../adapters/system-clock.js';
import { ENV } from '../../config/env-names.js';
import type { PlanDeps } from '../../pipeline/plan-page.js';
import type { BlobStore } from '../../ports.js';
import type { ReportDeps } from '../../report/issue-report.js';
import { once } from '../once.js';
import { dynamoClient, s3Client, sqsClient } from './clients.js';
import { envReader } from './env.js';
import { currentLists } from './lists.js';

/** What the plan function works with: planning, and the issue report written when the last page is planned. */
export interface PlanRuntime {
  readonly plan: PlanDeps;
  /** The report's deps but the lists (see reportDeps). */
  readonly reports: Omit<ReportDeps, 'lists'> & { readonly blobs: BlobStore };
}

/** Builds the plan function's deps. */
export function createPlanRuntime(env: NodeJS.ProcessEnv, clock = systemClock): PlanRuntime {
  const read = envReader(env);
  const ledgerTable = read.required(ENV.ledgerTable);
  const ledger = new DynamoLedger(dynamoClient(), ledgerTable);
  return {
    plan: {
      subscribers: new DynamoSubscriberStore(dynamoClient(), read.required(ENV.subscribersTable), randomUUID),
      ledger,
      queue: new SqsJobQueue(sqsClient(), { plan: read.required(ENV.planQueueUrl), send: read.required(ENV.sendQueueUrl) }),
    },
    reports: {
      ledger,
      feedback: new DynamoFeedbackLedger(dynamoClient(), ledgerTable),
      clock,
      breaker: read.breaker(),
      blobs: new S3BlobStore(s3Client(), read.required(ENV.briefsBucket)),
    },
  };
}

/** The plan function's deps, once per cold start. */
export const planRuntime = once(() => createPlanRuntime(process.env));

/** The issue report's deps for one invocation, with the lists as they are now. */
export async function reportDeps(): Promise<ReportDeps & { readonly blobs: BlobStore }> {
  return { ...planRuntime().reports, lists: await currentLists() };
}
