/**
 * The AWS handlers (intake, plan, send, feedback) with the real SDK against emulators — S3 on s3rver,
 * DynamoDB, SQS and Secrets Manager on moto_server — and SES behind a fault-injection proxy in front of
 * aws-ses-v2-local. Throttling, resets and 5xx are retried inside the jobs: nothing is dead-lettered.
 * An answer lost after SES took the message is proved by SES's Send event (fed to the feedback handler
 * from what the proxy saw SES accept), so it is not sent again; the counts equal what SES accepted.
 */
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { CreateSecretCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { GetQueueAttributesCommand, SQSClient } from '@aws-sdk/client-sqs';
import type { SNSEvent } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENV } from '../../src/config/env-names.js';
import {
  drainQueue,
  s3Event,
  waitPatiently,
  createPipelineQueues,
  deployedEnvironment,
  type PipelineQueues,
} from '../support/aws-harness.js';
import { startMoto, startS3rver, startSesLocal, useFakeAwsCredentials, type Emulator } from '../support/emulators.js';
import { skipWithout } from '../support/test-tools.js';
import { createNewsbriefTables } from '../support/newsbrief-tables.js';
import { faultFraction, faultWhen, type SesFaultProxy, startSesFaultProxy } from '../support/ses-fault-proxy.js';

const BUCKET = 'newsbrief-briefs';
const TOPIC = 'arn:aws:sns:us-east-1:123456789012:newsbrief-feedback';
const LISTS_JSON = JSON.stringify({ lists: JSON.parse(readFileSync(new URL('../../config/lists.json', import.meta.url), 'utf8')).lists });

let s3rver: Emulator, moto: Emulator, sesLocal: Emulator;
let proxy: SesFaultProxy;
let s3: S3Client, sqs: SQSClient;
let queues: PipelineQueues;
let handlers: {
  intake: typeof import('../../lambdas/intake.js').handler;
  plan: typeof import('../../lambdas/plan.js').handler;
  send: typeof import('../../lambdas/send.js').handler;
  feedback: typeof import('../../lambdas/feedback.js').handler;
};
let wiring: typeof import('../../src/wiring/aws.js');

beforeAll(async () => {
  useFakeAwsCredentials();
  [s3rver, moto, sesLocal] = await Promise.all([startS3rver([BUCKET]), startMoto(), startSesLocal()]);
  proxy = await startSesFaultProxy(sesLocal.endpoint);
  s3 = new S3Client({ endpoint: s3rver.endpoint, forcePathStyle: true });
  sqs = new SQSClient({ endpoint: moto.endpoint });
  await createNewsbriefTables(new DynamoDBClient({ endpoint: moto.endpoint }));
  queues = await createPipelineQueues(sqs);
  const secret = await new SecretsManagerClient({ endpoint: moto.endpoint }).send(
    new CreateSecretCommand({
      Name: 'newsbrief-keys',
      SecretString: JSON.stringify({ current: 'k1', k1: 'integration-test-signing-key-0123456789abcdef' }),
    }),
  );
  Object.assign(
    process.env,
    deployedEnvironment(
      { s3: s3rver.endpoint, moto: moto.endpoint, ses: proxy.endpoint },
      { bucket: BUCKET, queues, keysSecretArn: secret.ARN!, maxSendRate: 500 },
    ),
    {
      [ENV.listsJson]: LISTS_JSON,
      [ENV.feedbackTopicArn]: TOPIC,
      // SES's Send events arrive within seconds; the test feeds them at once, so a short grace will do.
      [ENV.unknownGraceSeconds]: '1',
    },
  );
  handlers = {
    intake: (await import('../../lambdas/intake.js')).handler,
    plan: (await import('../../lambdas/plan.js')).handler,
    send: (await import('../../lambdas/send.js')).handler,
    feedback: (await import('../../lambdas/feedback.js')).handler,
  };
  wiring = await import('../../src/wiring/aws.js');
  // Faults come from the proxy, by design. A call the busy machine merely slowed past the wiring's 5 s would be
  // an unknown outcome too, and without a Send event it is sent again after the grace: a duplicate no fault made.
  waitPatiently(wiring.awsRuntime().clients.ses);
});

afterAll(async () => {
  await proxy?.close();
  await Promise.all([s3rver?.stop(), moto?.stop(), sesLocal?.stop()]);
});

async function start(
  tag: string,
  n: number,
  list: string,
): Promise<{ emails: string[]; subject: string; issue: { list: string; id: string } }> {
  const store = wiring.awsRuntime().plan.subscribers;
  const emails = Array.from({ length: n }, (_, i) => `${tag}-${String(i).padStart(3, '0')}@faults.example.org`);
  await Promise.all(emails.map((email) => store.upsert({ list, email, status: 'subscribed' }, '2026-03-01T00:00:00Z')));
  const subject = `AWS faults ${tag} ${randomUUID()}`;
  await s3.send(
    new PutObjectCommand({
      Bucket: BUCKET,
      Key: `briefs/${tag}.json`,
      Body: JSON.stringify({ version: 1, id: tag, list, subject, stories: [{ headline: 'Hi' }] }),
    }),
  );
  await handlers.intake(s3Event(BUCKET, `briefs/${tag}.json`) as never);
  await drainQueue(sqs, queues.plan, (e) => handlers.plan(e));
  return { emails, subject, issue: { list, id: tag } };
}

