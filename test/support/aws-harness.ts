/**
 * Drives the real handlers the way Lambda's SQS poller does: receive, invoke, delete what succeeded,
 * and make what failed visible again at once (instead of waiting for the visibility timeout).
 */
import {
  ChangeMessageVisibilityCommand,
  CreateQueueCommand,
  DeleteMessageCommand,
  GetQueueAttributesCommand,
  ReceiveMessageCommand,
  type SQSClient,
} from '@aws-sdk/client-sqs';
import type { SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import { ENV } from '../../src/config/env-names.js';
import { patience } from './patience.js';

/** An S3 ObjectCreated event as S3 delivers it: the key URL-encoded (spaces as `+`). */
export function s3Event(bucket: string, encodedKey: string): { Records: unknown[] } {
  return {
    Records: [
      {
        eventVersion: '2.1',
        eventSource: 'aws:s3',
        awsRegion: 'us-east-1',
        eventTime: new Date().toISOString(),
        eventName: 'ObjectCreated:Put',
        userIdentity: { principalId: 'AWS:TEST' },
        requestParameters: { sourceIPAddress: '127.0.0.1' },
        responseElements: { 'x-amz-request-id': 'TEST', 'x-amz-id-2': 'TEST' },
        s3: {
          s3SchemaVersion: '1.0',
          configurationId: 'intake',
          bucket: { name: bucket, ownerIdentity: { principalId: 'TEST' }, arn: `arn:aws:s3:::${bucket}` },
          object: { key: encodedKey, size: 100, eTag: 'etag', sequencer: '0' },
        },
      },
    ],
  };
}

/** S3's URL encoding of a key in events: like encodeURIComponent, `/` kept, spaces as `+`. */
export function encodeEventKey(key: string): string {
  return key
    .split('/')
    .map((part) => encodeURIComponent(part).replace(/%20/g, '+'))
    .join('/');
}

/** What draining a queue saw. */
export interface DrainReport {
  invocations: number;
  failures: number;
}

/** Feeds a queue's messages to a handler until the queue stays empty. */
export async function drainQueue(
  sqs: SQSClient,
  queueUrl: string,
  handler: (event: SQSEvent) => Promise<SQSBatchResponse>,
  options: { batchSize?: number; maxInvocations?: number } = {},
): Promise<DrainReport> {
  const report: DrainReport = { invocations: 0, failures: 0 };
  let empty = 0;
  while (empty < 2 && report.invocations < (options.maxInvocations ?? 500)) {
    const out = await sqs.send(
      new ReceiveMessageCommand({
        QueueUrl: queueUrl,
        MaxNumberOfMessages: options.batchSize ?? 10,
        WaitTimeSeconds: 0,
        MessageSystemAttributeNames: ['All'],
      }),
    );
    const messages = out.Messages ?? [];
    if (messages.length === 0) {
      empty++;
      continue;
    }
    empty = 0;
    const records: SQSRecord[] = messages.map((m) => ({
      messageId: m.MessageId!,
      receiptHandle: m.ReceiptHandle!,
      body: m.Body!,
      attributes: {
        ApproximateReceiveCount: m.Attributes?.ApproximateReceiveCount ?? '1',
        SentTimestamp: m.Attributes?.SentTimestamp ?? '0',
        SenderId: 'TEST',
        ApproximateFirstReceiveTimestamp: '0',
      },
      messageAttributes: {},
      md5OfBody: m.MD5OfBody ?? '',
      eventSource: 'aws:sqs',
      eventSourceARN: 'arn:aws:sqs:us-east-1:123456789012:test',
      awsRegion: 'us-east-1',
    }));
    report.invocations++;
    const response = await handler({ Records: records });
    const failed = new Set(response.batchItemFailures.map((f) => f.itemIdentifier));
    report.failures += failed.size;
    for (const record of records) {
      if (failed.has(record.messageId)) {
        await sqs.send(
          new ChangeMessageVisibilityCommand({ QueueUrl: queueUrl, ReceiptHandle: record.receiptHandle, VisibilityTimeout: 0 }),
        );
      } else {
        await sqs.send(new DeleteMessageCommand({ QueueUrl: queueUrl, ReceiptHandle: record.receiptHandle }));
      }
    }
  }
  return report;
}

/**
 * Lets an SDK client (the handlers' SES client) wait for an emulator as long as a busy machine needs. The
 * wiring aborts an SES call after 5 s, right for SES (it answers in about 0.1 s) but not for an emulator
 * that shares the test's CPU-starved process: the aborted call becomes an unknown outcome, which waits two
 * minutes for a Send event before it is sent again, long after the test has counted the mail. Tests of
 * lost answers inject them on purpose (test/support/ses-fault-proxy.ts) and keep the real timeouts.
 */
export function waitPatiently(client: { config: { requestHandler?: unknown } }): void {
  const handler = client.config.requestHandler as { updateHttpClientConfig?(key: string, value: number): void } | undefined;
  if (!handler?.updateHttpClientConfig) throw new Error('the client has no configurable HTTP handler');
  handler.updateHttpClientConfig('requestTimeout', patience(60_000));
  handler.updateHttpClientConfig('connectionTimeout', patience(30_000));
}

/** The queue URLs of the send pipeline as the stack makes them. */
export interface PipelineQueues {
  readonly plan: string;
  readonly send: string;
  readonly dlq: string;
}

/** Creates the plan queue and the send queue with its dead-letter queue (5 receives, as deployed). */
export async function createPipelineQueues(sqs: SQSClient): Promise<PipelineQueues> {
  const dlq = (await sqs.send(new CreateQueueCommand({ QueueName: 'send-dlq' }))).QueueUrl!;
  const dlqArn = (await sqs.send(new GetQueueAttributesCommand({ QueueUrl: dlq, AttributeNames: ['QueueArn'] }))).Attributes!.QueueArn!;
  const plan = (await sqs.send(new CreateQueueCommand({ QueueName: 'plan' }))).QueueUrl!;
  const redrive = { RedrivePolicy: JSON.stringify({ deadLetterTargetArn: dlqArn, maxReceiveCount: 5 }) };
  const send = (await sqs.send(new CreateQueueCommand({ QueueName: 'send', Attributes: redrive }))).QueueUrl!;
  return { plan, send, dlq };
}

/** Where a test deployment's functions send their AWS calls. */
export interface EmulatorEndpoints {
  /** S3 (s3rver). */
  readonly s3: string;
  /** DynamoDB, SQS and Secrets Manager (moto). */
  readonly moto: string;
  /** SES: the emulator itself or a fault proxy in front of it. */
  readonly ses: string;
}

/** What the stack creates for the functions, as the test made it. */
export interface DeployedResources {
  readonly bucket: string;
  readonly queues: PipelineQueues;
  readonly keysSecretArn: string;
  /** Sends per second across the account (default 1000). */
  readonly maxSendRate?: number;
}

/**
 * The environment the stack gives every function, pointed at the emulators: tables and configuration set as
 * createNewsbriefTables and the stack name them, one send at a time per invocation. Lists and anything else a
 * test varies are its own to add.
 */
export function deployedEnvironment(endpoints: EmulatorEndpoints, resources: DeployedResources): Record<string, string> {
  return {
    AWS_ENDPOINT_URL_S3: endpoints.s3,
    AWS_ENDPOINT_URL_DYNAMODB: endpoints.moto,
    AWS_ENDPOINT_URL_SES: endpoints.ses,
    AWS_ENDPOINT_URL_SQS: endpoints.moto,
    AWS_ENDPOINT_URL_SECRETS_MANAGER: endpoints.moto,
    [ENV.briefsBucket]: resources.bucket,
    [ENV.subscribersTable]: 'subscribers',
    [ENV.ledgerTable]: 'ledger',
    [ENV.planQueueUrl]: resources.queues.plan,
    [ENV.sendQueueUrl]: resources.queues.send,
    [ENV.configurationSet]: 'newsbrief',
    [ENV.maxSendRate]: String(resources.maxSendRate ?? 1000),
    [ENV.sendConcurrency]: '1',
    [ENV.keysSecretArn]: resources.keysSecretArn,
  };
}
