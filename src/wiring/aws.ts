/**
 * The AWS composition root: the only module that reads the environment and builds SDK clients for the
 * Lambda handlers. Built once per cold start; tests reach the same clients (e.g. to add SDK middleware)
 * through awsRuntime(), never by patching.
 */
import { randomUUID } from 'node:crypto';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { S3Client } from '@aws-sdk/client-s3';
import { SchedulerClient } from '@aws-sdk/client-scheduler';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { SESClient } from '@aws-sdk/client-ses';
import { SQSClient } from '@aws-sdk/client-sqs';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { S3BlobStore } from '../adapters/aws/s3-blob-store.js';
import { EventBridgeIssueScheduler, type SchedulerTarget } from '../adapters/aws/eventbridge-scheduler.js';
import { DynamoLedger } from '../adapters/aws/dynamo-ledger.js';
import { DynamoFeedbackLedger } from '../adapters/aws/dynamo-feedback-ledger.js';
import { breakerPolicyFromEnv } from '../config/breaker-env.js';
import { DynamoSubscriberStore } from '../adapters/aws/dynamo-subscriber-store.js';
import { SqsJobQueue } from '../adapters/aws/sqs-job-queue.js';
import { readMaxSendRate, SesMailer } from '../adapters/aws/ses-mailer.js';
import { loadKeyringSecret } from '../adapters/aws/secrets-keyring.js';
import { ENV } from '../config/env-names.js';
import { type ListsConfig, parseListsConfig } from '../config/lists.js';
import type { Keyring } from '../deliver/tokens.js';
import type { IntakeDeps } from '../pipeline/intake-brief.js';
import type { PlanDeps } from '../pipeline/plan-page.js';
import { TokenBucket, systemClock, workerRate } from '../pipeline/rate-limiter.js';
import { DEFAULT_DELIVERY_POLICY, type SendDeps } from '../pipeline/send-job.js';
import type { Clock, IssueScheduler, Sleeper } from '../ports.js';

/** Everything the handlers read from the environment, checked once. */
export interface AwsConfig {
  readonly bucket: string;
  readonly subscribersTable: string;
  readonly ledgerTable: string;
  readonly planQueueUrl: string;
  readonly sendQueueUrl: string;
  readonly configurationSet: string | undefined;
  /** Account-wide override; undefined = ask SES (GetSendQuota). */
  readonly maxSendRate: number | undefined;
  /** Send workers sharing the account rate. */
  readonly sendConcurrency: number;
  readonly lists: ListsConfig;
  readonly keysSecretArn: string;
  /** How long a send without an answer waits for SES's Send event before it is sent again (ms). */
  readonly unknownGraceMs: number;
  /** Where intake puts the schedules of scheduled issues; only intake is given these variables. */
  readonly schedule: SchedulerTarget | undefined;
}

/** Raised at cold start when the environment is incomplete; names the variable. Retrying never helps. */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';
}

