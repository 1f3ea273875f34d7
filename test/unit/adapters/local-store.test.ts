/** The embedded store keeps DynamoDB's claim rules, also between two instances on one state folder. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { LocalStore } from '../../../src/adapters/local/local-store.js';

const AT = '2026-11-26T10:00:00.000Z';
const NOW = Date.parse(AT);
/** A claim by `holder` at NOW with a one-minute lease. */
const lease = (holder = 'local:test:1:a', nowMs = NOW) => ({ at: new Date(nowMs).toISOString(), nowMs, holder, until: nowMs + 60_000 });
const state = async (claim: Promise<{ state: string }>) => (await claim).state;
const issue = { list: 'weekly', id: 'issue-1' };
const dirs: string[] = [];
const tempDir = () => {
  const dir = mkdtempSync(join(tmpdir(), 'newsbrief-store-'));
  dirs.push(dir);
  return dir;
};
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

describe('LocalStore', () => {
  it('claims an issue once, and a delivery once: done after completion, busy for another holder before', async () => {
    const store = new LocalStore(tempDir());
    expect(await store.claimIssue(issue, { renderedKey: 'k', source: 's', at: AT })).toBe(true);
    expect(await store.claimIssue(issue, { renderedKey: 'k', source: 's', at: AT })).toBe(false);
    expect(await state(store.claimDelivery(issue, 'sub-1', lease()))).toBe('claimed');
    expect(await state(store.claimDelivery(issue, 'sub-1', lease('other')))).toBe('busy');
    expect((await store.getIssue(issue))?.counts).toMatchObject({ sent: 0, unknown: 0 });
    await store.completeDelivery(issue, 'sub-1', { status: 'sent', messageId: 'm1' }, AT);
    expect(await state(store.claimDelivery(issue, 'sub-1', lease()))).toBe('done');
    expect((await store.getIssue(issue))?.counts).toMatchObject({ sent: 1 });
    await store.releaseDelivery(issue, 'sub-1'); // a completed delivery is never released
    expect(await state(store.claimDelivery(issue, 'sub-1', lease()))).toBe('done');
  });

  it('releases an open claim so that a retry may send', async () => {
    const store = new LocalStore(tempDir());
    expect(await state(store.claimDelivery(issue, 'sub-2', lease()))).toBe('claimed');
    await store.releaseDelivery(issue, 'sub-2');
    expect(await state(store.claimDelivery(issue, 'sub-2', lease()))).toBe('claimed');
  });

  it('marks plan pages only in order and keeps the cursor', async () => {
    const store = new LocalStore(tempDir());
    await store.claimIssue(issue, { renderedKey: 'k', source: 's', at: AT });
    expect(await store.markPagePlanned(issue, 1, 10, undefined)).toBe(false);
    expect(await store.markPagePlanned(issue, 0, 10, 'b@example.com')).toBe(true);
    expect(await store.markPagePlanned(issue, 0, 10, 'b@example.com')).toBe(false);
    expect(await store.getIssue(issue)).toMatchObject({
      plannedPage: 0,
      nextCursor: 'b@example.com',
      planComplete: false,
      counts: { planned: 10 },
    });
  });

  it('pages subscribed members in address order, skipping everyone else', async () => {
    const store = new LocalStore(tempDir());
    for (const email of ['c@example.com', 'a@example.com', 'b@example.com', 'd@example.com']) {
      await store.upsert({ list: 'weekly', email, status: email === 'b@example.com' ? 'unsubscribed' : 'subscribed' }, AT);
    }
    const first = await store.pageSubscribed('weekly', undefined, 2);
    expect(first.subscribers.map((s) => s.email)).toEqual(['a@example.com', 'c@example.com']);
    const second = await store.pageSubscribed('weekly', first.next, 2);
    expect(second.subscribers.map((s) => s.email)).toEqual(['d@example.com']);
    expect(second.next).toBeUndefined();
  });

  it('keeps a subscriber’s id and creation time on update', async () => {
    const store = new LocalStore(tempDir());
    const first = await store.upsert({ list: 'weekly', email: 'a@example.com', status: 'subscribed' }, AT);
    const again = await store.upsert(
      { list: 'weekly', email: 'a@example.com', firstName: 'Ada', status: 'subscribed' },
      '2026-12-01T00:00:00.000Z',
    );
    expect(again).toMatchObject({ id: first.id, createdAt: AT, firstName: 'Ada' });
    expect(await store.findById('weekly', first.id)).toMatchObject({ email: 'a@example.com' });
  });

  it('sees what another instance on the same folder wrote, so two processes never both claim', async () => {
    const dir = tempDir();
    const studio = new LocalStore(dir);
    const cli = new LocalStore(dir);
    expect(await state(studio.claimDelivery(issue, 'sub-3', lease()))).toBe('claimed');
    expect(await state(cli.claimDelivery(issue, 'sub-3', lease('other')))).toBe('busy');
    await cli.setStatus('weekly', 'nobody@example.com', 'unsubscribed', AT);
    expect(await state(new LocalStore(dir).claimDelivery(issue, 'sub-3', lease('other')))).toBe('busy'); // and a restart remembers
  });

  it('resolves at once a claim whose process is gone, and waits for the lease of one that runs', async () => {
    const dir = tempDir();
    const gone = new Set(['local:host:111:dead']);
    const store = new LocalStore(dir, (holder) => gone.has(holder));
    expect(await state(store.claimDelivery(issue, 'sub-5', lease('local:host:111:dead')))).toBe('claimed');
    expect(await state(store.claimDelivery(issue, 'sub-6', lease('local:host:222:alive')))).toBe('claimed');
    expect(await store.claimDelivery(issue, 'sub-5', lease('local:host:333:next'))).toEqual({ state: 'claimed', attempt: 2 });
    expect(await store.claimDelivery(issue, 'sub-6', lease('local:host:333:next'))).toEqual({ state: 'busy', retryAt: NOW + 2_000 });
    // Past its lease even a holder that seems alive (a reused pid) is overtaken.
    expect(await store.claimDelivery(issue, 'sub-6', lease('local:host:333:next', NOW + 60_001))).toEqual({ state: 'claimed', attempt: 2 });
  });

  it('moves the counts with each delivery, across instances and restarts', async () => {
    const dir = tempDir();
    const store = new LocalStore(dir);
    await store.claimIssue(issue, { renderedKey: 'k', source: 's', at: AT });
    for (const id of ['a', 'b', 'c']) await store.claimDelivery(issue, id, lease());
    await store.completeDelivery(issue, 'a', { status: 'sent', messageId: 'm-a' }, AT);
    await store.completeDelivery(issue, 'b', { status: 'unknown', reason: 'reset', retryAt: NOW }, AT);
    await store.completeDelivery(issue, 'c', { status: 'failed', reason: 'rejected' }, AT);
    expect((await new LocalStore(dir).getIssue(issue))?.counts).toMatchObject({ sent: 1, unknown: 1, failed: 1 });
    // The unknown one is claimed again after its grace, and sent: unknown goes back to 0.
    expect(await store.claimDelivery(issue, 'b', lease('x', NOW + 1))).toEqual({ state: 'claimed', attempt: 2 });
    expect(await store.completeDelivery(issue, 'b', { status: 'sent', messageId: 'm-b' }, AT)).toBe(true);
    expect(await store.completeDelivery(issue, 'b', { status: 'sent', messageId: 'm-b' }, AT)).toBe(false);
    expect((await new LocalStore(dir).getIssue(issue))?.counts).toMatchObject({ sent: 2, unknown: 0, failed: 1 });
  });
});
