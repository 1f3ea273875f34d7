/**
 * The AWS wiring as one object, for the CLI's `--table`/`--bucket` commands and for tests that drive the
 * handlers in-process: the functions themselves each import only their own composition module
 * (src/wiring/aws/<function>.ts), so that a bundle holds only the SDK clients its function calls. The
 * runtime here is made of the same per-process clients and deps as the handlers', so a test that adds SDK
 * middleware to `awsRuntime().clients.ses` changes what the send handler calls.
 */
import { randomUUID } from 'node:crypto';
import { DynamoConfirmationThrottle } from '../adapters/aws/dynamo-confirmation-throttle.js';
import { DynamoSubscriberStore } from '../adapters/aws/dynamo-subscriber-store.js';
import { S3BlobStore } from '../adapters/aws/s3-blob-store.js';
import type { IntakeDeps } from '../pipeline/intake-brief.js';
import type { PlanDeps } from '../pipeline/plan-page.js';
import type { SendDeps } from '../pipeline/send-job.js';
import { once } from './once.js';
import {
  dynamoClient,
  newDynamoDocumentClient,
  newS3Client,
  newSchedulerClient,
  newSecretsClient,
  newSesClient,
  newSqsClient,
  s3Client,
  schedulerClient,
  secretsClient,
  sesClient,
  sqsClient,
} from './aws/clients.js';
import { intakeDeps } from './aws/intake.js';
import { planRuntime } from './aws/plan.js';
import { sendDeps } from './aws/send.js';

export { ConfigError } from './aws/env.js';
export { SES_REQUEST_TIMEOUT_MS } from './aws/clients.js';

/** The SDK clients, one of each. */
export interface AwsClients {
  readonly s3: ReturnType<typeof s3Client>;
  readonly dynamo: ReturnType<typeof dynamoClient>;
  readonly sqs: ReturnType<typeof sqsClient>;
  readonly ses: ReturnType<typeof sesClient>;
  readonly secrets: ReturnType<typeof secretsClient>;
  readonly scheduler: ReturnType<typeof schedulerClient>;
}

/** Builds a fresh set of clients for `env` (the CLI: credentials, region and endpoints from its environment). */
export function createAwsClients(env: NodeJS.ProcessEnv): AwsClients {
  return {
    s3: newS3Client(env),
    dynamo: newDynamoDocumentClient(env),
    sqs: newSqsClient(env),
    ses: newSesClient(env),
    secrets: newSecretsClient(env),
    scheduler: newSchedulerClient(env),
  };
}

/** The subscribers table for the CLI (`subscribers import --table`): credentials and region from `env`. */
export function awsSubscriberStore(env: NodeJS.ProcessEnv, table: string): DynamoSubscriberStore {
  return new DynamoSubscriberStore(newDynamoDocumentClient(env), table, randomUUID);
}

/**
 * The subscribers table of a deployed stack (its `SubscribersTableName` output), the lists table its lists
 * live in, and its ledger table and bucket (when it names them), for `subscribers … --stack NAME`.
 */
export async function awsSubscribersOfStack(
  env: NodeJS.ProcessEnv,
  stackName: string,
): Promise<{ store: DynamoSubscriberStore; listsTable: string; ledgerTable?: string | undefined; briefsBucket?: string | undefined }> {
  // Loaded only here: --table never pays for the CloudFormation client.
  const { readStackResources } = await import('./aws-stack.js');
  const resources = await readStackResources(env, stackName);
  return {
    store: awsSubscriberStore(env, resources.require('SubscribersTableName')),
    listsTable: resources.listsTable,
    // For a reader's history (`subscribers show`): the ledger, and the link maps in the bucket.
    ledgerTable: resources.outputs.get('LedgerTableName'),
    briefsBucket: resources.outputs.get('BriefsBucketName'),
  };
}

/** The confirmation counters in a ledger table, for `newsbrief breaker … --table/--stack`. */
export function awsConfirmationThrottle(env: NodeJS.ProcessEnv, ledgerTable: string): DynamoConfirmationThrottle {
  return new DynamoConfirmationThrottle(newDynamoDocumentClient(env), ledgerTable);
}

/** The briefs bucket for the CLI (`publish`). */
export function awsBriefsBucket(env: NodeJS.ProcessEnv, bucket: string): S3BlobStore {
  return new S3BlobStore(newS3Client(env), bucket);
}

/** The handlers' clients and deps in one place (process.env, built on first use). */
export interface AwsRuntime {
  readonly clients: AwsClients;
  /** Intake deps with the lists as they are now. */
  intake(): Promise<IntakeDeps>;
  readonly plan: PlanDeps;
  /** Send deps need the keyring and the send rate (network reads), so they come once, asynchronously. */
  send(): Promise<SendDeps>;
}

/** The process's runtime: the very clients and deps the handlers use. */
export const awsRuntime = once(
  (): AwsRuntime => ({
    clients: {
      s3: s3Client(),
      dynamo: dynamoClient(),
      sqs: sqsClient(),
      ses: sesClient(),
      secrets: secretsClient(),
      scheduler: schedulerClient(),
    },
    intake: intakeDeps,
    plan: planRuntime().plan,
    send: sendDeps,
  }),
);
