/**
 * The EngagementLedger of every environment against one contract: DynamoDB's on dynalite (conditional
 * PutItem claims, ADD on the counter shards, as DynamoDB evaluates them), local mode's SQLite store, and the
 * in-process one. Then SES Open/Click fixtures through applySesFeedback over DynamoDB, redelivered.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type DynamoDBDocumentClient, ScanCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DynamoFeedbackLedger } from '../../src/adapters/aws/dynamo-feedback-ledger.js';
import { DynamoLedger } from '../../src/adapters/aws/dynamo-ledger.js';
import { DynamoSubscriberStore } from '../../src/adapters/aws/dynamo-subscriber-store.js';
import { DynamoConfirmationThrottle } from '../../src/adapters/aws/dynamo-confirmation-throttle.js';
import { LocalStore } from '../../src/adapters/local/local-store.js';
import { MemoryLedger } from '../../src/adapters/memory/memory-ledger.js';
import { DEFAULT_BREAKER_POLICY } from '../../src/config/breaker-policy.js';
import { foldEngagement } from '../../src/engagement/engagement-counters.js';
import { applySesFeedback } from '../../src/feedback/apply-feedback.js';
import { parseSesEvent } from '../../src/feedback/parse-ses-event.js';
import type { EngagementLedger } from '../../src/ports.js';
import { FakeClock } from '../support/fakes.js';
import type { Emulator } from '../support/emulators.js';
import { dynaliteTables } from '../support/newsbrief-tables.js';
import { LEDGER_TTL_ATTRIBUTE } from '../../src/config/table-indexes.js';
import { type EngagementFixture, engagementFixture, listsTracking } from '../support/engagement-events.js';

const ISSUE = { list: 'weekly', id: '2026-03-02' };
const OTHER = { list: 'weekly', id: '2026-03-09' };

let dynalite: Emulator;
let db: DynamoDBDocumentClient;
let stateDir: string;
let local: LocalStore;

beforeAll(async () => {
  ({ dynalite, db } = await dynaliteTables());
  stateDir = mkdtempSync(join(tmpdir(), 'newsbrief-engagement-'));
  local = new LocalStore(stateDir);
});
afterAll(async () => {
  local?.close();
  if (stateDir) rmSync(stateDir, { recursive: true, force: true });
  await dynalite?.stop();
});

const adapters: Array<[string, () => EngagementLedger]> = [
  ['DynamoFeedbackLedger', () => new DynamoFeedbackLedger(db, 'ledger')],
  ['LocalStore', () => local],
  ['MemoryLedger', () => new MemoryLedger()],
];

describe.each(adapters)('%s as EngagementLedger', (_name, make) => {
  it('claims a key once, per issue', async () => {
    const ledger = make();
    expect(await ledger.claimEngagement(ISSUE, 'engagement#m1#open#t1')).toBe(true);
    expect(await ledger.claimEngagement(ISSUE, 'engagement#m1#open#t1')).toBe(false);
    expect(await ledger.claimEngagement(OTHER, 'engagement#m1#open#t1')).toBe(true);
  });

  it('adds counters atomically, keeps issues apart, and reads them back summed', async () => {
    const ledger = make();
    await Promise.all(Array.from({ length: 12 }, () => ledger.addEngagement(ISSUE, { e_open: 1, e_hour_3_open: 1 })));
    await ledger.addEngagement(ISSUE, { e_link_2: 2 });
    await ledger.addEngagement(OTHER, { e_open: 5 });
    expect(await ledger.engagementCounters(ISSUE)).toEqual({ e_open: 12, e_hour_3_open: 12, e_link_2: 2 });
    expect(await ledger.engagementCounters(OTHER)).toEqual({ e_open: 5 });
    expect(await ledger.engagementCounters({ list: 'weekly', id: 'never' })).toEqual({});
  });

  it("records a reader's clicks and returns a time per link clicked, per reader and issue, a repeat changing nothing", async () => {
    const ledger = make();
    const reader = `sub-${Math.random().toString(36).slice(2)}`;
    const byLink = (clicks: readonly { position: number; atMs: number }[]) => [...clicks].sort((a, b) => a.position - b.position);
    const counters = await ledger.engagementCounters(ISSUE);
    expect(await ledger.recordReaderClick(ISSUE, reader, { position: 2, atMs: 1_000 })).toEqual([{ position: 2, atMs: 1_000 }]);
    expect(byLink(await ledger.recordReaderClick(ISSUE, reader, { position: 2, atMs: 1_000 }))).toEqual([{ position: 2, atMs: 1_000 }]);
    // A burst written at once: the last write sees every link.
    await Promise.all([3, 4].map((position) => ledger.recordReaderClick(ISSUE, reader, { position, atMs: 2_000 + position })));
    expect(byLink(await ledger.recordReaderClick(ISSUE, reader, { position: 1, atMs: 9_000 }))).toEqual([
      { position: 1, atMs: 9_000 },
      { position: 2, atMs: 1_000 },
      { position: 3, atMs: 2_003 },
      { position: 4, atMs: 2_004 },
    ]);
    // A later click on a link: its newest time.
    expect(byLink(await ledger.recordReaderClick(ISSUE, reader, { position: 2, atMs: 60_000 }))[1]).toEqual({ position: 2, atMs: 60_000 });
    // Another reader, another issue: nothing of these.
    expect(await ledger.recordReaderClick(ISSUE, `${reader}-2`, { position: 1, atMs: 5 })).toEqual([{ position: 1, atMs: 5 }]);
    expect(await ledger.recordReaderClick(OTHER, reader, { position: 1, atMs: 5 })).toEqual([{ position: 1, atMs: 5 }]);
    // Recorded clicks are no counters.
    expect(await ledger.engagementCounters(ISSUE)).toEqual(counters);
  });
});

describe('SES Open and Click events over DynamoDB', () => {
  it('counts each event once however often SNS delivers it, and stores no address, IP or user agent', async () => {
    const feedback = new DynamoFeedbackLedger(db, 'ledger');
    const issue = { list: 'weekly', id: '2026-03-02' };
    const deps = {
      subscribers: new DynamoSubscriberStore(db, 'subscribers', () => 'unused'),
      ledger: new DynamoLedger(db, 'ledger'),
      feedback,
      confirmations: new DynamoConfirmationThrottle(db, 'ledger'),
      lists: listsTracking({ opens: true, clicks: true }),
      clock: new FakeClock(),
      breaker: DEFAULT_BREAKER_POLICY,
      engagement: {
        ledger: feedback,
        links: async () => [{ position: 1, url: 'https://example.com/story-one?utm_source=weekly&ref=1', text: 'Story one' }],
      },
    };
    const apply = (name: EngagementFixture) => {
      const parsed = parseSesEvent(JSON.stringify(engagementFixture(name)));
      if (!parsed.ok) throw new Error(parsed.ignored);
      return applySesFeedback(deps, { ...parsed.feedback, issue });
    };
    const before = await feedback.engagementCounters(issue);
    for (const name of ['open', 'open', 'open-apple-privacy', 'click', 'click', 'click-scanner', 'click-unknown-link'] as const)
      await apply(name);
    const delta = Object.fromEntries(Object.entries(await feedback.engagementCounters(issue)).map(([k, v]) => [k, v - (before[k] ?? 0)]));
    const counts = foldEngagement(
      delta,
      [{ position: 1, url: 'https://example.com/story-one?utm_source=weekly&ref=1', text: 'Story one' }],
      {
        opens: true,
        clicks: true,
      },
    );
    expect(counts.opens).toEqual({ total: 1, unique: 1 });
    expect(counts.machineOpens).toEqual({ total: 1, unique: 1 });
    expect(counts.clicks).toEqual({ total: 1, unique: 1 });
    expect(counts.machineClicks).toEqual({ total: 1, unique: 1 });
    expect(counts.links[0]).toMatchObject({ position: 1, total: 1, unique: 1, machine: 1 });

    const { Items = [] } = await db.send(new ScanCommand({ TableName: 'ledger' }));
    const stored = JSON.stringify(Items);
    expect(stored).not.toMatch(/happy@example\.org|icloud|192\.0\.2\.1|17\.58\.101\.4|iPhone|Mozilla/);
    // Event claims expire after SNS's redeliveries; a reader's "first open" claim lasts as long as the issue is read.
    const days = (item: Record<string, any>) => (Number(item[LEDGER_TTL_ATTRIBUTE]) - Date.now() / 1000) / 86_400;
    const claims = Items.filter((item) => String(item.pk).startsWith('feedback#weekly#2026-03-02#engagement#'));
    const readers = claims.filter((item) => String(item.pk).includes('#engagement#reader#'));
    expect(readers.length).toBeGreaterThan(0);
    expect(readers.every((item) => days(item) > 365)).toBe(true);
    expect(claims.filter((item) => !readers.includes(item)).every((item) => days(item) < 31)).toBe(true);
  });
});
