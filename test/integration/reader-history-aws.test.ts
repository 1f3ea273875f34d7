/**
 * A reader's history on AWS: `newsbrief subscribers show ADDRESS --list L --table T --ledger-table T` against
 * dynalite over HTTP. The list's issues come from the ledger's issuesByList index, the reader's delivery items
 * and once-per-reader claims (opens, clicks, unsubscribe) by BatchGetItem, as the send and feedback paths
 * already write them.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DynamoFeedbackLedger } from '../../src/adapters/aws/dynamo-feedback-ledger.js';
import { DynamoLedger, deliveryPk } from '../../src/adapters/aws/dynamo-ledger.js';
import type { CliIo } from '../../src/cli/command.js';
import { main } from '../../src/cli/main.js';
import { READER_CLAIM_PREFIX } from '../../src/engagement/engagement-counters.js';
import type { IssueRef } from '../../src/model.js';
import { unsubscribeEventKey } from '../../src/subscribers/unsubscribe.js';
import { newDynamoDocumentClient } from '../../src/wiring/aws/clients.js';
import { awsSubscriberStore } from '../../src/wiring/aws.js';
import { type Emulator, startDynalite, useFakeAwsCredentials } from '../support/emulators.js';
import { createNewsbriefTables } from '../support/newsbrief-tables.js';

let dynalite: Emulator;
let env: NodeJS.ProcessEnv;
let listsFile: string;
const issue = (id: string): IssueRef => ({ list: 'weekly', id });

beforeAll(async () => {
  useFakeAwsCredentials();
  dynalite = await startDynalite();
  env = { ...process.env, AWS_ENDPOINT_URL_DYNAMODB: dynalite.endpoint, AWS_REGION: 'us-east-1' };
  await createNewsbriefTables(new DynamoDBClient({ endpoint: dynalite.endpoint, region: 'us-east-1' }));
  // weekly as configured, tracking opens and clicks.
  const lists = JSON.parse(readFileSync('config/lists.json', 'utf8')) as { lists: { id: string }[] };
  listsFile = join(mkdtempSync(join(tmpdir(), 'reader-history-')), 'lists.json');
  writeFileSync(
    listsFile,
    JSON.stringify({
      ...lists,
      lists: lists.lists.map((l) => (l.id === 'weekly' ? { ...l, tracking: { opens: true, clicks: true } } : l)),
    }),
  );

  const docs = newDynamoDocumentClient(env);
  const ledger = new DynamoLedger(docs, 'ledger');
  const feedback = new DynamoFeedbackLedger(docs, 'ledger');
  const store = awsSubscriberStore(env, 'subscribers');
  const reader = await store.upsert({ list: 'weekly', email: 'Ada@example.org', status: 'subscribed' }, '2026-03-01T00:00:00Z');
  const other = await store.upsert({ list: 'weekly', email: 'bob@example.org', status: 'subscribed' }, '2026-03-01T00:00:00Z');
  const delivered = async (id: string, subscriberId: string) =>
    docs.send(
      new PutCommand({
        TableName: 'ledger',
        Item: {
          pk: deliveryPk(issue(id), subscriberId),
          kind: 'delivery',
          status: 'sent',
          attempt: 1,
          claimedAt: `2026-03-0${id.at(-1)}T08:00:00.000Z`,
          completedAt: `2026-03-0${id.at(-1)}T08:00:01.000Z`,
          messageId: `m-${id}-${subscriberId}`,
        },
      }),
    );
  for (const [day, id] of [
    [1, 'w-1'],
    [2, 'w-2'],
    [3, 'w-3'],
  ] as const)
    await ledger.claimIssue(issue(id), {
      renderedKey: `rendered/weekly/${id}/issue.json`,
      source: 'b',
      at: `2026-03-0${day}T08:00:00.000Z`,
    });
  // w-1: delivered, opened, clicked link 2. w-2: not for them (an audience); Bob got it. w-3: delivered, left through it.
  await delivered('w-1', reader.id);
  await delivered('w-2', other.id);
  await delivered('w-3', reader.id);
  await feedback.claimEngagement(issue('w-1'), `${READER_CLAIM_PREFIX}open#human#${reader.id}`);
  await feedback.claimEngagement(issue('w-1'), `${READER_CLAIM_PREFIX}click#human#${reader.id}`);
  await feedback.claimEngagement(issue('w-1'), `${READER_CLAIM_PREFIX}link-2#${reader.id}`);
  // Bob's claims are on the same issues: none of them may show up in Ada's history.
  await feedback.claimEngagement(issue('w-3'), `${READER_CLAIM_PREFIX}open#human#${other.id}`);
  await feedback.countFeedbackOnce(issue('w-3'), unsubscribeEventKey(reader.id), 'unsubscribed');
}, 60_000);

afterAll(async () => dynalite?.stop());

function io(): CliIo & { lines: string[] } {
  const lines: string[] = [];
  return { lines, out: (t) => lines.push(t), err: (t) => lines.push(t), cwd: process.cwd(), env, isTty: false };
}

describe('newsbrief subscribers show on AWS: who got what', () => {
  const args = (...extra: string[]) => [
    '--list',
    'weekly',
    '--table',
    'subscribers',
    '--ledger-table',
    'ledger',
    '--lists',
    listsFile,
    ...extra,
  ];

  it('prints the issues sent to them, newest first, with opens, clicks and the issue they left through', async () => {
    const out = io();
    expect(await main(['subscribers', 'show', 'ada@EXAMPLE.org', ...args()], out)).toBe(0);
    const text = out.lines.join('\n');
    expect(text).toContain("history    2 of the list's last 3 issue(s) sent to them");
    const rows = text.split('\n').filter((line) => /^ {4}w-\d/.test(line));
    expect(rows).toEqual([
      '    w-3  sent 2026-03-03T08:00:01.000Z  opened no  clicked no  left through this issue',
      '    w-1  sent 2026-03-01T08:00:01.000Z  opened yes  clicked yes',
    ]);
  });

  it('--json carries the same history for scripts', async () => {
    const out = io();
    expect(await main(['subscribers', 'show', 'ada@example.org', ...args('--json')], out)).toBe(0);
    const doc = JSON.parse(out.lines.at(-1)!) as { histories: { list: string; examined: number; issues: Record<string, unknown>[] }[] };
    expect(doc.histories).toHaveLength(1);
    expect(doc.histories[0]).toMatchObject({ list: 'weekly', examined: 3 });
    expect(doc.histories[0]!.issues.map((i) => [i.issue, i.opened, i.clickedAny, i.leftHere])).toEqual([
      ['w-3', 'no', false, true],
      ['w-1', 'human', true, false],
    ]);
    expect(doc.histories[0]!.issues[1]!.delivery).toMatchObject({ status: 'sent', messageId: expect.stringMatching(/^m-w-1-/) });
  });

  it('says where to find the ledger when --table names none, and refuses --ledger-table without --table', async () => {
    const out = io();
    expect(
      await main(['subscribers', 'show', 'ada@example.org', '--list', 'weekly', '--table', 'subscribers', '--lists', listsFile], out),
    ).toBe(0);
    expect(out.lines.join('\n')).toContain('history    not read: --table names no ledger (give --ledger-table T, or --stack NAME)');
    expect(await main(['subscribers', 'show', 'ada@example.org', '--ledger-table', 'ledger'], io())).toBe(2);
  });
});
