/**
 * Where moto_server is closer to AWS than the npm emulators: SES refusing an unverified sender
 * (MessageRejected), GetSendQuota, and S3 → SQS notifications with keys encoded the way S3 encodes them.
 * Every service on one moto process through AWS_ENDPOINT_URL alone.
 */
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { CreateBucketCommand, PutBucketNotificationConfigurationCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { CreateSecretCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { SESClient, VerifyDomainIdentityCommand } from '@aws-sdk/client-ses';
import { CreateQueueCommand, DeleteMessageCommand, GetQueueAttributesCommand, ReceiveMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENV } from '../../src/config/env-names.js';
import { parseListsConfig } from '../../src/config/lists.js';
import { drainQueue } from '../support/aws-harness.js';
import { startMoto, useFakeAwsCredentials } from '../support/emulators.js';
import { skipWithout } from '../support/test-tools.js';
import { createNewsbriefTables } from '../support/newsbrief-tables.js';

const BUCKET = 'newsbrief-moto';
let moto: Awaited<ReturnType<typeof startMoto>>;
let s3: S3Client, sqs: SQSClient;
let queues: { plan: string; send: string; events: string };
let handlers: {
  intake: typeof import('../../lambdas/intake.js').handler;
  plan: typeof import('../../lambdas/plan.js').handler;
  send: typeof import('../../lambdas/send.js').handler;
};

// One list sends from a verified domain, another from a domain SES has never seen.
const lists = JSON.parse(readFileSync(new URL('../../config/lists.json', import.meta.url), 'utf8')) as {
  lists: Array<Record<string, unknown>>;
};
const unverified = { ...lists.lists[0]!, id: 'unverified', from: 'Nobody <news@unverified.example.net>' };
const LISTS_JSON = JSON.stringify({ lists: [...lists.lists, unverified] });
parseListsConfig(JSON.parse(LISTS_JSON));

beforeAll(async () => {
  useFakeAwsCredentials();
  moto = await startMoto();
  for (const name of Object.keys(process.env)) if (name.startsWith('AWS_ENDPOINT_URL')) delete process.env[name];
  process.env.AWS_ENDPOINT_URL = moto.endpoint;
  s3 = new S3Client({ endpoint: moto.endpoint, forcePathStyle: true });
  sqs = new SQSClient({ endpoint: moto.endpoint });
  const dynamo = new DynamoDBClient({ endpoint: moto.endpoint });
  await s3.send(new CreateBucketCommand({ Bucket: BUCKET }));
  await createNewsbriefTables(dynamo);
  queues = {
    plan: (await sqs.send(new CreateQueueCommand({ QueueName: 'plan' }))).QueueUrl!,
    send: (await sqs.send(new CreateQueueCommand({ QueueName: 'send' }))).QueueUrl!,
    events: (await sqs.send(new CreateQueueCommand({ QueueName: 'bucket-events' }))).QueueUrl!,
  };
  const eventsArn = (await sqs.send(new GetQueueAttributesCommand({ QueueUrl: queues.events, AttributeNames: ['QueueArn'] }))).Attributes!
    .QueueArn!;
  await s3.send(
    new PutBucketNotificationConfigurationCommand({
      Bucket: BUCKET,
      NotificationConfiguration: { QueueConfigurations: [{ QueueArn: eventsArn, Events: ['s3:ObjectCreated:*'] }] },
    }),
  );
  await new SESClient({ endpoint: moto.endpoint }).send(new VerifyDomainIdentityCommand({ Domain: 'news.example.com' }));
  const secret = await new SecretsManagerClient({ endpoint: moto.endpoint }).send(
    new CreateSecretCommand({
      Name: 'keys',
      SecretString: JSON.stringify({ current: 'k1', k1: 'moto-test-signing-key-0123456789abcdef' }),
    }),
  );
  Object.assign(process.env, {
    [ENV.briefsBucket]: BUCKET,
    [ENV.subscribersTable]: 'subscribers',
    [ENV.ledgerTable]: 'ledger',
    [ENV.planQueueUrl]: queues.plan,
    [ENV.sendQueueUrl]: queues.send,
    [ENV.sendConcurrency]: '2',
    [ENV.listsJson]: LISTS_JSON,
    [ENV.keysSecretArn]: secret.ARN!,
  });
  // moto's GetSendQuota says 1 message/s (see the test below); the override keeps this file fast.
  process.env[ENV.maxSendRate] = '100';
  delete process.env[ENV.configurationSet];
  handlers = {
    intake: (await import('../../lambdas/intake.js')).handler,
    plan: (await import('../../lambdas/plan.js')).handler,
    send: (await import('../../lambdas/send.js')).handler,
  };
});

afterAll(async () => {
  await moto?.stop();
});

async function seed(list: string, n: number): Promise<string[]> {
  const { awsRuntime } = await import('../../src/wiring/aws.js');
  const emails = Array.from({ length: n }, (_, i) => `m${i}-${randomUUID().slice(0, 8)}@example.org`);
  for (const email of emails) await awsRuntime().plan.subscribers.upsert({ list, email, status: 'subscribed' }, '2026-03-01T00:00:00Z');
  return emails;
}

/** The raw messages moto's SES kept. */
async function rawMessages(): Promise<string[]> {
  const data = (await moto.data()) as { ses?: { RawMessage?: Array<{ raw_data: string }> } };
  return (data.ses?.RawMessage ?? []).map((m) => m.raw_data);
}

describe.skipIf(skipWithout('moto_server'))('on moto', () => {
  it('reads the account rate from GetSendQuota', async () => {
    const { readMaxSendRate } = await import('../../src/adapters/aws/ses-mailer.js');
    expect(await readMaxSendRate(new SESClient({ endpoint: moto.endpoint }))).toBeGreaterThan(0);
  });

  it('decodes keys from a real S3 → SQS bucket notification, and the brief goes out once per subscriber', async () => {
    const emails = await seed('weekly', 3);
    const key = 'briefs/2026/Week 10 + extra ü.json';
    const subject = `Moto ${randomUUID()}`;
    await s3.send(
      new PutObjectCommand({
        Bucket: BUCKET,
        Key: key,
        Body: JSON.stringify({ version: 1, list: 'weekly', subject, stories: [{ headline: 'Hello' }] }),
      }),
    );
    const out = await sqs.send(new ReceiveMessageCommand({ QueueUrl: queues.events, MaxNumberOfMessages: 10 }));
    const bodies = (out.Messages ?? []).map((m) => JSON.parse(m.Body!));
    for (const m of out.Messages ?? [])
      await sqs.send(new DeleteMessageCommand({ QueueUrl: queues.events, ReceiptHandle: m.ReceiptHandle! }));
    const event = bodies.find((b) => b.Records);
    expect(event.Records[0].s3.object.key).not.toBe(key);
    const results = await handlers.intake(event);
    expect(results[0]).toMatchObject({ status: 'accepted', key, issue: { list: 'weekly', id: 'week-10-extra-u' } });
    await drainQueue(sqs, queues.plan, (e) => handlers.plan(e));
    await drainQueue(sqs, queues.send, (e) => handlers.send(e));
    const mine = (await rawMessages()).filter((raw) => raw.includes(subject));
    expect(mine).toHaveLength(3);
    for (const email of emails) expect(mine.filter((raw) => raw.includes(`To: ${email}`) || raw.includes(`<${email}>`))).toHaveLength(1);
  });

  it('records an unverified sender as failed for every recipient and does not retry the job', async () => {
    const emails = await seed('unverified', 4);
    const { awsRuntime } = await import('../../src/wiring/aws.js');
    await s3.send(
      new PutObjectCommand({
        Bucket: BUCKET,
        Key: 'briefs/nobody.json',
        Body: JSON.stringify({ version: 1, list: 'unverified', id: 'nobody', subject: 'Unverified', stories: [{ headline: 'Hi' }] }),
      }),
    );
    await sqs.send(new ReceiveMessageCommand({ QueueUrl: queues.events, MaxNumberOfMessages: 10 }));
    await handlers.intake({ Records: [{ s3: { object: { key: 'briefs/nobody.json' } } }] } as never);
    await drainQueue(sqs, queues.plan, (e) => handlers.plan(e));
    const report = await drainQueue(sqs, queues.send, (e) => handlers.send(e));
    expect(report.failures).toBe(0);
    const issue = await awsRuntime().plan.ledger.getIssue({ list: 'unverified', id: 'nobody' });
    expect(issue?.counts).toMatchObject({ planned: 4, sent: 0, failed: 4 });
    expect((await rawMessages()).filter((raw) => raw.includes('Unverified'))).toHaveLength(0);
    expect(emails).toHaveLength(4);
  });
});
