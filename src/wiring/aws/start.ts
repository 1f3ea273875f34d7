/** The start function's composition root (a scheduled issue's time has come): S3, DynamoDB, SQS. */
import { DynamoLedger } from '../../adapters/aws/dynamo-ledger.js';
import { S3BlobStore } from '../../adapters/aws/s3-blob-store.js';
import { SqsJobQueue } from '../../adapters/aws/sqs-job-queue.js';
import { systemClock } from '../../adapters/system-clock.js';
import { ENV } from '../../config/env-names.js';
import type { StartDeps } from '../../schedule/start-issue.js';
import { once } from '../once.js';
import { dynamoClient, s3Client, sqsClient } from './clients.js';
import { envReader } from './env.js';
import { currentLists } from './lists.js';

/** Builds the start function's deps but the lists. */
export function createStartDeps(env: NodeJS.ProcessEnv, clock = systemClock): Omit<StartDeps, 'lists'> {
  const read = envReader(env);
  return {
    blobs: new S3BlobStore(s3Client(), read.required(ENV.briefsBucket)),
    ledger: new DynamoLedger(dynamoClient(), read.required(ENV.ledgerTable)),
    queue: new SqsJobQueue(sqsClient(), { plan: read.required(ENV.planQueueUrl), send: read.required(ENV.sendQueueUrl) }),
    clock,
  };
}

const startBase = once(() => createStartDeps(process.env));

/** The start function's deps for one invocation: the clients of the cold start, the lists as they are now. */
export async function startDeps(): Promise<StartDeps> {
  return { ...startBase(), lists: await currentLists() };
}
