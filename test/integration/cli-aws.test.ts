/**
 * `newsbrief publish`, `report`, `breaker` and `subscribers import --table` against s3rver and dynalite over
 * HTTP (moto answers CloudFormation for --stack): commands that work on a deployment check list ids against
 * its lists table, so a list put only there is accepted.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CloudFormationClient, CreateStackCommand } from '@aws-sdk/client-cloudformation';
import { CreateTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { HeadObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CliIo } from '../../src/cli/command.js';
import { main } from '../../src/cli/main.js';
import { CONFIRMATION_BREAKER_WINDOW_MS, confirmationCount } from '../../src/breaker/confirmation-breaker.js';
import { DynamoLedger } from '../../src/adapters/aws/dynamo-ledger.js';
import { newDynamoDocumentClient } from '../../src/wiring/aws/clients.js';
import { awsConfirmationThrottle, awsSubscriberStore } from '../../src/wiring/aws.js';
import { startDynalite, startMoto, startS3rver, useFakeAwsCredentials, type Emulator } from '../support/emulators.js';
import { createNewsbriefTables } from '../support/newsbrief-tables.js';
import { skipWithout } from '../support/test-tools.js';

const BUCKET = 'cli-briefs';
/** The lists of config/lists.json, put into a lists table. */
const LISTS_TABLE = 'cli-lists';
/** A deployment's lists table holding only "deployed-only", a list config/lists.json does not have. */
const DEPLOYED_LISTS_TABLE = 'Deployed-lists';
const dir = mkdtempSync(join(tmpdir(), 'cli-aws-'));
let s3rver: Emulator, dynalite: Emulator;
let env: NodeJS.ProcessEnv;

function io(): CliIo & { lines: string[] } {
  const lines: string[] = [];
  return { lines, out: (t) => lines.push(t), err: (t) => lines.push(t), cwd: process.cwd(), env, isTty: false };
}

beforeAll(async () => {
  useFakeAwsCredentials();
  [s3rver, dynalite] = await Promise.all([startS3rver([BUCKET]), startDynalite()]);
  env = { ...process.env, AWS_ENDPOINT_URL_S3: s3rver.endpoint, AWS_ENDPOINT_URL_DYNAMODB: dynalite.endpoint };
  const dynamo = new DynamoDBClient({ endpoint: dynalite.endpoint });
  await createNewsbriefTables(dynamo);
  for (const table of [LISTS_TABLE, DEPLOYED_LISTS_TABLE]) {
    await dynamo.send(
      new CreateTableCommand({
        TableName: table,
        KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
        AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }],
        BillingMode: 'PAY_PER_REQUEST',
      }),
    );
  }
  expect(await main(['lists', 'put', 'config/lists.json', '--table', LISTS_TABLE], io())).toBe(0);
  // The list is put with the CLI, as an operator would: nothing of it is in config/lists.json.
  const lists = JSON.parse(readFileSync('config/lists.json', 'utf8')) as { lists: { id: string }[] };
  writeFileSync(join(dir, 'deployed-only.json'), JSON.stringify({ ...lists.lists.find((l) => l.id === 'weekly')!, id: 'deployed-only' }));
  expect(await main(['lists', 'put', join(dir, 'deployed-only.json'), '--table', DEPLOYED_LISTS_TABLE], io())).toBe(0);
  writeFileSync(
    join(dir, 'deployed-only-brief.json'),
    JSON.stringify({ ...briefOf('test/fixtures/valid/minimal.json'), list: 'deployed-only' }),
  );
});

function briefOf(file: string): Record<string, unknown> {
  return JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
}

async function exists(key: string): Promise<boolean> {
  const s3 = new S3Client({ endpoint: s3rver.endpoint, forcePathStyle: true });
  return s3.send(new HeadObjectCommand({ Bucket: BUCKET, Key: key })).then(
    () => true,
    () => false,
  );
}

afterAll(async () => {
  await Promise.all([s3rver?.stop(), dynalite?.stop()]);
});

describe('newsbrief publish', () => {
  it('uploads a valid brief under briefs/', async () => {
    const out = io();
    expect(await main(['publish', 'test/fixtures/valid/minimal.json', '--bucket', BUCKET, '--lists-table', LISTS_TABLE], out)).toBe(0);
    expect(out.lines.join('\n')).toContain(`s3://${BUCKET}/briefs/minimal.json`);
    const head = await new S3Client({ endpoint: s3rver.endpoint, forcePathStyle: true }).send(
      new HeadObjectCommand({ Bucket: BUCKET, Key: 'briefs/minimal.json' }),
    );
    expect(head.ContentType).toBe('application/json');
  });

  it('refuses an invalid brief with its problems and uploads nothing', async () => {
    const out = io();
    expect(await main(['publish', 'test/fixtures/invalid/bad-version.json', '--bucket', BUCKET, '--lists-table', LISTS_TABLE], out)).toBe(
      1,
    );
    expect(out.lines.join('\n')).toContain('/version');
    const s3 = new S3Client({ endpoint: s3rver.endpoint, forcePathStyle: true });
    await expect(s3.send(new HeadObjectCommand({ Bucket: BUCKET, Key: 'briefs/bad-version.json' }))).rejects.toThrow();
  });
});

