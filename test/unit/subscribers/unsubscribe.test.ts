import { beforeEach, describe, expect, it } from 'vitest';
import { MemoryLedger } from '../../../src/adapters/memory/memory-ledger.js';
import type { MemorySubscriberStore } from '../../../src/adapters/memory/memory-stores.js';
import { parseKeyring, signToken } from '../../../src/deliver/tokens.js';
import { unsubscribePage } from '../../../src/subscribers/lifecycle-page.js';
import { unsubscribe, type UnsubscribeDeps } from '../../../src/subscribers/unsubscribe.js';
import { subscribedReader, testKeyring, testLists } from '../../support/fakes.js';

describe('unsubscribe', () => {
  let store: MemorySubscriberStore;
  let deps: UnsubscribeDeps;
  let token: string;

  beforeEach(async () => {
    ({ store, deps, token } = await subscribedReader());
  });

  it('GET shows the confirm page and changes nothing', async () => {
    const outcome = await unsubscribe(deps, { method: 'GET', token });
    expect(outcome).toMatchObject({ kind: 'confirm', maskedEmail: 'a••@example.org', token });
    expect((await store.get('weekly', 'ada@example.org'))!.status).toBe('subscribed');
    const page = unsubscribePage(outcome, testLists);
    expect(page.status).toBe(200);
    expect(page.html).toContain('a••@example.org will receive no more issues of The Weekly Brief.');
    expect(page.html).toContain('The Weekly Brief');
    expect(page.html).toContain('<input type="hidden" name="List-Unsubscribe" value="One-Click">');
  });

  it('one-click POST unsubscribes at once; a repeated POST is a harmless 200', async () => {
    const first = await unsubscribe(deps, { method: 'POST', token });
    expect(first.kind).toBe('unsubscribed');
    expect((await store.get('weekly', 'ada@example.org'))!.status).toBe('unsubscribed');
    const again = await unsubscribe(deps, { method: 'POST', token });
    expect(unsubscribePage(again, testLists).status).toBe(200);
    expect((await unsubscribe(deps, { method: 'GET', token })).kind).toBe('not-subscribed');
  });

  it('counts the unsubscribe on the issue named by the link, once per reader however often it is used', async () => {
    const ledger = new MemoryLedger();
    const issue = { list: 'weekly', id: '2026-03-02' };
    const issueToken = signToken({ list: 'weekly', subscriber: 'sub-1', purpose: 'unsubscribe', issue: issue.id }, testKeyring);
    const withLedger = { ...deps, feedback: ledger };

    // GET (a link scanner) counts nothing; one-click, the page's button and a retried POST count once.
    await unsubscribe(withLedger, { method: 'GET', token: issueToken });
    expect((await ledger.issueHealth(issue)).counts.unsubscribed).toBe(0);
    await Promise.all([
      unsubscribe(withLedger, { method: 'POST', token: issueToken }),
      unsubscribe(withLedger, { method: 'POST', token: issueToken }),
    ]);
    await unsubscribe(withLedger, { method: 'POST', token: issueToken });
    expect((await ledger.issueHealth(issue)).counts.unsubscribed).toBe(1);
  });

  it('counts nothing for a link without an issue (mail sent before links named one)', async () => {
    const ledger = new MemoryLedger();
    expect((await unsubscribe({ ...deps, feedback: ledger }, { method: 'POST', token })).kind).toBe('unsubscribed');
    expect((await ledger.issueHealth({ list: 'weekly', id: '2026-03-02' })).counts.unsubscribed).toBe(0);
  });

  it('never turns a bounced or complained address into unsubscribed', async () => {
    await store.setStatus('weekly', 'ada@example.org', 'complained', '2026-03-02T00:00:00Z');
    expect((await unsubscribe(deps, { method: 'POST', token })).kind).toBe('unsubscribed');
    expect((await store.get('weekly', 'ada@example.org'))!.status).toBe('complained');
  });

  it.each([
    ['forged signature', () => `${token.slice(0, -4)}AAAA`],
    ['truncated', () => token.slice(0, 20)],
    [
      'unknown key id',
      () =>
        signToken(
          { list: 'weekly', subscriber: 'sub-1', purpose: 'unsubscribe' },
          parseKeyring({ current: 'zz', zz: 'another-key-0123456789-0123456789-abc' }),
        ),
    ],
    ['confirmation token', () => signToken({ list: 'weekly', subscriber: 'sub-1', purpose: 'confirm' }, testKeyring)],
    ['unknown subscriber', () => signToken({ list: 'weekly', subscriber: 'sub-404', purpose: 'unsubscribe' }, testKeyring)],
    ['unknown list', () => signToken({ list: 'nope', subscriber: 'sub-1', purpose: 'unsubscribe' }, testKeyring)],
    ['empty', () => ''],
  ])('refuses a %s token with the one generic page and no change', async (_, make) => {
    const outcome = await unsubscribe(deps, { method: 'POST', token: make() });
    expect(outcome.kind).toBe('invalid');
    const page = unsubscribePage(outcome, testLists);
    expect([page.status, page.html.includes('This link is not valid')]).toEqual([400, true]);
    expect((await store.get('weekly', 'ada@example.org'))!.status).toBe('subscribed');
  });

  it('refuses other methods', async () => {
    expect((await unsubscribe(deps, { method: 'DELETE', token })).kind).toBe('method-not-allowed');
    expect((await store.get('weekly', 'ada@example.org'))!.status).toBe('subscribed');
  });

  it('escapes everything on the page', async () => {
    const page = unsubscribePage(
      {
        kind: 'confirm',
        list: { ...testLists.lists.get('weekly')!, displayName: '<script>alert(1)</script>' },
        maskedEmail: 'a••@example.org',
        token: '"><img src=x>',
      },
      testLists,
    );
    expect(page.html).not.toContain('<script>alert');
    expect(page.html).not.toContain('<img src=x>');
    expect(page.html).toContain('&lt;script&gt;');
  });
});