/** Messages waiting in a queue, visible, in flight or delayed. */
async function waiting(url: string): Promise<number> {
  const out = await sqs.send(
    new GetQueueAttributesCommand({
      QueueUrl: url,
      AttributeNames: ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible', 'ApproximateNumberOfMessagesDelayed'],
    }),
  );
  const a = out.Attributes ?? {};
  return (
    Number(a.ApproximateNumberOfMessages ?? 0) +
    Number(a.ApproximateNumberOfMessagesNotVisible ?? 0) +
    Number(a.ApproximateNumberOfMessagesDelayed ?? 0)
  );
}

/** Runs the send queue (continuations included, once their delay is up) until nothing waits; returns batch item failures. */
async function drainSends(afterEachInvocation: () => Promise<void> = async () => {}): Promise<number> {
  let failures = 0;
  while ((await waiting(queues.send)) > 0) {
    const send = async (event: Parameters<typeof handlers.send>[0]) => {
      const response = await handlers.send(event);
      await afterEachInvocation();
      return response;
    };
    failures += (await drainQueue(sqs, queues.send, send, { batchSize: 5 })).failures;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  return failures;
}

/** What the upstream SES accepted for an issue (its message tag), per recipient. */
function acceptedFor(issueId: string): Map<string, number> {
  const counts = new Map<string, number>();
  for (const m of proxy.accepted()) {
    if (m.tags.issue !== issueId) continue;
    for (const to of m.destinations) counts.set(to, (counts.get(to) ?? 0) + 1);
  }
  return counts;
}

const published = new Set<string>();

/** SES's Send events for what it accepted since the last call, as SNS delivers them to the feedback function. */
function sendEvents(issueId: string): SNSEvent {
  const fresh = proxy.accepted().filter((m) => m.tags.issue === issueId && !published.has(m.messageId));
  for (const m of fresh) published.add(m.messageId);
  return {
    Records: fresh.map((m) => ({
      EventSource: 'aws:sns',
      EventVersion: '1.0',
      EventSubscriptionArn: `${TOPIC}:sub`,
      Sns: {
        Type: 'Notification',
        MessageId: randomUUID(),
        TopicArn: TOPIC,
        Subject: null as unknown as string,
        Message: JSON.stringify({
          eventType: 'Send',
          mail: {
            messageId: m.messageId,
            destination: m.destinations,
            tags: Object.fromEntries(Object.entries(m.tags).map(([k, v]) => [k, [v]])),
          },
          send: {},
        }),
        Timestamp: new Date().toISOString(),
        SignatureVersion: '1',
        Signature: '',
        SigningCertUrl: '',
        UnsubscribeUrl: '',
        MessageAttributes: {},
      },
    })),
  };
}

// Hundreds of SDK calls to moto_server per case: slow on a busy machine, never a deadline to meet.
const SLOW = { timeout: 600_000 };

describe.skipIf(skipWithout('moto_server'))('the AWS send path under HTTP-level SES faults', () => {
  it(
    '20 % throttling, resets before the request left and 5xx: every reader once, nothing dead-lettered, counts equal what SES took',
    SLOW,
    async () => {
      const throttle = faultFraction(0.2, 'throttle', 7);
      const reset = faultFraction(0.05, 'reset-before', 8);
      const fail = faultFraction(0.05, 'server-error', 9);
      proxy.policy = (r) => (throttle(r) !== 'pass' ? 'throttle' : reset(r) !== 'pass' ? 'reset-before' : fail(r));
      const { emails, issue } = await start('storm', 150, 'weekly');
      // SES's Send events flow as deployed: a job that failed after SES took a message leaves it to them.
      const failures = await drainSends(async () => {
        const events = sendEvents(issue.id);
        if (events.Records.length > 0) await handlers.feedback(events);
      });
      proxy.policy = () => 'pass';
      const counts = acceptedFor(issue.id);
      const twice = [...counts].filter(([, n]) => n > 1).map(([to]) => to);
      if (twice.length)
        console.error(
          JSON.stringify(
            proxy.requests.filter((r) => twice.includes(r.destinations[0]!)).map((r) => ({ n: r.n, fault: r.fault, upstream: r.upstream })),
          ),
        );
      expect(counts.size).toBe(emails.length);
      expect([...counts.values()].filter((n) => n > 1)).toEqual([]);
      // A job may fail outright on a busy machine (an emulator call timing out) and come back once; none for throttling, none to the DLQ.
      expect(failures).toBeLessThan(5);
      expect(await waiting(queues.dlq)).toBe(0);
      expect((await wiring.awsRuntime().plan.ledger.getIssue(issue))?.counts).toMatchObject({ sent: 150, failed: 0, unknown: 0 });
    },
  );

  it('answers lost after SES took the message: the Send event proves them, nobody is mailed twice', SLOW, async () => {
    proxy.policy = faultWhen((r) => r.n % 17 === 3, 'reset-after');
    const { emails, issue } = await start('lost-answers', 120, 'future-50');
    // SES publishes Send events within seconds of accepting; here the feedback function gets them after each invocation.
    const failures = await drainSends(async () => {
      const events = sendEvents(issue.id);
      if (events.Records.length > 0) await handlers.feedback(events);
    });
    proxy.policy = () => 'pass';
    const ambiguous = proxy.requests.filter(
      (r) => r.fault === 'reset-after' && r.upstream === 'accepted' && r.tags.issue === issue.id,
    ).length;
    expect(ambiguous).toBeGreaterThan(0);
    const counts = acceptedFor(issue.id);
    expect(counts.size).toBe(emails.length);
    expect([...counts.values()].filter((n) => n > 1)).toEqual([]);
    expect(failures).toBeLessThan(5);
    expect(await waiting(queues.dlq)).toBe(0);
    expect((await wiring.awsRuntime().plan.ledger.getIssue(issue))?.counts).toMatchObject({ sent: 120, unknown: 0 });
  });
});
