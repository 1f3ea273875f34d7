/**
 * A list's issues on AWS: the ledger's sparse issuesByList index (created as lib/delivery-tables.ts declares it)
 * on dynalite over HTTP, read by DynamoIssueLog, and `newsbrief report LIST --table` writing the list's page
 * from it. Deliveries, counter shards and feedback claims share the table and must never show up as issues.
 */
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DynamoFeedbackLedger } from '../../src/adapters/aws/dynamo-feedback-ledger.js';
import { DynamoIssueLog } from '../../src/adapters/aws/dynamo-issue-log.js';
import { DynamoLedger, deliveryPk } from '../../src/adapters/aws/dynamo-ledger.js';
import type { CliIo } from '../../src/cli/command.js';
import { main } from '../../src/cli/main.js';
import { newDynamoDocumentClient } from '../../src/wiring/aws/clients.js';
import { type Emulator, startDynalite, useFakeAwsCredentials } from '../support/emulators.js';
import { createNewsbriefTables } from '../support/newsbrief-tables.js';

let dynalite: Emulator;
let env: NodeJS.ProcessEnv;
let ledger: DynamoLedger;
let log: DynamoIssueLog;

const claimedAt = (day: number) => `2026-03-${String(day).padStart(2, '0')}T08:00:00.000Z`;

beforeAll(async () => {
  useFakeAwsCredentials();
  dynalite = await startDynalite();
  env = { ...process.env, AWS_ENDPOINT_URL_DYNAMODB: dynalite.endpoint, AWS_REGION: 'us-east-1' };
  await createNewsbriefTables(new DynamoDBClient({ endpoint: dynalite.endpoint, region: 'us-east-1' }));
  const docs = newDynamoDocumentClient(env);
  ledger = new DynamoLedger(docs, 'ledger');
  log = new DynamoIssueLog(docs, 'ledger');
  const feedback = new DynamoFeedbackLedger(docs, 'ledger');
  // 15 issues of weekly claimed out of order, 2 of another list; each with deliveries, counters and feedback claims.
  const days = [3, 1, 15, 7, 2, 9, 4, 14, 5, 11, 6, 13, 8, 12, 10];
  for (const day of days) {
    const issue = { list: 'weekly', id: `w-${day}` };
    await ledger.claimIssue(issue, { renderedKey: `rendered/weekly/w-${day}/issue.json`, source: 'briefs/x.json', at: claimedAt(day) });
    await ledger.markPagePlanned(issue, 0, 100 + day, undefined);
    // Delivery items as the send job leaves them (written directly: dynalite has no TransactWriteItems), with claimedAt.
    for (const subscriber of ['s1', 's2'])
      await docs.send(
        new PutCommand({
          TableName: 'ledger',
          Item: {
            pk: deliveryPk(issue, subscriber),
            kind: 'delivery',
            status: 'sent',
            attempt: 1,
            claimedAt: claimedAt(day),
            completedAt: claimedAt(day),
            messageId: `m-${day}-${subscriber}`,
          },
        }),
      );
    await ledger.addCounts(issue, { sent: 98 + day });
    await feedback.countFeedbackOnce(issue, `m-${day}-s1#unsubscribe`, 'unsubscribed');
  }
  for (const day of [20, 21])
    await ledger.claimIssue({ list: 'morning-digest', id: `d-${day}` }, { renderedKey: 'r', source: 's', at: claimedAt(day) });
}, 60_000);

afterAll(async () => dynalite?.stop());

describe('DynamoIssueLog on the issuesByList index', () => {
  it("returns a list's most recent issues newest first, only that list's, and never a delivery or a counter", async () => {
    const recent = await log.recentIssues('weekly', 12);
    expect(recent.map((i) => i.id)).toEqual([15, 14, 13, 12, 11, 10, 9, 8, 7, 6, 5, 4].map((d) => `w-${d}`));
    expect(recent[0]).toEqual({ list: 'weekly', id: 'w-15', claimedAt: claimedAt(15) });
    expect((await log.recentIssues('weekly', 100)).length).toBe(15);
    expect((await log.recentIssues('morning-digest', 5)).map((i) => i.id)).toEqual(['d-21', 'd-20']);
    expect(await log.recentIssues('nobody', 5)).toEqual([]);
  });
});

describe('newsbrief report LIST --table (the list page from the deployed ledger)', () => {
  const io = (): CliIo & { lines: string[] } => {
    const lines: string[] = [];
    return { lines, out: (t) => lines.push(t), err: (t) => lines.push(t), cwd: process.cwd(), env, isTty: false };
  };

  it('prints the last 12 issues newest first and writes the list page, oldest first', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'list-report-')), 'weekly.html');
    const out = io();
    const code = await main(['report', 'weekly', '--table', 'ledger', '--lists', 'config/lists.json', '--html', file], out);
    expect(code).toBe(0);
    const text = out.lines.join('\n');
    expect(text).toContain('weekly: the last 12 issues, newest first');
    expect(text).toMatch(/^ {2}w-15 {2}sent 113 {2}opened — {2}clicked — {2}unsubscribed 1$/m);
    expect(text).not.toContain('w-3 ');
    const page = readFileSync(file, 'utf8');
    expect(page).toMatch(/^<!doctype html>/);
    const drawn = [...page.matchAll(/aria-label="Unsubscribes per issue: ([^"]+)"/g)].map((m) => m[1]);
    expect(drawn).toEqual([`${[4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15].map((d) => `w-${d}: 1`).join('; ')}.`]);
    expect(page).not.toMatch(/<script|d-2[01]/);
  });

  it('--json gives the reports newest first; an unknown list is a usage error; --write needs an issue', async () => {
    const out = io();
    expect(await main(['report', 'morning-digest', '--table', 'ledger', '--lists', 'config/lists.json', '--json'], out)).toBe(0);
    const doc = JSON.parse(out.lines.join('\n'));
    expect(doc).toMatchObject({ format: 'newsbrief/list-report@1', list: 'morning-digest' });
    expect(doc.issues.map((r: { id: string }) => r.id)).toEqual(['d-21', 'd-20']);
    expect(await main(['report', 'nope', '--table', 'ledger', '--lists', 'config/lists.json'], io())).toBe(2);
    expect(await main(['report', 'weekly', '--write'], io())).toBe(2);
  });
});
