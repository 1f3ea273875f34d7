/**
 * Scheduled sends and proofs through the real intake and start handlers and the real SDK, on moto (S3,
 * DynamoDB, SQS, Secrets Manager, SES, EventBridge Scheduler): a future brief makes exactly one schedule
 * with the right time and target, a re-upload updates it, deleting the brief deletes it, the schedule's
 * input starts the issue once; a proof reaches the proof recipients only and leaves the issue unclaimed.
 */
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { CreateBucketCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { CreateScheduleGroupCommand, GetScheduleCommand, ListSchedulesCommand, SchedulerClient } from '@aws-sdk/client-scheduler';
import { CreateSecretCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { SESClient, VerifyDomainIdentityCommand } from '@aws-sdk/client-ses';
import { CreateQueueCommand, SQSClient } from '@aws-sdk/client-sqs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENV } from '../../src/config/env-names.js';
import { drainQueue, s3Event } from '../support/aws-harness.js';
import { startMoto, useFakeAwsCredentials } from '../support/emulators.js';
import { skipWithout } from '../support/test-tools.js';
import { createNewsbriefTables } from '../support/newsbrief-tables.js';

const BUCKET = 'newsbrief-scheduled';
const GROUP = 'newsbrief-issues';
const START_ARN = 'arn:aws:lambda:us-east-1:123456789012:function:newsbrief-start';
const ROLE_ARN = 'arn:aws:iam::123456789012:role/newsbrief-scheduler';
const LISTS_JSON = readFileSync(new URL('../../config/lists.json', import.meta.url), 'utf8');
const PROOF_TO = (JSON.parse(LISTS_JSON) as { lists: Array<{ id: string; proofRecipients: string[] }> }).lists.find(
  (l) => l.id === 'weekly',
)!.proofRecipients;

let moto: Awaited<ReturnType<typeof startMoto>>;
let s3: S3Client, sqs: SQSClient, scheduler: SchedulerClient;
let planQueue: string, sendQueue: string;
let handlers: {
  intake: typeof import('../../lambdas/intake.js').handler;
  start: typeof import('../../lambdas/start.js').handler;
  plan: typeof import('../../lambdas/plan.js').handler;
  send: typeof import('../../lambdas/send.js').handler;
};

beforeAll(async () => {
  useFakeAwsCredentials();
  moto = await startMoto();
  for (const name of Object.keys(process.env)) if (name.startsWith('AWS_ENDPOINT_URL')) delete process.env[name];
  process.env.AWS_ENDPOINT_URL = moto.endpoint;
  s3 = new S3Client({ endpoint: moto.endpoint, forcePathStyle: true });
  sqs = new SQSClient({ endpoint: moto.endpoint });
  scheduler = new SchedulerClient({ endpoint: moto.endpoint });
  const dynamo = new DynamoDBClient({ endpoint: moto.endpoint });
  await s3.send(new CreateBucketCommand({ Bucket: BUCKET }));
  await createNewsbriefTables(dynamo);
  planQueue = (await sqs.send(new CreateQueueCommand({ QueueName: 'plan' }))).QueueUrl!;
  sendQueue = (await sqs.send(new CreateQueueCommand({ QueueName: 'send' }))).QueueUrl!;
  await scheduler.send(new CreateScheduleGroupCommand({ Name: GROUP }));
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
    [ENV.planQueueUrl]: planQueue,
    [ENV.sendQueueUrl]: sendQueue,
    [ENV.sendConcurrency]: '2',
    [ENV.maxSendRate]: '100',
    [ENV.listsJson]: LISTS_JSON,
    [ENV.keysSecretArn]: secret.ARN!,
    [ENV.scheduleGroup]: GROUP,
    [ENV.startFunctionArn]: START_ARN,
    [ENV.schedulerRoleArn]: ROLE_ARN,
  });
  delete process.env[ENV.configurationSet];
  handlers = {
    intake: (await import('../../lambdas/intake.js')).handler,
    start: (await import('../../lambdas/start.js')).handler,
    plan: (await import('../../lambdas/plan.js')).handler,
    send: (await import('../../lambdas/send.js')).handler,
  };
});

afterAll(async () => {
  await moto?.stop();
});

const future = (days: number) => new Date(Date.now() + days * 86_400_000).toISOString().replace(/\.\d{3}Z$/, 'Z');
const briefBody = (id: string, subject: string, sendAt?: string) =>
  JSON.stringify({
    version: 1,
    list: 'weekly',
    id,
    subject,
    stories: [{ headline: 'Hello {{firstName|there}}' }],
    ...(sendAt ? { sendAt } : {}),
  });

async function upload(key: string, body: string) {
  const put = await s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: key, Body: body }));
  const event = s3Event(BUCKET, key) as { Records: Array<{ s3: { object: Record<string, unknown> } }> };
  event.Records[0]!.s3.object.versionId = put.VersionId ?? randomUUID();
  return (await handlers.intake(event as never))[0]!;
}

