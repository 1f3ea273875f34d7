/**
 * The intake function's composition root (briefs, proofs, removed briefs): S3, DynamoDB (the ledger), SQS
 * (the plan queue), EventBridge Scheduler (scheduled issues), and SES with Secrets Manager for proofs only.
 * MJML is not loaded here: the renderer loads it on its first render.
 */
import { DynamoLedger } from '../../adapters/aws/dynamo-ledger.js';
import { DynamoSubscriberStore } from '../../adapters/aws/dynamo-subscriber-store.js';
import { EventBridgeIssueScheduler } from '../../adapters/aws/eventbridge-scheduler.js';
import { S3BlobStore } from '../../adapters/aws/s3-blob-store.js';
import { loadKeyringSecret } from '../../adapters/aws/secrets-keyring.js';
import { SesMailer } from '../../adapters/aws/ses-mailer.js';
import { SqsJobQueue } from '../../adapters/aws/sqs-job-queue.js';
import { systemClock } from '../../adapters/system-clock.js';
import { ENV } from '../../config/env-names.js';
import type { IntakeDeps } from '../../pipeline/intake-brief.js';
import type { IssueScheduler } from '../../ports.js';
import type { ProofDeps } from '../../proofs/send-proof.js';
import { once } from '../once.js';
import { noNewIds } from './no-new-ids.js';
import { dynamoClient, s3Client, schedulerClient, secretsClient, sesClient, sqsClient } from './clients.js';
import { ConfigError, type EnvReader, envReader } from './env.js';
import { currentLists } from './lists.js';

/** Builds intake's deps but the lists (also what a scheduled start needs: blobs, ledger, plan queue, clock). */
export function createIntakeDeps(env: NodeJS.ProcessEnv, clock = systemClock): Omit<IntakeDeps, 'lists'> {
  const read = envReader(env);
  return {
    blobs: new S3BlobStore(s3Client(), read.required(ENV.briefsBucket)),
    ledger: new DynamoLedger(dynamoClient(), read.required(ENV.ledgerTable)),
    queue: new SqsJobQueue(sqsClient(), { plan: read.required(ENV.planQueueUrl), send: read.required(ENV.sendQueueUrl) }),
    clock,
    scheduler: schedulerOf(read),
    // Only read (audiences are counted at intake); no ids are made here.
    ...subscribersOf(read),
  };
}

// Optional so that an intake deployed before audiences existed keeps starting; then the audience check is skipped.
function subscribersOf(read: EnvReader): Pick<IntakeDeps, 'subscribers'> {
  const table = read.optional(ENV.subscribersTable);
  return table ? { subscribers: new DynamoSubscriberStore(dynamoClient(), table, noNewIds) } : {};
}

/** Intake's clients and stores, once per cold start. */
const intakeBase = once(() => createIntakeDeps(process.env));

/** Intake's deps for one invocation: the clients of the cold start, the lists as they are now (cached briefly). */
export async function intakeDeps(): Promise<IntakeDeps> {
  return { ...intakeBase(), lists: await currentLists() };
}

/** What intake needs for proofs: its own blobs and ledger, SES and the keyring (read once per cold start). */
const proofBase = once(async (): Promise<Omit<ProofDeps, 'lists'> & { readonly blobs: IntakeDeps['blobs'] }> => {
  const read = envReader(process.env);
  const intake = intakeBase();
  return {
    blobs: intake.blobs,
    ledger: intake.ledger,
    mailer: new SesMailer(sesClient(), read.optional(ENV.configurationSet)),
    keyring: await loadKeyringSecret(secretsClient(), read.required(ENV.keysSecretArn)),
    clock: intake.clock,
  };
});

/** Proof deps for one invocation, with the lists as they are now. */
export async function proofDeps(): Promise<ProofDeps & { readonly blobs: IntakeDeps['blobs'] }> {
  return { ...(await proofBase()), lists: await currentLists() };
}

// Without the schedule variables (an old deployment) a scheduled brief fails loudly, naming what is
// missing, rather than being sent at once.
function schedulerOf(read: EnvReader): IssueScheduler {
  if (read.optional(ENV.scheduleGroup) === undefined) return unscheduled;
  return new EventBridgeIssueScheduler(schedulerClient(), {
    groupName: read.required(ENV.scheduleGroup),
    targetArn: read.required(ENV.startFunctionArn),
    roleArn: read.required(ENV.schedulerRoleArn),
    deadLetterArn: read.optional(ENV.scheduleDeadLetterArn),
  });
}

const unscheduled: IssueScheduler = {
  upsert: async () => {
    throw new ConfigError(`environment variable ${ENV.scheduleGroup} is not set: this function cannot schedule issues`);
  },
  cancel: async () => {
    throw new ConfigError(`environment variable ${ENV.scheduleGroup} is not set: this function cannot cancel schedules`);
  },
};
