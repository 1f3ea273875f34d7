/**
 * The send function's composition root: S3 (rendered issues), DynamoDB (ledger, subscribers, feedback
 * counts), SQS (continuations), SES and Secrets Manager (the keyring). Built once per cold start.
 */
import { randomUUID } from 'node:crypto';
import { DynamoFeedbackLedger } from '../../adapters/aws/dynamo-feedback-ledger.js';
import { DynamoLedger } from '../../adapters/aws/dynamo-ledger.js';
import { DynamoSubscriberStore } from '../../adapters/aws/dynamo-subscriber-store.js';
import { S3BlobStore } from '../../adapters/aws/s3-blob-store.js';
import { loadKeyringSecret } from '../../adapters/aws/secrets-keyring.js';
import { readMaxSendRate, SesMailer } from '../../adapters/aws/ses-mailer.js';
import { SqsJobQueue } from '../../adapters/aws/sqs-job-queue.js';
import { systemClock } from '../../adapters/system-clock.js';
import { ENV } from '../../config/env-names.js';
import type { SendGateDeps } from '../../feedback/send-gate.js';
import { TokenBucket, workerRate } from '../../pipeline/rate-limiter.js';
import { DEFAULT_DELIVERY_POLICY, type SendDeps } from '../../pipeline/send-job.js';
import type { Clock, Sleeper } from '../../ports.js';
import { once } from '../once.js';
import { dynamoClient, dynamoHotClient, s3Client, secretsClient, sesClient, sqsClient, SES_REQUEST_TIMEOUT_MS } from './clients.js';
import { envReader } from './env.js';
import { currentLists } from './lists.js';

/** Sent outcomes recorded in one ledger transaction (with the outcome batch's age limit, one second). */
const SENT_OUTCOMES_PER_WRITE = 25;

/** The send deps but the lists: what one container keeps from its cold start. */
type SendBase = Omit<SendDeps, 'lists' | 'gate'> & { readonly gate: Omit<SendGateDeps, 'lists'> };

/** Builds the send deps from `env` but the lists: the keyring and the send rate are network reads. */
export async function createSendDeps(env: NodeJS.ProcessEnv, clock: Clock & Sleeper = systemClock): Promise<SendBase> {
  const read = envReader(env);
  const ledgerTable = read.required(ENV.ledgerTable);
  const ledger = new DynamoLedger(dynamoClient(), ledgerTable, dynamoHotClient());
  const maxSendRate = read.positive(ENV.maxSendRate);
  const concurrency = Math.floor(read.positive(ENV.sendConcurrency) ?? 1);
  const [keyring, accountRate] = await Promise.all([
    loadKeyringSecret(secretsClient(), read.required(ENV.keysSecretArn)),
    maxSendRate !== undefined ? Promise.resolve(maxSendRate) : readMaxSendRate(sesClient()),
  ]);
  const rate = workerRate(accountRate, concurrency);
  const unknownGraceMs = read.nonNegative(ENV.unknownGraceSeconds, DEFAULT_DELIVERY_POLICY.unknownGraceMs / 1000) * 1000;
  return {
    blobs: new S3BlobStore(s3Client(), read.required(ENV.briefsBucket)),
    ledger,
    subscribers: new DynamoSubscriberStore(dynamoClient(), read.required(ENV.subscribersTable), randomUUID),
    mailer: new SesMailer(
      sesClient(),
      read.optional(ENV.configurationSet),
      read.optional(ENV.trackedConfigurationSet),
      read.optional(ENV.clicksOnlyConfigurationSet),
    ),
    keyring,
    clock,
    // One bucket per container = per concurrent worker: it keeps its pace across warm invocations.
    limiter: new TokenBucket({ ratePerSecond: rate }, clock, clock),
    queue: new SqsJobQueue(sqsClient(), { plan: read.required(ENV.planQueueUrl), send: read.required(ENV.sendQueueUrl) }),
    issues: new Map(),
    // A call's budget: the SES timeout, then the ledger write of its outcome.
    policy: {
      unknownGraceMs,
      callBudgetMs: SES_REQUEST_TIMEOUT_MS + 2_000,
      // Sent outcomes in one transaction per job and second: SES's Send events settle the claims a crash leaves open.
      outcomeBatch: unknownGraceMs > 0 ? SENT_OUTCOMES_PER_WRITE : 1,
      // A quarter of a second of sending claimed in one write (at most 25): a crash delays those few by a lease.
      claimGroup: Math.max(1, Math.min(25, Math.ceil(rate / 4))),
    },
    gate: { ledger, feedback: new DynamoFeedbackLedger(dynamoClient(), ledgerTable), clock, breaker: read.breaker() },
    // Enough messages in flight to keep the pace with SES's ~100-150 ms answers.
    parallelism: Math.max(1, Math.min(50, Math.ceil(rate * 0.3) + 1)),
  };
}

/** The send function's clients, keyring, rate limiter and issue cache, once per cold start (a failed read is tried again by the next invocation). */
const sendBase = once(() => createSendDeps(process.env));

/** The send deps for one job: the container's limiter and caches, the lists as they are now (cached briefly). */
export async function sendDeps(): Promise<SendDeps> {
  const [base, lists] = await Promise.all([sendBase(), currentLists()]);
  return { ...base, lists, gate: { ...base.gate, lists } };
}