/** Reads and checks the handlers' environment variables (names from ENV). */
export function loadAwsConfig(env: NodeJS.ProcessEnv): AwsConfig {
  const required = (name: string): string => {
    const value = env[name]?.trim();
    if (!value) throw new ConfigError(`environment variable ${name} is not set`);
    return value;
  };
  const positive = (name: string): number | undefined => {
    const raw = env[name]?.trim();
    if (!raw) return undefined;
    const n = Number(raw);
    if (!(n > 0) || !Number.isFinite(n)) throw new ConfigError(`environment variable ${name} must be a positive number, got "${raw}"`);
    return n;
  };
  const nonNegative = (name: string, fallback: number): number => {
    const raw = env[name]?.trim();
    if (!raw) return fallback;
    const n = Number(raw);
    if (!(n >= 0) || !Number.isFinite(n)) throw new ConfigError(`environment variable ${name} must be a number of seconds ≥ 0, got "${raw}"`);
    return n;
  };
  let listsDocument: unknown;
  try {
    listsDocument = JSON.parse(required(ENV.listsJson));
  } catch (error) {
    if (error instanceof ConfigError) throw error;
    throw new ConfigError(`environment variable ${ENV.listsJson} is not JSON: ${(error as Error).message}`);
  }
  return {
    bucket: required(ENV.briefsBucket),
    subscribersTable: required(ENV.subscribersTable),
    ledgerTable: required(ENV.ledgerTable),
    planQueueUrl: required(ENV.planQueueUrl),
    sendQueueUrl: required(ENV.sendQueueUrl),
    configurationSet: env[ENV.configurationSet]?.trim() || undefined,
    maxSendRate: positive(ENV.maxSendRate),
    sendConcurrency: Math.floor(positive(ENV.sendConcurrency) ?? 1),
    lists: parseListsConfig(listsDocument, ENV.listsJson),
    keysSecretArn: required(ENV.keysSecretArn),
    unknownGraceMs: nonNegative(ENV.unknownGraceSeconds, DEFAULT_DELIVERY_POLICY.unknownGraceMs / 1000) * 1000,
    schedule: env[ENV.scheduleGroup]?.trim()
      ? {
          groupName: required(ENV.scheduleGroup),
          targetArn: required(ENV.startFunctionArn),
          roleArn: required(ENV.schedulerRoleArn),
          deadLetterArn: env[ENV.scheduleDeadLetterArn]?.trim() || undefined,
        }
      : undefined,
  };
}

/** The longest an SES call may take before it is aborted. */
export const SES_REQUEST_TIMEOUT_MS = 5_000;

/** The SDK clients, one of each. */
export interface AwsClients {
  readonly s3: S3Client;
  readonly dynamo: DynamoDBDocumentClient;
  readonly sqs: SQSClient;
  readonly ses: SESClient;
  readonly secrets: SecretsManagerClient;
  readonly scheduler: SchedulerClient;
}

/**
 * Builds the clients. AWS_ENDPOINT_URL (or AWS_ENDPOINT_URL_<SERVICE>) points them at any AWS-compatible
 * endpoint; S3 then uses path-style addressing, which emulators need.
 */
export function createAwsClients(env: NodeJS.ProcessEnv): AwsClients {
  const endpoint = (service: string) => env[`AWS_ENDPOINT_URL_${service}`] || env.AWS_ENDPOINT_URL || undefined;
  const s3Endpoint = endpoint('S3');
  return {
    s3: new S3Client({ endpoint: s3Endpoint, forcePathStyle: s3Endpoint !== undefined }),
    dynamo: DynamoDBDocumentClient.from(new DynamoDBClient({ endpoint: endpoint('DYNAMODB') }), {
      marshallOptions: { removeUndefinedValues: true },
    }),
    sqs: new SQSClient({ endpoint: endpoint('SQS') }),
    // One attempt: an SDK retry after a timeout could deliver a message twice; the send job retries, knowing
    // the claim. A hung call is aborted (without throwOnRequestTimeout the handler only logs a warning) well
    // before the send function's deadline: see SES_CALL_BUDGET_MS.
    ses: new SESClient({ endpoint: endpoint('SES'), maxAttempts: 1, requestHandler: { connectionTimeout: 2000, requestTimeout: SES_REQUEST_TIMEOUT_MS, throwOnRequestTimeout: true } }),
    secrets: new SecretsManagerClient({ endpoint: endpoint('SECRETS_MANAGER') }),
    scheduler: new SchedulerClient({ endpoint: endpoint('SCHEDULER') }),
  };
}

/** The subscribers table for the CLI (`subscribers import --table`): credentials and region from `env`. */
export function awsSubscriberStore(env: NodeJS.ProcessEnv, table: string): DynamoSubscriberStore {
  return new DynamoSubscriberStore(createAwsClients(env).dynamo, table, randomUUID);
}

