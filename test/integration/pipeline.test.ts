/**
 * The real handlers, adapters and AWS SDK over HTTP: S3 on s3rver, DynamoDB on moto_server (the ledger writes transactions, which dynalite lacks), SES on
 * aws-ses-v2-local, SQS and Secrets Manager on moto_server. Every case asserts exactly one message per subscriber.
 */
import { randomUUID } from 'node:crypto';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { GetObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { CreateSecretCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { GetQueueAttributesCommand, SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENV } from '../../src/config/env-names.js';
import {
  encodeEventKey,
  drainQueue,
  s3Event,
  waitPatiently,
  createPipelineQueues,
  deployedEnvironment,
  type PipelineQueues,
} from '../support/aws-harness.js';
import { countBySubject, startMoto, startS3rver, startSesLocal, useFakeAwsCredentials, type Emulator } from '../support/emulators.js';
import { faultWhen, type SesFaultProxy, startSesFaultProxy } from '../support/ses-fault-proxy.js';
import { skipWithout } from '../support/test-tools.js';
import { createNewsbriefTables } from '../support/newsbrief-tables.js';

const BUCKET = 'newsbrief-briefs';
const LISTS_JSON = JSON.stringify({
  lists: JSON.parse((await import('node:fs')).readFileSync(new URL('../../config/lists.json', import.meta.url), 'utf8')).lists,
});

let s3rver: Emulator, moto: Emulator;
let ses: Awaited<ReturnType<typeof startSesLocal>>;
// SES is reached through a proxy that answers as SES would when a test asks it to (faults at the HTTP level).
let proxy: SesFaultProxy;
let s3: S3Client, sqs: SQSClient, dynamo: DynamoDBClient;
let queues: PipelineQueues;
let handlers: {
  intake: typeof import('../../lambdas/intake.js').handler;
  plan: typeof import('../../lambdas/plan.js').handler;
  send: typeof import('../../lambdas/send.js').handler;
};
let wiring: typeof import('../../src/wiring/aws.js');

beforeAll(async () => {
  useFakeAwsCredentials();
  [s3rver, ses, moto] = await Promise.all([startS3rver([BUCKET]), startSesLocal(), startMoto()]);
  proxy = await startSesFaultProxy(ses.endpoint);
  s3 = new S3Client({ endpoint: s3rver.endpoint, forcePathStyle: true });
  sqs = new SQSClient({ endpoint: moto.endpoint });
  dynamo = new DynamoDBClient({ endpoint: moto.endpoint });
  await createNewsbriefTables(dynamo);
  queues = await createPipelineQueues(sqs);
  const secrets = new SecretsManagerClient({ endpoint: moto.endpoint });
  const secret = await secrets.send(
    new CreateSecretCommand({
      Name: 'newsbrief-keys',
      SecretString: JSON.stringify({ current: 'k1', k1: 'integration-test-signing-key-0123456789abcdef' }),
    }),
  );

  Object.assign(
    process.env,
    deployedEnvironment(
      { s3: s3rver.endpoint, moto: moto.endpoint, ses: proxy.endpoint },
      { bucket: BUCKET, queues, keysSecretArn: secret.ARN! },
    ),
    { [ENV.listsJson]: LISTS_JSON },
  );
  handlers = {
    intake: (await import('../../lambdas/intake.js')).handler,
    plan: (await import('../../lambdas/plan.js')).handler,
    send: (await import('../../lambdas/send.js')).handler,
  };
  wiring = await import('../../src/wiring/aws.js');
  // The in-process SES emulator shares this CPU: on a busy machine it answered 50 parallel sends after the
  // wiring's 5 s timeout, and those recipients then waited (unknown) in a continuation delayed two minutes.
  waitPatiently(wiring.awsRuntime().clients.ses);
});

afterAll(async () => {
  await proxy?.close();
  await Promise.all([s3rver?.stop(), ses?.stop(), moto?.stop()]);
});

/** Creates a list of `n` subscribed readers in DynamoDB through the real store. */
async function seed(list: string, n: number, tag: string): Promise<string[]> {
  const store = wiring.awsRuntime().plan.subscribers;
  const emails = Array.from({ length: n }, (_, i) => `${tag}-${String(i).padStart(3, '0')}@example.org`);
  await Promise.all(
    emails.map((email, i) => store.upsert({ list, email, firstName: `Reader ${i}`, status: 'subscribed' }, '2026-03-01T00:00:00Z')),
  );
  return emails;
}

/** Uploads a brief with a unique subject; returns the subject. */
async function putBrief(key: string, brief: Record<string, unknown>): Promise<void> {
  await s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: key, Body: JSON.stringify(brief), ContentType: 'application/json' }));
}

