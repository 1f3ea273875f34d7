/** `newsbrief publish` and `newsbrief subscribers import --table` against s3rver and dynalite over HTTP. */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { HeadObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CliIo } from '../../src/cli/command.js';
import { main } from '../../src/cli/main.js';
import { awsSubscriberStore } from '../../src/wiring/aws.js';
import { startDynalite, startS3rver, useFakeAwsCredentials, type Emulator } from '../support/emulators.js';
import { createNewsbriefTables } from '../support/newsbrief-tables.js';

const BUCKET = 'cli-briefs';
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
  await createNewsbriefTables(new DynamoDBClient({ endpoint: dynalite.endpoint }));
});

afterAll(async () => {
  await Promise.all([s3rver?.stop(), dynalite?.stop()]);
});

describe('newsbrief publish', () => {
  it('uploads a valid brief under briefs/', async () => {
    const out = io();
    expect(await main(['publish', 'test/fixtures/valid/minimal.json', '--bucket', BUCKET], out)).toBe(0);
    expect(out.lines.join('\n')).toContain(`s3://${BUCKET}/briefs/minimal.json`);
    const head = await new S3Client({ endpoint: s3rver.endpoint, forcePathStyle: true }).send(
      new HeadObjectCommand({ Bucket: BUCKET, Key: 'briefs/minimal.json' }),
    );
    expect(head.ContentType).toBe('application/json');
  });

  it('refuses an invalid brief with its problems and uploads nothing', async () => {
    const out = io();
    expect(await main(['publish', 'test/fixtures/invalid/bad-version.json', '--bucket', BUCKET], out)).toBe(1);
    expect(out.lines.join('\n')).toContain('/version');
    const s3 = new S3Client({ endpoint: s3rver.endpoint, forcePathStyle: true });
    await expect(s3.send(new HeadObjectCommand({ Bucket: BUCKET, Key: 'briefs/bad-version.json' }))).rejects.toThrow();
  });
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