/** The briefs bucket for the CLI (`publish`). */
export function awsBriefsBucket(env: NodeJS.ProcessEnv, bucket: string): S3BlobStore {
  return new S3BlobStore(createAwsClients(env).s3, bucket);
}

/** One cold start's worth of configuration, clients and adapters. */
export interface AwsRuntime {
  readonly config: AwsConfig;
  readonly clients: AwsClients;
  readonly clock: Clock & Sleeper;
  readonly intake: IntakeDeps;
  readonly plan: PlanDeps;
  /** Send deps need the keyring and the send rate (network reads), so they come once, asynchronously. */
  send(): Promise<SendDeps>;
}

let runtime: AwsRuntime | undefined;

/** The process's runtime, built on first use from `env`. */
export function awsRuntime(env: NodeJS.ProcessEnv = process.env): AwsRuntime {
  runtime ??= createAwsRuntime(env);
  return runtime;
}

/** Builds a runtime (tests may build their own with their own clock). */
export function createAwsRuntime(env: NodeJS.ProcessEnv, clock: Clock & Sleeper = systemClock): AwsRuntime {
  const config = loadAwsConfig(env);
  const clients = createAwsClients(env);
  const blobs = new S3BlobStore(clients.s3, config.bucket);
  const ledger = new DynamoLedger(clients.dynamo, config.ledgerTable);
  const subscribers = new DynamoSubscriberStore(clients.dynamo, config.subscribersTable, randomUUID);
  const queue = new SqsJobQueue(clients.sqs, { plan: config.planQueueUrl, send: config.sendQueueUrl });
  // The circuit breaker's limits, read at cold start like the rest (lists may override them).
  const breaker = breakerPolicyFromEnv(env);
  let sendDeps: Promise<SendDeps> | undefined;
  return {
    config,
    clients,
    clock,
    intake: { blobs, ledger, queue, lists: config.lists, clock, scheduler: config.schedule ? new EventBridgeIssueScheduler(clients.scheduler, config.schedule) : unscheduled },
    plan: { subscribers, ledger, queue },
    send() {
      sendDeps ??= (async () => {
        const [keyring, accountRate]: [Keyring, number] = await Promise.all([
          loadKeyringSecret(clients.secrets, config.keysSecretArn),
          config.maxSendRate !== undefined ? Promise.resolve(config.maxSendRate) : readMaxSendRate(clients.ses),
        ]);
        const rate = workerRate(accountRate, config.sendConcurrency);
        return {
          blobs,
          ledger,
          subscribers,
          mailer: new SesMailer(clients.ses, config.configurationSet),
          lists: config.lists,
          keyring,
          clock,
          // One bucket per container = per concurrent worker: it keeps its pace across warm invocations.
          limiter: new TokenBucket({ ratePerSecond: rate }, clock, clock),
          queue,
          issues: new Map(),
          // A call's budget: the SES timeout, then the ledger write of its outcome.
          policy: { unknownGraceMs: config.unknownGraceMs, callBudgetMs: SES_REQUEST_TIMEOUT_MS + 2_000 },
          gate: { ledger, feedback: new DynamoFeedbackLedger(clients.dynamo, config.ledgerTable), lists: config.lists, clock, breaker },
          // Enough messages in flight to keep the pace with SES's ~100-150 ms answers.
          parallelism: Math.max(1, Math.min(50, Math.ceil(rate * 0.3) + 1)),
        };
      })();
      const pending = sendDeps;
      pending.catch(() => (sendDeps = undefined));
      return pending;
    },
  };
}

// Without the schedule variables (a function other than intake, or an old deployment) a scheduled brief
// fails loudly, naming what is missing, rather than being sent at once.
const unscheduled: IssueScheduler = {
  upsert: async () => {
    throw new ConfigError(`environment variable ${ENV.scheduleGroup} is not set: this function cannot schedule issues`);
  },
  cancel: async () => {
    throw new ConfigError(`environment variable ${ENV.scheduleGroup} is not set: this function cannot cancel schedules`);
  },
};