describe('commands on a deployment read its lists table', () => {
  it('publish accepts a list only the lists table has, and refuses one only the lists file has', async () => {
    const accepted = io();
    const brief = join(dir, 'deployed-only-brief.json');
    expect(
      await main(['publish', brief, '--bucket', BUCKET, '--key', 'deployed/one.json', '--lists-table', DEPLOYED_LISTS_TABLE], accepted),
    ).toBe(0);
    expect(accepted.lines.join('\n')).toContain('list deployed-only');
    expect(await exists('briefs/deployed/one.json')).toBe(true);

    const refused = io();
    const weekly = ['publish', 'test/fixtures/valid/minimal.json', '--bucket', BUCKET, '--key', 'deployed/two.json'];
    expect(await main([...weekly, '--lists-table', DEPLOYED_LISTS_TABLE], refused)).toBe(1);
    expect(refused.lines.join('\n')).toMatch(/unknown list "weekly"/);
    expect(await exists('briefs/deployed/two.json')).toBe(false);
  });

  it('publish by bucket alone asks where the lists are instead of guessing from the lists file', async () => {
    const out = io();
    expect(await main(['publish', 'test/fixtures/valid/minimal.json', '--bucket', BUCKET, '--key', 'guess.json'], out)).toBe(2);
    expect(out.lines.join('\n')).toContain('--bucket names a deployment but not its lists: give --stack NAME');
    expect(await exists('briefs/guess.json')).toBe(false);
    // Told the file, it checks against the file, as before.
    expect(
      await main(
        ['publish', 'test/fixtures/valid/minimal.json', '--bucket', BUCKET, '--key', 'guess.json', '--lists', 'config/lists.json'],
        io(),
      ),
    ).toBe(0);
  });

  it('report reads an issue of a list only the lists table has, with that list', async () => {
    const ledger = new DynamoLedger(newDynamoDocumentClient(env), 'ledger');
    await ledger.claimIssue(
      { list: 'deployed-only', id: 'first' },
      { renderedKey: 'rendered/x.json', source: 'briefs/x.json', at: '2026-03-02T09:00:00Z' },
    );
    const out = io();
    expect(
      await main(['report', 'deployed-only', 'first', '--table', 'ledger', '--lists-table', DEPLOYED_LISTS_TABLE, '--json'], out),
    ).toBe(0);
    expect(JSON.parse(out.lines.join('\n'))).toMatchObject({ list: 'deployed-only', id: 'first' });
    const refused = io();
    expect(await main(['report', 'weekly', 'first', '--table', 'ledger', '--lists-table', DEPLOYED_LISTS_TABLE], refused)).toBe(2);
    expect(refused.lines.join('\n')).toContain(
      `unknown list "weekly" (lists: deployed-only; read from lists table ${DEPLOYED_LISTS_TABLE})`,
    );
  });
});

describe('newsbrief breaker against the ledger table', () => {
  it('shows a tripped confirmation breaker per list and resets it', async () => {
    const throttle = awsConfirmationThrottle(env, 'ledger');
    const where = ['--table', 'ledger', '--lists-table', DEPLOYED_LISTS_TABLE];
    const dayOf = (ms: number) => Math.floor(ms / CONFIRMATION_BREAKER_WINDOW_MS);
    // The counters are per UTC day and the CLI reads the real clock: a run that straddles midnight would count
    // in one day and read the next, so such a run is done again (it cannot straddle twice).
    let tripped = io();
    let reset = io();
    let after = io();
    const codes: number[] = [];
    for (let attempt = 0; attempt < 2; attempt++) {
      const started = Date.now();
      await main(['breaker', 'reset-confirmations', 'deployed-only', ...where], io());
      await throttle.add(confirmationCount('deployed-only', 'sent'), started, 20);
      await throttle.add(confirmationCount('deployed-only', 'bounced'), started, 5);
      [tripped, reset, after] = [io(), io(), io()];
      codes.splice(0, codes.length, await main(['breaker', 'status', ...where, '--json'], tripped));
      codes.push(await main(['breaker', 'reset-confirmations', 'deployed-only', ...where], reset));
      codes.push(await main(['breaker', 'status', 'deployed-only', ...where], after));
      if (dayOf(started) === dayOf(Date.now())) break;
    }
    expect(codes).toEqual([1, 0, 0]);
    const { breakers } = JSON.parse(tripped.lines.join('\n')) as { breakers: { list: string; tripped: boolean; bounced: number }[] };
    expect(breakers).toEqual([expect.objectContaining({ list: 'deployed-only', tripped: true, bounced: 5 })]);
    expect(reset.lines.join('\n')).toContain('confirmation breaker reset (it had tripped');
    expect(after.lines.join('\n')).toMatch(/deployed-only\s+ok: 0 confirmation mail\(s\) today, 0 bounced/);
  });
});

