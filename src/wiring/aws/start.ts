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

/** Builds the start function's deps. */
export function createStartDeps(env: NodeJS.ProcessEnv, clock = systemClock): StartDeps {
  const read = envReader(env);
  return {
    blobs: new S3BlobStore(s3Client(), read.required(ENV.briefsBucket)),
    ledger: new DynamoLedger(dynamoClient(), read.required(ENV.ledgerTable)),
    queue: new SqsJobQueue(sqsClient(), { plan: read.required(ENV.planQueueUrl), send: read.required(ENV.sendQueueUrl) }),
    lists: read.lists(),
    clock,
  };
}

/** The start function's deps, once per cold start. */
export const startDeps = once(() => createStartDeps(process.env));
