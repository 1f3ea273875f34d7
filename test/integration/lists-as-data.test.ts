/**
 * Lists are data, end to end on the emulators: the lists table filled with `newsbrief lists put --table`, a list
 * added with `newsbrief lists put --table` sent through the real intake, plan and send handlers with no deploy
 * (nothing about lists in their environment but the table's name), and links that point at this deployment's
 * endpoints. DynamoDB, SQS and Secrets Manager on moto_server, S3 on s3rver, SES on aws-ses-v2-local.
 */
import { randomUUID } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CreateTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { CreateSecretCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { SQSClient } from '@aws-sdk/client-sqs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readListsFile } from '../../lib/lists-file.js';
import type { CliIo } from '../../src/cli/command.js';
import { main } from '../../src/cli/main.js';
import { ENV } from '../../src/config/env-names.js';
import {
  createPipelineQueues,
  deployedEnvironment,
  drainQueue,
  encodeEventKey,
  type PipelineQueues,
  s3Event,
  waitPatiently,
} from '../support/aws-harness.js';
import { countBySubject, type Emulator, startMoto, startS3rver, startSesLocal, useFakeAwsCredentials } from '../support/emulators.js';
import { createNewsbriefTables } from '../support/newsbrief-tables.js';
import { skipWithout } from '../support/test-tools.js';

const BUCKET = 'newsbrief-briefs';
const LISTS_TABLE = 'Newsbrief-lists';
const UNSUBSCRIBE_URL = 'https://abc123.lambda-url.us-east-1.on.aws/';
const ARCHIVE_URL = 'https://d111111abcdef8.cloudfront.net';

let s3rver: Emulator, moto: Emulator;
let ses: Awaited<ReturnType<typeof startSesLocal>>;
let s3: S3Client, sqs: SQSClient, dynamo: DynamoDBClient;
let queues: PipelineQueues;
let cliEnv: NodeJS.ProcessEnv;
let handlers: {
  intake: typeof import('../../lambdas/intake.js').handler;
  plan: typeof import('../../lambdas/plan.js').handler;
  send: typeof import('../../lambdas/send.js').handler;
};
let wiring: typeof import('../../src/wiring/aws.js');

beforeAll(async () => {
  if (skipWithout('moto_server')) return;
  useFakeAwsCredentials();
  [s3rver, ses, moto] = await Promise.all([startS3rver([BUCKET]), startSesLocal(), startMoto()]);
  s3 = new S3Client({ endpoint: s3rver.endpoint, forcePathStyle: true });
  sqs = new SQSClient({ endpoint: moto.endpoint });
  dynamo = new DynamoDBClient({ endpoint: moto.endpoint });
  await createNewsbriefTables(dynamo);
  // As lib/lists-table.ts declares it.
  await dynamo.send(
    new CreateTableCommand({
      TableName: LISTS_TABLE,
      KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
      AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }],
      BillingMode: 'PAY_PER_REQUEST',
    }),
  );
  queues = await createPipelineQueues(sqs);
  const secret = await new SecretsManagerClient({ endpoint: moto.endpoint }).send(
    new CreateSecretCommand({
      Name: 'newsbrief-keys',
      SecretString: JSON.stringify({ current: 'k1', k1: 'integration-test-signing-key-0123456789abcdef' }),
    }),
  );
  cliEnv = { ...process.env, AWS_ENDPOINT_URL_DYNAMODB: moto.endpoint };
  delete process.env[ENV.listsJson];
  Object.assign(
    process.env,
    deployedEnvironment(
      { s3: s3rver.endpoint, moto: moto.endpoint, ses: ses.endpoint },
      { bucket: BUCKET, queues, keysSecretArn: secret.ARN! },
    ),
    // What the stack gives every function about lists: the table's name and this deployment's endpoints, no list data.
    {
      [ENV.listsTable]: LISTS_TABLE,
      [ENV.unsubscribeUrl]: UNSUBSCRIBE_URL,
      [ENV.archiveUrl]: ARCHIVE_URL,
      // The deployed cache keeps lists 30 s; one second here, so that the warm handlers see the new list quickly.
      [ENV.listsCacheSeconds]: '1',
    },
  );
  handlers = {
    intake: (await import('../../lambdas/intake.js')).handler,
    plan: (await import('../../lambdas/plan.js')).handler,
    send: (await import('../../lambdas/send.js')).handler,
  };
  wiring = await import('../../src/wiring/aws.js');
  waitPatiently(wiring.awsRuntime().clients.ses);
});

afterAll(async () => {
  await Promise.all([s3rver?.stop(), ses?.stop(), moto?.stop()]);
});

function cli(): CliIo & { lines: string[] } {
  const lines: string[] = [];
  return { lines, out: (t) => lines.push(t), err: (t) => lines.push(t), cwd: process.cwd(), env: cliEnv, isTty: false };
}

async function subscribe(list: string, n: number): Promise<string[]> {
  const store = wiring.awsRuntime().plan.subscribers;
  const emails = Array.from({ length: n }, (_, i) => `${list}-${i}@example.org`);
  for (const email of emails) await store.upsert({ list, email, status: 'subscribed' }, '2026-03-01T00:00:00Z');
  return emails;
}

/** Drops a brief and runs it through intake, plan and send; returns intake's result. */
async function sendIssue(list: string, subject: string) {
  const key = `briefs/${list}-${randomUUID()}.json`;
  const brief = { version: 1, list, subject, stories: [{ headline: 'Lists are data', paragraphs: ['No deploy needed.'] }] };
  await s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: key, Body: JSON.stringify(brief), ContentType: 'application/json' }));
  const [result] = await handlers.intake(s3Event(BUCKET, encodeEventKey(key)) as never);
  await drainQueue(sqs, queues.plan, (e) => handlers.plan(e));
  await drainQueue(sqs, queues.send, (e) => handlers.send(e), { batchSize: 5 });
  return { key, result };
}

