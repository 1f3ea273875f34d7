/**
 * The AWS composition root of the subscriber-lifecycle functions (unsubscribe, feedback; subscribe in
 * aws-subscribe.ts, which alone loads MJML) and of the
 * `newsbrief report --table` command. Each function reads only the variables it is given (names from ENV),
 * once per cold start; SDK clients come from the same factory as the pipeline's (src/wiring/aws.ts).
 */
import { S3BlobStore } from '../adapters/aws/s3-blob-store.js';
import { DynamoFeedbackLedger } from '../adapters/aws/dynamo-feedback-ledger.js';
import { DynamoLedger } from '../adapters/aws/dynamo-ledger.js';
import { DynamoSubscriberStore } from '../adapters/aws/dynamo-subscriber-store.js';
import { loadKeyringSecret } from '../adapters/aws/secrets-keyring.js';
import { breakerPolicyFromEnv } from '../config/breaker-env.js';
import { ENV } from '../config/env-names.js';
import { type ListsConfig, parseListsConfig } from '../config/lists.js';
import type { FeedbackDeps } from '../feedback/apply-feedback.js';
import { systemClock } from '../pipeline/rate-limiter.js';
import type { BlobStore, Clock } from '../ports.js';
import type { ReportDeps } from '../report/issue-report.js';
import type { UnsubscribeDeps } from '../subscribers/unsubscribe.js';
import { type AwsClients, ConfigError, createAwsClients } from './aws.js';

/** What the feedback function works with. */
export interface FeedbackRuntime {
  /** Only SNS messages from this topic are read. */
  readonly topicArn: string;
  readonly deps: FeedbackDeps & ReportDeps & { readonly blobs: BlobStore };
}

/** Builds the unsubscribe function's deps; the keyring is read from Secrets Manager once. */
export async function createUnsubscribeDeps(env: NodeJS.ProcessEnv, clock: Clock = systemClock, clients: AwsClients = createAwsClients(env)): Promise<UnsubscribeDeps> {
  const lists = listsFrom(env);
  const table = required(env, ENV.subscribersTable);
  const keysSecretArn = required(env, ENV.keysSecretArn);
  return {
    subscribers: new DynamoSubscriberStore(clients.dynamo, table, noNewIds),
    lists,
    keyring: await loadKeyringSecret(clients.secrets, keysSecretArn),
    clock,
  };
}

/** Builds the feedback function's deps. */
export function createFeedbackRuntime(env: NodeJS.ProcessEnv, clock: Clock = systemClock, clients: AwsClients = createAwsClients(env)): FeedbackRuntime {
  const ledgerTable = required(env, ENV.ledgerTable);
  return {
    topicArn: required(env, ENV.feedbackTopicArn),
    deps: {
      subscribers: new DynamoSubscriberStore(clients.dynamo, required(env, ENV.subscribersTable), noNewIds),
      ledger: new DynamoLedger(clients.dynamo, ledgerTable),
      feedback: new DynamoFeedbackLedger(clients.dynamo, ledgerTable),
      blobs: new S3BlobStore(clients.s3, required(env, ENV.briefsBucket)),
      lists: listsFrom(env),
      clock,
      breaker: breakerPolicyFromEnv(env),
    },
  };
}

/** What writes issue reports from the pipeline's functions (plan, when the last page is planned). */
export function createAwsReportPublisher(env: NodeJS.ProcessEnv, clients: AwsClients): ReportDeps & { readonly blobs: BlobStore } {
  const ledgerTable = required(env, ENV.ledgerTable);
  return { ...createAwsReportDeps(env, ledgerTable, listsFrom(env), clients), blobs: new S3BlobStore(clients.s3, required(env, ENV.briefsBucket)) };
}

/** Report deps over a ledger table (the CLI's `--table`); the breaker limits come from the environment. */
export function createAwsReportDeps(env: NodeJS.ProcessEnv, ledgerTable: string, lists: ListsConfig, clients: AwsClients = createAwsClients(env)): ReportDeps {
  return {
    ledger: new DynamoLedger(clients.dynamo, ledgerTable),
    feedback: new DynamoFeedbackLedger(clients.dynamo, ledgerTable),
    lists,
    clock: systemClock,
    breaker: breakerPolicyFromEnv(env),
  };
}

// These functions never create subscribers; an upsert from them would be a bug, so it fails loudly.
function noNewIds(): string {
  throw new Error('the lifecycle functions do not create subscribers');
}

/** Reads a required variable; names it when missing. */
export function required(env: NodeJS.ProcessEnv, name: string): string {
  const value = env[name]?.trim();
  if (!value) throw new ConfigError(`environment variable ${name} is not set`);
  return value;
}

/** The lists configuration from NEWSBRIEF_LISTS_JSON. */
export function listsFrom(env: NodeJS.ProcessEnv): ListsConfig {
  let document: unknown;
  try {
    document = JSON.parse(required(env, ENV.listsJson));
  } catch (error) {
    if (error instanceof ConfigError) throw error;
    throw new ConfigError(`environment variable ${ENV.listsJson} is not JSON: ${(error as Error).message}`);
  }
  return parseListsConfig(document, ENV.listsJson);
}
