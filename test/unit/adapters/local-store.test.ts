/** The embedded store keeps DynamoDB's claim rules, also between two instances on one state folder. */
import { mkdtempSync, rmSync, appendFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { LocalStore, STORE_FILE } from '../../../src/adapters/local/local-store.js';

const AT = '2026-11-26T10:00:00.000Z';
const issue = { list: 'weekly', id: 'issue-1' };
const dirs: string[] = [];
const tempDir = () => {
  const dir = mkdtempSync(join(tmpdir(), 'newsbrief-store-'));
  dirs.push(dir);
  return dir;
};
afterEach(() => dirs.splice(0).forEach((d) => rmSync(d, { recursive: true, force: true })));

describe('LocalStore', () => {
  it('claims an issue once, and a delivery once: done after completion, in-flight before', async () => {
    const store = new LocalStore(tempDir());
    expect(await store.claimIssue(issue, { renderedKey: 'k', source: 's', at: AT })).toBe(true);
    expect(await store.claimIssue(issue, { renderedKey: 'k', source: 's', at: AT })).toBe(false);
    expect(await store.claimDelivery(issue, 'sub-1', AT)).toBe('claimed');
    expect(await store.claimDelivery(issue, 'sub-1', AT)).toBe('in-flight');
    await store.completeDelivery(issue, 'sub-1', { status: 'sent', messageId: 'm1' }, AT);
    expect(await store.claimDelivery(issue, 'sub-1', AT)).toBe('done');
    await store.releaseDelivery(issue, 'sub-1'); // a completed delivery is never released
    expect(await store.claimDelivery(issue, 'sub-1', AT)).toBe('done');
  });

  it('releases an open claim so that a retry may send', async () => {
    const store = new LocalStore(tempDir());
    expect(await store.claimDelivery(issue, 'sub-2', AT)).toBe('claimed');
    await store.releaseDelivery(issue, 'sub-2');
    expect(await store.claimDelivery(issue, 'sub-2', AT)).toBe('claimed');
  });

  it('marks plan pages only in order and keeps the cursor', async () => {
    const store = new LocalStore(tempDir());
    await store.claimIssue(issue, { renderedKey: 'k', source: 's', at: AT });
    expect(await store.markPagePlanned(issue, 1, 10, undefined)).toBe(false);
    expect(await store.markPagePlanned(issue, 0, 10, 'b@example.com')).toBe(true);
    expect(await store.markPagePlanned(issue, 0, 10, 'b@example.com')).toBe(false);
    expect(await store.getIssue(issue)).toMatchObject({ plannedPage: 0, nextCursor: 'b@example.com', planComplete: false, counts: { planned: 10 } });
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
    const again = await store.upsert({ list: 'weekly', email: 'a@example.com', firstName: 'Ada', status: 'subscribed' }, '2026-12-01T00:00:00.000Z');
    expect(again).toMatchObject({ id: first.id, createdAt: AT, firstName: 'Ada' });
    expect(await store.findById('weekly', first.id)).toMatchObject({ email: 'a@example.com' });
  });

  it('sees what another instance on the same folder wrote, so two processes never both claim', async () => {
    const dir = tempDir();
    const studio = new LocalStore(dir);
    const cli = new LocalStore(dir);
    expect(await studio.claimDelivery(issue, 'sub-3', AT)).toBe('claimed');
    expect(await cli.claimDelivery(issue, 'sub-3', AT)).toBe('in-flight');
    await cli.setStatus('weekly', 'nobody@example.com', 'unsubscribed', AT);
    expect(await new LocalStore(dir).claimDelivery(issue, 'sub-3', AT)).toBe('in-flight'); // and a restart remembers
  });

  it('survives a line cut short by a crash', async () => {
    const dir = tempDir();
    await new LocalStore(dir).claimIssue(issue, { renderedKey: 'k', source: 's', at: AT });
    appendFileSync(join(dir, STORE_FILE), '{"t":"delivery","k":"weekly#iss');
    const reopened = new LocalStore(dir);
    expect(await reopened.getIssue(issue)).toBeDefined();
    expect(await reopened.claimDelivery(issue, 'sub-4', AT)).toBe('claimed');
    expect(await new LocalStore(dir).claimDelivery(issue, 'sub-4', AT)).toBe('in-flight');
  });
});