function briefFor(list: string, subject: string, id?: string) {
  return {
    version: 1,
    list,
    ...(id ? { id } : {}),
    subject,
    stories: [{ headline: 'Quarterly numbers are in', paragraphs: ['Revenue rose.'] }],
  };
}

async function drainAll(options: { sendBatchSize?: number } = {}) {
  const plan = await drainQueue(sqs, queues.plan, (e) => handlers.plan(e));
  const send = await drainQueue(sqs, queues.send, (e) => handlers.send(e), { batchSize: options.sendBatchSize ?? 5 });
  return { plan, send };
}

/** How many messages each recipient got for a subject. */
async function deliveredBySubject(subject: string): Promise<Map<string, number>> {
  return countBySubject(await ses.emails(), subject);
}

function expectExactlyOnce(counts: Map<string, number>, emails: readonly string[]): void {
  expect([...counts.keys()].sort()).toEqual([...emails].sort());
  expect([...counts.values()].every((n) => n === 1)).toBe(true);
}

describe.skipIf(skipWithout('moto_server'))('intake over real S3 event shapes', () => {
  it('ignores the s3:TestEvent that saving a notification sends', async () => {
    expect(await handlers.intake({ Event: 's3:TestEvent' } as never)).toEqual([]);
  });

  it.each([
    ['spaces as +', 'briefs/Spring issue.json', 'spring-issue'],
    ['a plus as %2B', 'briefs/one+two.json', 'one-two'],
    ['unicode percent-encoded', 'briefs/2026/Café Ünïcode 日本.json', 'cafe-unicode'],
  ])('decodes a key with %s', async (_, key, expectedId) => {
    await putBrief(key, briefFor('morning-digest', `Keys ${randomUUID()}`));
    const [result] = await handlers.intake(s3Event(BUCKET, encodeEventKey(key)) as never);
    expect(result).toMatchObject({ status: 'accepted', key, issue: { list: 'morning-digest', id: expectedId } });
  });

  it('writes a problem report under reports/ for an invalid brief and sends nothing', async () => {
    const key = 'briefs/broken brief.json';
    await s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: key, Body: '{"version": 2, "list": "weekly"' }));
    const [result] = await handlers.intake(s3Event(BUCKET, encodeEventKey(key)) as never);
    expect(result).toMatchObject({ status: 'refused', reportKey: 'reports/broken brief.json.problems.json' });
    const report = await s3.send(new GetObjectCommand({ Bucket: BUCKET, Key: 'reports/broken brief.json.problems.json' }));
    expect(JSON.parse(await report.Body!.transformToString()).text).toContain('nothing was sent');
  });
});