/** The parsed messages the SES emulator took with this subject (its /store keeps the HTML body). */
async function mailWithSubject(
  subject: string,
): Promise<Array<{ subject: string; body: { html: string }; destination: { to: string[] } }>> {
  const store = (await (await fetch(`${ses.endpoint}/store`)).json()) as {
    emails: Array<{ subject: string; body: { html: string }; destination: { to: string[] } }>;
  };
  return store.emails.filter((m) => m.subject === subject);
}

describe.skipIf(skipWithout('moto_server'))('lists as data on the emulators', () => {
  it('puts the seed lists file into the table, and a later put replaces one list whole', async () => {
    // The stack seeds with PartiQL INSERTs (lib/lists-table.ts); moto's PartiQL takes no parameters and does not
    // refuse a duplicate INSERT, so here the seed file goes in with the CLI, as on a stack deployed before seeding.
    const seed = readListsFile('config/lists.json').seed;
    expect(await main(['lists', 'put', 'config/lists.json', '--table', LISTS_TABLE], cli())).toBe(0);
    const out = cli();
    expect(await main(['lists', 'list', '--table', LISTS_TABLE], out)).toBe(0);
    expect(
      out.lines
        .join('\n')
        .split('\n')
        .map((line) => line.split(/\s+/)[0])
        .sort(),
    ).toEqual(seed.map((l) => l.id).sort());

    const dir = mkdtempSync(join(tmpdir(), 'lists-'));
    const renamed = { ...JSON.parse(seed.find((l) => l.id === 'weekly')!.json), displayName: 'The Weekly Brief, renamed' };
    writeFileSync(join(dir, 'weekly.json'), JSON.stringify(renamed));
    expect(await main(['lists', 'put', join(dir, 'weekly.json'), '--table', LISTS_TABLE], cli())).toBe(0);
    const shown = cli();
    expect(await main(['lists', 'show', 'weekly', '--table', LISTS_TABLE], shown)).toBe(0);
    expect(JSON.parse(shown.lines.join('\n')).displayName).toBe('The Weekly Brief, renamed');
  });

  it('sends the issue of a list added with `newsbrief lists put` through the warm handlers, without a redeploy', async () => {
    // Warm every handler (and its list cache) on a seeded list first.
    const weekly = await subscribe('weekly', 2);
    const warmSubject = `Warm ${randomUUID()}`;
    expect((await sendIssue('weekly', warmSubject)).result).toMatchObject({ status: 'accepted' });
    expect([...countBySubject(await mailWithSubject(warmSubject), warmSubject).keys()].sort()).toEqual(weekly.sort());

    // A new newsletter, put with the CLI against the table; no URLs: it uses this deployment's endpoints.
    const dir = mkdtempSync(join(tmpdir(), 'lists-'));
    const file = join(dir, 'field-notes.json');
    writeFileSync(
      file,
      JSON.stringify({
        lists: [
          {
            id: 'field-notes',
            displayName: 'Field Notes',
            from: 'Field Notes <notes@news.example.com>',
            postalAddress: '1 Example Street',
          },
        ],
      }),
    );
    const put = cli();
    expect(await main(['lists', 'put', file, '--table', LISTS_TABLE], put)).toBe(0);
    expect(put.lines.join('\n')).toContain('field-notes');
    const readers = await subscribe('field-notes', 3);

    // The warm intake may still hold the lists it read (the cache's TTL): the brief is refused until then, then
    // accepted on a retry of the same event, as S3 would redeliver it. A refusal writes a report; nothing is claimed.
    const subject = `Field notes ${randomUUID()}`;
    let sent = await sendIssue('field-notes', subject);
    while (sent.result!.status === 'refused') {
      expect(JSON.stringify(sent.result)).toContain('field-notes');
      await new Promise((r) => setTimeout(r, 200));
      const [result] = await handlers.intake(s3Event(BUCKET, encodeEventKey(sent.key)) as never);
      await drainQueue(sqs, queues.plan, (e) => handlers.plan(e));
      await drainQueue(sqs, queues.send, (e) => handlers.send(e), { batchSize: 5 });
      sent = { key: sent.key, result };
    }
    expect(sent.result).toMatchObject({ status: 'accepted', issue: { list: 'field-notes' } });

    const mail = await mailWithSubject(subject);
    expect([...countBySubject(mail, subject).keys()].sort()).toEqual(readers.sort());
    expect([...countBySubject(mail, subject).values()]).toEqual([1, 1, 1]);
    // Links point at this deployment, not at the example site.
    for (const message of mail) {
      expect(message.body.html).toContain(`${UNSUBSCRIBE_URL}?t=`);
      expect(message.body.html).toContain(`${ARCHIVE_URL}/field-notes/`);
      expect(message.body.html).not.toContain('news.example.com/unsubscribe');
    }
  });

  it('refuses a list with a bad field, naming the list and the field, and writes nothing', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'lists-'));
    const file = join(dir, 'bad.json');
    writeFileSync(file, JSON.stringify({ id: 'bad-one', displayName: 'Bad', from: 'nobody', postalAddress: 'x' }));
    const out = cli();
    expect(await main(['lists', 'put', file, '--table', LISTS_TABLE], out)).toBe(1);
    expect(out.lines.join('\n')).toMatch(/list "bad-one", field from: must be an address/);
    expect(await main(['lists', 'show', 'bad-one', '--table', LISTS_TABLE], cli())).toBe(1);
  });
});