function removed(key: string) {
  const event = s3Event(BUCKET, key) as { Records: Array<Record<string, unknown>> };
  event.Records[0]!.eventName = 'ObjectRemoved:DeleteMarkerCreated';
  return handlers.intake(event as never);
}

async function schedules() {
  const out = await scheduler.send(new ListSchedulesCommand({ GroupName: GROUP }));
  return Promise.all((out.Schedules ?? []).map((s) => scheduler.send(new GetScheduleCommand({ GroupName: GROUP, Name: s.Name! }))));
}

async function rawMessages(): Promise<string[]> {
  const data = (await moto.data()) as { ses?: { RawMessage?: Array<{ raw_data: string }> } };
  return (data.ses?.RawMessage ?? []).map((m) => m.raw_data);
}

describe.skipIf(skipWithout('moto_server'))('scheduled sends on EventBridge Scheduler (moto)', () => {
  it('creates exactly one one-time schedule at sendAt, targeting the start function, then updates it on a re-upload', async () => {
    const at = future(3);
    expect(await upload('briefs/later.json', briefBody('later', 'Later typo', at))).toMatchObject({ status: 'scheduled', at });

    let [schedule, ...others] = await schedules();
    expect(others).toEqual([]);
    expect(schedule).toMatchObject({
      Name: 'weekly.later',
      GroupName: GROUP,
      ScheduleExpression: `at(${at.slice(0, 19)})`,
      ScheduleExpressionTimezone: 'UTC',
      FlexibleTimeWindow: { Mode: 'OFF' },
      Target: { Arn: START_ARN, RoleArn: ROLE_ARN },
    });
    expect(JSON.parse(schedule!.Target!.Input!)).toMatchObject({
      format: 'newsbrief/start-issue@1',
      issue: { list: 'weekly', id: 'later' },
    });

    const later = future(4);
    expect(await upload('briefs/later.json', briefBody('later', 'Later fixed', later))).toMatchObject({
      status: 'scheduled',
      replaced: { previousAt: at },
    });
    [schedule, ...others] = await schedules();
    expect(others).toEqual([]);
    expect(schedule!.ScheduleExpression).toBe(`at(${later.slice(0, 19)})`);

    // What Scheduler does at that time: invoke the start function with the schedule's input.
    const { awsRuntime } = await import('../../src/wiring/aws.js');
    for (const email of ['a@example.org', 'b@example.org'])
      await awsRuntime().plan.subscribers.upsert({ list: 'weekly', email, status: 'subscribed' }, '2026-03-01T00:00:00Z');
    expect(await handlers.start(JSON.parse(schedule!.Target!.Input!))).toMatchObject({ status: 'started' });
    expect(await handlers.start(JSON.parse(schedule!.Target!.Input!))).toMatchObject({ status: 'already-started' });
    await drainQueue(sqs, planQueue, (e) => handlers.plan(e));
    await drainQueue(sqs, sendQueue, (e) => handlers.send(e));
    expect((await rawMessages()).filter((raw) => raw.includes('Later fixed'))).toHaveLength(2);
    expect((await rawMessages()).filter((raw) => raw.includes('Later typo'))).toHaveLength(0);
    expect(await upload('briefs/later.json', briefBody('later', 'Later again', later))).toMatchObject({ status: 'duplicate' });
  });

  it('deletes the schedule when the brief is deleted', async () => {
    await upload('briefs/cancel-me.json', briefBody('cancel-me', 'Never', future(2)));
    expect((await schedules()).map((s) => s.Name)).toContain('weekly.cancel-me');
    expect(await removed('briefs/cancel-me.json')).toMatchObject([{ status: 'cancelled', issue: { list: 'weekly', id: 'cancel-me' } }]);
    expect((await schedules()).map((s) => s.Name)).not.toContain('weekly.cancel-me');
  });
});

describe.skipIf(skipWithout('moto_server'))('proofs (moto)', () => {
  it('mails the proof recipients only, again for a new upload, and never claims the issue', async () => {
    const subject = `Proof ${randomUUID()}`;
    expect(await upload('proofs/weekly/p.json', briefBody('proofed', subject))).toMatchObject({ status: 'sent', sentTo: PROOF_TO });
    expect(await upload('proofs/weekly/p.json', briefBody('proofed', subject))).toMatchObject({ status: 'sent', sentTo: PROOF_TO });
    const mine = (await rawMessages()).filter((raw) => raw.includes(subject));
    expect(mine).toHaveLength(2 * PROOF_TO.length);
    expect(mine.every((raw) => raw.includes(`Subject: [PROOF] ${subject}`))).toBe(true);
    const { awsRuntime } = await import('../../src/wiring/aws.js');
    expect(await awsRuntime().plan.ledger.getIssue({ list: 'weekly', id: 'proofed' })).toBeUndefined();
  });
});
