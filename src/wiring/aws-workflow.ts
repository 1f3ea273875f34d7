/**
 * The AWS composition root of the editorial workflow: the scheduler intake uses for scheduled sends, and
 * the read-only deps of `newsbrief status --table`. Variables are read here (names from ENV), once; SDK
 * clients come from the same factory as the pipeline's.
 */
import { SchedulerClient } from '@aws-sdk/client-scheduler';
import { DynamoLedger } from '../adapters/aws/dynamo-ledger.js';
import { EventBridgeIssueScheduler } from '../adapters/aws/eventbridge-scheduler.js';
import { S3BlobStore } from '../adapters/aws/s3-blob-store.js';
import { loadKeyringSecret } from '../adapters/aws/secrets-keyring.js';
import { SesMailer } from '../adapters/aws/ses-mailer.js';
import type { ProofDeps } from '../proofs/send-proof.js';
import { ENV } from '../config/env-names.js';
import type { BlobStore, IssueScheduler, Ledger } from '../ports.js';
import { type AwsClients, type AwsRuntime, ConfigError, createAwsClients } from './aws.js';

/** The issue scheduler of the intake function, from its environment. */
export function createIssueScheduler(env: NodeJS.ProcessEnv): IssueScheduler {
  const endpoint = env.AWS_ENDPOINT_URL_SCHEDULER || env.AWS_ENDPOINT_URL || undefined;
  return new EventBridgeIssueScheduler(new SchedulerClient({ endpoint }), {
    groupName: required(env, ENV.scheduleGroup),
    targetArn: required(env, ENV.startFunctionArn),
    roleArn: required(env, ENV.schedulerRoleArn),
    deadLetterArn: env[ENV.scheduleDeadLetterArn]?.trim() || undefined,
  });
}

let proofDeps: Promise<ProofDeps & { readonly blobs: BlobStore }> | undefined;

/** What intake needs for proofs: its own blobs and ledger, SES and the keyring (read once per cold start). */
export function proofDepsOf(runtime: AwsRuntime): Promise<ProofDeps & { readonly blobs: BlobStore }> {
  proofDeps ??= loadKeyringSecret(runtime.clients.secrets, runtime.config.keysSecretArn).then((keyring) => ({
    blobs: runtime.intake.blobs,
    ledger: runtime.intake.ledger,
    mailer: new SesMailer(runtime.clients.ses, runtime.config.configurationSet),
    lists: runtime.config.lists,
    keyring,
    clock: runtime.clock,
  }));
  // A failed read is forgotten, so that the retried event tries again.
  proofDeps.catch(() => (proofDeps = undefined));
  return proofDeps;
}

/** What `newsbrief status --table T --bucket B` reads. */
export function createAwsStatusDeps(env: NodeJS.ProcessEnv, where: { table: string; bucket: string }, clients: AwsClients = createAwsClients(env)): { blobs: BlobStore; ledger: Ledger } {
  return { blobs: new S3BlobStore(clients.s3, where.bucket), ledger: new DynamoLedger(clients.dynamo, where.table) };
}

function required(env: NodeJS.ProcessEnv, name: string): string {
  const value = env[name]?.trim();
  if (!value) throw new ConfigError(`environment variable ${name} is not set`);
  return value;
}