describe.skipIf(skipWithout('moto_server'))('commands given --stack NAME', () => {
  let moto: Emulator | undefined;
  afterAll(async () => {
    await moto?.stop();
  });

  it('publish, report and breaker find the bucket, the ledger and the lists from the stack', async () => {
    // moto answers CloudFormation (the stack's outputs); the bucket and tables are on s3rver and dynalite.
    moto = await startMoto();
    await new CloudFormationClient({ endpoint: moto.endpoint }).send(
      new CreateStackCommand({
        StackName: 'Deployed',
        TemplateBody: JSON.stringify({
          Resources: { Placeholder: { Type: 'AWS::SQS::Queue' } },
          // No ListsTableName output: a stack names its lists table <stack>-lists (what this table is called).
          Outputs: {
            BriefsBucketName: { Value: BUCKET },
            LedgerTableName: { Value: 'ledger' },
            SubscribersTableName: { Value: 'subscribers' },
          },
        }),
      }),
    );
    const stackEnv = { ...env, AWS_ENDPOINT_URL_CLOUDFORMATION: moto.endpoint };
    const run = async (...argv: string[]) => {
      const out = io();
      const code = await main(argv, { ...out, env: stackEnv });
      return { code, text: out.lines.join('\n') };
    };
    const published = await run('publish', join(dir, 'deployed-only-brief.json'), '--key', 'stack/one.json', '--stack', 'Deployed');
    expect(published.text).toContain(`s3://${BUCKET}/briefs/stack/one.json (list deployed-only`);
    expect(published.code).toBe(0);
    expect((await run('publish', 'test/fixtures/valid/minimal.json', '--key', 'stack/two.json', '--stack', 'Deployed')).code).toBe(1);
    expect(await exists('briefs/stack/two.json')).toBe(false);

    await new DynamoLedger(newDynamoDocumentClient(env), 'ledger').claimIssue(
      { list: 'deployed-only', id: 'stacked' },
      { renderedKey: 'rendered/y.json', source: 'briefs/y.json', at: '2026-03-02T09:00:00Z' },
    );
    // The stack names the bucket, so the report reads who the issue was for from its rendered issue.
    await new S3Client({ endpoint: s3rver.endpoint, forcePathStyle: true }).send(
      new PutObjectCommand({
        Bucket: BUCKET,
        Key: 'rendered/y.json',
        Body: JSON.stringify({ subject: 'Hi', audience: { tags: ['premium', 'vip'], fields: { country: ['DE', 'AT'] } } }),
      }),
    );
    const report = await run('report', 'deployed-only', 'stacked', '--stack', 'Deployed');
    expect(report.text).toContain('deployed-only');
    expect(report.text).toContain('audience: tagged premium or vip, and country DE or AT — 0 matched');
    expect(report.code).toBe(0);
    // Without an issue id: the list's last issues, found through the ledger's issuesByList index.
    const listReport = await run('report', 'deployed-only', '--stack', 'Deployed');
    expect(listReport.text).toMatch(/^ {2}stacked {2}sent 0 .*tagged premium or vip, and country DE or AT$/m);
    expect(listReport.code).toBe(0);
    expect((await run('breaker', 'status', '--stack', 'Deployed')).text).toMatch(/^deployed-only\s+ok/);
    expect((await run('issue', 'pause', 'deployed-only', 'stacked', '--stack', 'Deployed')).code).toBe(0);
    expect((await run('report', 'deployed-only', 'stacked', '--stack', 'Nowhere')).text).toMatch(/no stack Nowhere/);
  }, 120_000);
});

describe('newsbrief subscribers import --table', () => {
  it('imports normalized rows, reports bad lines and never re-subscribes someone who left', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'csv-'));
    const csv = join(dir, 'readers.csv');
    writeFileSync(
      csv,
      'email,firstName,city\n Ada@Example.ORG ,Ada,London\nnot-an-address,X,\nleft@example.org,Left,\nAda@EXAMPLE.org,,Paris\n',
    );
    const store = awsSubscriberStore(env, 'subscribers');
    await store.upsert({ list: 'weekly', email: 'left@example.org', status: 'unsubscribed' }, '2026-01-01T00:00:00Z');
    const out = io();
    expect(await main(['subscribers', 'import', csv, '--list', 'weekly', '--table', 'subscribers'], out)).toBe(3); // partly imported
    expect(out.lines.join('\n')).toMatch(/1 added.*1 duplicate row\(s\) merged, 1 invalid row\(s\), 1 kept/);
    expect(out.lines.join('\n')).toContain('line 3');
    expect(await store.get('weekly', 'Ada@example.org')).toMatchObject({
      firstName: 'Ada',
      status: 'subscribed',
      attributes: { city: 'Paris' },
    });
    expect((await store.get('weekly', 'left@example.org'))?.status).toBe('unsubscribed');
  });
});