describe.skipIf(skipWithout('moto_server'))('exactly one message per subscriber', () => {
  it('sends once to each of 120 subscribers when the same S3 event arrives twice', async () => {
    const subject = `Twice ${randomUUID()}`;
    const emails = await seed('weekly', 120, 'twice');
    await putBrief('briefs/twice.json', briefFor('weekly', subject, 'twice'));
    const event = s3Event(BUCKET, 'briefs/twice.json') as never;
    const [first, second] = [await handlers.intake(event), await handlers.intake(event)];
    expect(first[0]).toMatchObject({ status: 'accepted' });
    expect(second[0]).toMatchObject({ status: 'duplicate' });
    await drainAll();
    expectExactlyOnce(await deliveredBySubject(subject), emails);
    // The last plan page wrote the issue's first report.
    const report = JSON.parse(
      await (await s3.send(new GetObjectCommand({ Bucket: BUCKET, Key: 'reports/weekly/twice.json' }))).Body!.transformToString(),
    );
    expect(report).toMatchObject({ format: 'newsbrief/issue-report@1', list: 'weekly', id: 'twice', planComplete: true });
    expect(report.counts.planned).toBeGreaterThanOrEqual(120);
  });

  it('sends only the rest when SQS redelivers a job that was half done', async () => {
    const subject = `Half ${randomUUID()}`;
    const emails = await seed('future-50', 50, 'half');
    await putBrief('briefs/half.json', briefFor('future-50', subject, 'half'));
    await handlers.intake(s3Event(BUCKET, 'briefs/half.json') as never);
    await drainQueue(sqs, queues.plan, (e) => handlers.plan(e));
    // The first attempt got through 25 recipients and died: replay exactly that part, then the whole job again.
    const { ReceiveMessageCommand } = await import('@aws-sdk/client-sqs');
    const [message] = (await sqs.send(new ReceiveMessageCommand({ QueueUrl: queues.send, MaxNumberOfMessages: 1, VisibilityTimeout: 0 })))
      .Messages!;
    const job = JSON.parse(message!.Body!);
    const halfJob = { ...job, recipients: job.recipients.slice(0, 25) };
    await sqs.send(new SendMessageCommand({ QueueUrl: queues.send, MessageBody: JSON.stringify(halfJob) }));
    await drainAll();
    expectExactlyOnce(await deliveredBySubject(subject), emails);
    // A redelivery after success (the delete was lost) sends nothing either.
    await sqs.send(new SendMessageCommand({ QueueUrl: queues.send, MessageBody: message!.Body! }));
    await drainAll();
    expectExactlyOnce(await deliveredBySubject(subject), emails);
  });

  it('retries inside the job when SES throttles the 37th of 50 sends: the job is never given back, each subscriber has one message', async () => {
    const subject = `Throttle ${randomUUID()}`;
    const emails = await seed('arabic-weekly', 50, 'throttle');
    await putBrief('briefs/throttle.json', briefFor('arabic-weekly', subject, 'throttle'));
    await handlers.intake(s3Event(BUCKET, 'briefs/throttle.json') as never);
    // SES's own Throttling answer to the 37th send.
    let calls = 0;
    proxy.policy = faultWhen((request) => request.tags.issue === 'throttle' && ++calls === 37, 'throttle');
    try {
      const { send } = await drainAll();
      expect(send.failures).toBe(0);
    } finally {
      proxy.policy = () => 'pass';
    }
    expectExactlyOnce(await deliveredBySubject(subject), emails);
    expect(proxy.requests.filter((request) => request.tags.issue === 'throttle')).toHaveLength(51);
  });

  it('reports a poison job as a failure until the redrive policy moves it to the dead-letter queue', async () => {
    await sqs.send(new SendMessageCommand({ QueueUrl: queues.send, MessageBody: '{"format":"newsbrief/send-job@1","recipients":' }));
    const report = await drainQueue(sqs, queues.send, (e) => handlers.send(e), { batchSize: 1, maxInvocations: 20 });
    expect(report.failures).toBe(5);
    const dlq = await sqs.send(new GetQueueAttributesCommand({ QueueUrl: queues.dlq, AttributeNames: ['ApproximateNumberOfMessages'] }));
    expect(dlq.Attributes?.ApproximateNumberOfMessages).toBe('1');
  });
});
