/**
 * Unsubscribes attributed to their issue on DynamoDB (dynalite, over HTTP): the unsubscribe use-case with the
 * adapters the deployed function uses counts a reader who leaves through an issue's link on that issue, once,
 * however many requests race or repeat; a link without an issue id (mail from before) unsubscribes and counts
 * nowhere.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DynamoFeedbackLedger } from '../../src/adapters/aws/dynamo-feedback-ledger.js';
import { DynamoSubscriberStore } from '../../src/adapters/aws/dynamo-subscriber-store.js';
import { signToken } from '../../src/deliver/tokens.js';
import { type UnsubscribeDeps, unsubscribe } from '../../src/subscribers/unsubscribe.js';
import type { Emulator } from '../support/emulators.js';
import { FakeClock, testKeyring, testLists } from '../support/fakes.js';
import { dynaliteTables } from '../support/newsbrief-tables.js';

const ISSUE = { list: 'weekly', id: '2026-03-02' };

describe('unsubscribes attributed on DynamoDB', () => {
  let dynalite: Emulator;
  let deps: UnsubscribeDeps & { feedback: DynamoFeedbackLedger };
  let subscribers: DynamoSubscriberStore;

  beforeAll(async () => {
    const tables = await dynaliteTables();
    dynalite = tables.dynalite;
    const { db } = tables;
    subscribers = new DynamoSubscriberStore(db, 'subscribers', randomUUID);
    deps = {
      subscribers,
      lists: testLists,
      keyring: testKeyring,
      clock: new FakeClock(),
      feedback: new DynamoFeedbackLedger(db, 'ledger'),
    };
  }, 60_000);
  afterAll(async () => dynalite?.stop());

  const tokenOf = async (email: string, issue?: string) => {
    const reader = await subscribers.upsert({ list: 'weekly', email, status: 'subscribed' }, '2026-03-01T00:00:00Z');
    return signToken({ list: 'weekly', subscriber: reader.id, purpose: 'unsubscribe', ...(issue ? { issue } : {}) }, testKeyring);
  };

  it('counts each reader once on the issue whose link was used, whatever races or repeats', async () => {
    const ada = await tokenOf('ada@example.org', ISSUE.id);
    const bo = await tokenOf('bo@example.org', ISSUE.id);
    // The mail client's one-click and the reader's button at once, then again; a second reader once.
    await Promise.all([0, 1, 2, 3].map(() => unsubscribe(deps, { method: 'POST', token: ada })));
    await unsubscribe(deps, { method: 'POST', token: ada });
    await unsubscribe(deps, { method: 'GET', token: bo });
    expect((await deps.feedback.issueHealth(ISSUE)).counts.unsubscribed).toBe(1);
    await unsubscribe(deps, { method: 'POST', token: bo });
    expect((await deps.feedback.issueHealth(ISSUE)).counts.unsubscribed).toBe(2);
    expect((await subscribers.get('weekly', 'ada@example.org'))!.status).toBe('unsubscribed');
  });

  it('unsubscribes through a link without an issue id and counts it nowhere', async () => {
    const old = await tokenOf('cy@example.org');
    const before = (await deps.feedback.issueHealth(ISSUE)).counts.unsubscribed;
    expect((await unsubscribe(deps, { method: 'POST', token: old })).kind).toBe('unsubscribed');
    expect((await subscribers.get('weekly', 'cy@example.org'))!.status).toBe('unsubscribed');
    expect((await deps.feedback.issueHealth(ISSUE)).counts.unsubscribed).toBe(before);
  });
});
