import { simpleParser } from 'mailparser';
import { beforeEach, describe, expect, it } from 'vitest';
import { MemoryLedger } from '../../../src/adapters/memory/memory-ledger.js';
import { MemorySubscriberStore } from '../../../src/adapters/memory/memory-stores.js';
import { TransientSendError } from '../../../src/deliver/send-errors.js';
import { confirmationCount, resetConfirmationBreaker } from '../../../src/breaker/confirmation-breaker.js';
import { confirmationBudgets, DEFAULT_CONFIRMATION_LIMITS } from '../../../src/subscribers/confirmation-limits.js';
import { confirmPage, subscribeResultPage } from '../../../src/subscribers/lifecycle-page.js';
import { confirmSubscription, parseSubscribeForm, subscribe, type SubscribeDeps } from '../../../src/subscribers/subscribe.js';
import { FakeClock, ScriptedMailer, testKeyring, testLists } from '../../support/fakes.js';
import { confirmationFixture } from '../../support/fixtures.js';

const FORM = { list: 'weekly', email: ' Ada@Example.ORG ', firstName: 'Ada' };

function confirmLinkOf(mailer: ScriptedMailer, index = 0): Promise<string> {
  return simpleParser(mailer.sent[index]!.raw).then((mail) => {
    const link = /https:\/\/news\.example\.com\/confirm\?t=[^"\s<]+/.exec(String(mail.html))?.[0];
    if (!link) throw new Error('no confirmation link in the mail');
    return link.replace(/&amp;/g, '&');
  });
}

describe('subscribe with double opt-in', () => {
  let store: MemorySubscriberStore;
  let ledger: MemoryLedger;
  let mailer: ScriptedMailer;
  let clock: FakeClock;
  let deps: SubscribeDeps;

  beforeEach(() => {
    store = new MemorySubscriberStore();
    ledger = new MemoryLedger();
    mailer = new ScriptedMailer();
    clock = new FakeClock();
    deps = {
      subscribers: store,
      throttle: ledger,
      mailer,
      lists: testLists,
      keyring: testKeyring,
      clock,
      // renderConfirmation's output for the link, from a checked-in render (weekly's, for every list): no MJML here.
      renderConfirmation: (list, url) =>
        list.id === 'weekly' ? confirmationFixture(list, url) : confirmationFixture(testLists.lists.get('weekly')!, url),
      defaultConfirmBaseUrl: 'https://news.example.com/confirm',
    };
  });

  it('makes the address pending and mails a confirmation rendered with the list templates; the link subscribes', async () => {
    const outcome = await subscribe(deps, FORM);
    expect(outcome).toMatchObject({ kind: 'check-inbox', mailed: true });
    expect(await store.get('weekly', 'Ada@example.org')).toMatchObject({ status: 'pending', firstName: 'Ada' });
    const mail = await simpleParser(mailer.sent[0]!.raw);
    expect(mail.subject).toBe('Confirm your subscription to The Weekly Brief');
    expect(String(mail.html)).toContain('Yes, subscribe me');
    expect(mail.headerLines.find((h) => h.key === 'list-unsubscribe-post')?.line).toBe('List-Unsubscribe-Post: List-Unsubscribe=One-Click');

    const token = new URL(await confirmLinkOf(mailer)).searchParams.get('t')!;
    const asked = await confirmSubscription({ subscribers: store, lists: testLists, keyring: testKeyring, clock }, token, 'GET');
    expect(asked).toMatchObject({ kind: 'ask', token });
    expect(confirmPage(asked, testLists).html).toContain(`<form method="post" action="?t=${encodeURIComponent(token)}">`);
    expect((await store.get('weekly', 'Ada@example.org'))?.status).toBe('pending');
    const confirmed = await confirmSubscription({ subscribers: store, lists: testLists, keyring: testKeyring, clock }, token);
    expect(confirmed.kind).toBe('confirmed');
    expect(confirmPage(confirmed, testLists).status).toBe(200);
    expect((await store.get('weekly', 'Ada@example.org'))!.status).toBe('subscribed');
    // Following it again is harmless.
    expect((await confirmSubscription({ subscribers: store, lists: testLists, keyring: testKeyring, clock }, token)).kind).toBe(
      'confirmed',
    );
  });

  it('counts case and +tag variants of one inbox as one: one mail per 10 minutes, three a day, the same answer always', async () => {
    const variants = ['ada@example.org', 'ADA+news@example.org', 'Ada+x@EXAMPLE.org', 'aDa@example.org'];
    const answers = [];
    for (const email of variants) answers.push(await subscribe(deps, { list: 'weekly', email }));
    expect(answers.map((a) => a.kind === 'check-inbox' && a.refused)).toEqual([undefined, 'mailbox', 'mailbox', 'mailbox']);
    expect(new Set(answers.map((a) => JSON.stringify(subscribeResultPage(a, testLists, '/subscribe'))))).toHaveProperty('size', 1);
    clock.ms += 9 * 60 * 1000;
    expect(await subscribe(deps, { list: 'weekly', email: 'ada+later@example.org' })).toMatchObject({ mailed: false });
    clock.ms += 60 * 1000;
    expect(await subscribe(deps, { list: 'weekly', email: 'ada+later@example.org' })).toMatchObject({ mailed: true });
    clock.ms += 10 * 60 * 1000;
    expect(await subscribe(deps, { list: 'weekly', email: 'ADA@example.org' })).toMatchObject({ mailed: true });
    clock.ms += 10 * 60 * 1000;
    expect(await subscribe(deps, { list: 'weekly', email: 'ada@example.org' })).toMatchObject({ mailed: false, refused: 'mailbox' });
    // Another list is another budget; the next day the inbox may get mail again.
    expect(await subscribe(deps, { list: 'morning-digest', email: 'ada@example.org' })).toMatchObject({ mailed: true });
    clock.ms += 24 * 60 * 60 * 1000;
    expect(await subscribe(deps, { list: 'weekly', email: 'ada+tomorrow@example.org' })).toMatchObject({ mailed: true });
    expect(mailer.sent).toHaveLength(5);
  });

  it("stops mailing at the list's and the overall budget, and records which one refused", async () => {
    const limited = {
      ...deps,
      limits: {
        perMailbox: [{ limit: 1, windowMs: 600_000 }],
        perList: { limit: 2, windowMs: 3_600_000 },
        overall: { limit: 3, windowMs: 3_600_000 },
      },
    };
    const post = (list: string, n: number) => subscribe(limited, { list, email: `reader${n}@example.org` });
    const weekly = [await post('weekly', 1), await post('weekly', 2), await post('weekly', 3)];
    const digest = [await post('morning-digest', 4), await post('morning-digest', 5)];
    expect([...weekly, ...digest].map((o) => o.kind === 'check-inbox' && [o.mailed, o.refused])).toEqual([
      [true, undefined],
      [true, undefined],
      [false, 'list'],
      [true, undefined],
      [false, 'overall'],
    ]);
    // Held back before anything was written: no pending record for the addresses that got no mail.
    expect(await store.get('weekly', 'reader3@example.org')).toBeUndefined();
    expect(mailer.sent).toHaveLength(3);
  });

  it("mails no confirmation while the list's confirmation breaker is tripped, until it is reset", async () => {
    const now = clock.now();
    await ledger.add(confirmationCount('weekly', 'complained'), now, 3);
    const held = await subscribe(deps, FORM);
    expect(held).toMatchObject({ kind: 'check-inbox', mailed: false, refused: 'breaker' });
    if (held.kind !== 'check-inbox') throw new Error('not the ordinary answer');
    expect(subscribeResultPage(held, testLists, '/subscribe')).toEqual(
      subscribeResultPage({ kind: 'check-inbox', list: held.list, mailed: true }, testLists, '/subscribe'),
    );
    // The breaker is checked first: a held post spends no budget.
    expect(await ledger.read(confirmationBudgets('weekly', 'ada@example.org', DEFAULT_CONFIRMATION_LIMITS), now)).toEqual([0, 0, 0, 0]);
    await resetConfirmationBreaker(ledger, 'weekly', now);
    expect(await subscribe(deps, FORM)).toMatchObject({ mailed: true });
    expect(await ledger.read([confirmationCount('weekly', 'sent')], now)).toEqual([1]);
  });

  it('gives a filled honeypot the ordinary answer and does nothing', async () => {
    expect(await subscribe(deps, { ...FORM, honeypot: 'https://spam.example' })).toMatchObject({ kind: 'check-inbox', mailed: false });
    expect(await store.get('weekly', 'Ada@example.org')).toBeUndefined();
    expect(mailer.sent).toHaveLength(0);
  });

  it('reports every form problem at once with a sentence per field', async () => {
    const outcome = await subscribe(deps, { list: 'nope', email: 'not-an-address', firstName: 'x'.repeat(101) });
    expect(outcome.kind === 'invalid' && outcome.problems.map((p) => p.field)).toEqual(['list', 'email', 'firstName']);
    const page = subscribeResultPage(outcome, testLists, '/subscribe');
    expect(page.status).toBe(400);
    expect(page.html).toContain('Enter an address such as name@example.com.');
    expect(page.html).toContain('value="not-an-address"');
  });

  it('holds back bounced and complained addresses with the answer anyone gets, and lets someone who left back only through the link', async () => {
    await store.upsert({ list: 'weekly', email: 'gone@example.org', status: 'bounced' }, '2026-01-01T00:00:00Z');
    const held = await subscribe(deps, { list: 'weekly', email: 'gone@example.org' });
    const stranger = await subscribe(deps, { list: 'weekly', email: 'new@example.org' });
    expect(held).toMatchObject({ kind: 'check-inbox', mailed: false, held: expect.any(String) });
    expect(subscribeResultPage(held, testLists, '/subscribe')).toEqual(subscribeResultPage(stranger, testLists, '/subscribe'));
    expect((await store.get('weekly', 'gone@example.org'))!.status).toBe('bounced');
    expect(mailer.sent.map((m) => m.to)).toEqual(['new@example.org']);

    await store.upsert({ list: 'weekly', email: 'left@example.org', status: 'unsubscribed' }, '2026-01-01T00:00:00Z');
    expect(await subscribe(deps, { list: 'weekly', email: 'left@example.org' })).toMatchObject({ mailed: true });
    expect((await store.get('weekly', 'left@example.org'))!.status).toBe('pending');
  });

  it('never lets the form change what a known member gave: a returning reader keeps their name and fields', async () => {
    await store.upsert(
      { list: 'weekly', email: 'ada@example.org', status: 'unsubscribed', firstName: 'Ada', attributes: { city: 'London' } },
      '2026-01-01T00:00:00Z',
    );
    const outcome = await subscribe(deps, { list: 'weekly', email: 'ada@example.org', firstName: 'Mallory' });
    expect(outcome).toMatchObject({ kind: 'check-inbox', mailed: true });
    expect(await store.get('weekly', 'ada@example.org')).toMatchObject({
      status: 'pending',
      firstName: 'Ada',
      attributes: { city: 'London' },
    });
    expect(mailer.sent[0]!.raw.toString()).not.toContain('Mallory');
  });

  it('never mails an address that is already subscribed, with the same answer', async () => {
    await store.upsert({ list: 'weekly', email: 'in@example.org', status: 'subscribed' }, '2026-01-01T00:00:00Z');
    expect(await subscribe(deps, { list: 'weekly', email: 'in@example.org' })).toMatchObject({ kind: 'check-inbox', mailed: false });
    expect(mailer.sent).toHaveLength(0);
  });

  it('gives every budget back when the mail could not go out', async () => {
    const failing = {
      ...deps,
      mailer: new ScriptedMailer(() => {
        throw new TransientSendError('throttled');
      }),
    };
    await expect(subscribe(failing, FORM)).rejects.toBeInstanceOf(TransientSendError);
    const budgets = confirmationBudgets('weekly', 'ada@example.org', DEFAULT_CONFIRMATION_LIMITS);
    expect(await ledger.read([...budgets, confirmationCount('weekly', 'sent')], clock.now())).toEqual([0, 0, 0, 0, 0]);
    expect(await subscribe(deps, FORM)).toMatchObject({ mailed: true });
  });

  it('refuses an expired, forged or unsubscribe-purpose token, and a confirm after unsubscribing', async () => {
    await subscribe(deps, FORM);
    const token = new URL(await confirmLinkOf(mailer)).searchParams.get('t')!;
    const confirmDeps = { subscribers: store, lists: testLists, keyring: testKeyring, clock };
    expect((await confirmSubscription(confirmDeps, `${token}x`)).kind).toBe('invalid');
    await store.setStatus('weekly', 'Ada@example.org', 'unsubscribed', '2026-03-02T10:00:00Z');
    expect((await confirmSubscription(confirmDeps, token)).kind).toBe('not-pending');
    clock.ms += 8 * 24 * 60 * 60 * 1000;
    expect(await confirmSubscription(confirmDeps, token)).toEqual({ kind: 'invalid', reason: 'expired' });
  });
});

describe('parseSubscribeForm', () => {
  it('reads the form fields and the honeypot', () => {
    expect(parseSubscribeForm('list=weekly&email=a%40b.co&firstName=Ada&website=x')).toEqual({
      list: 'weekly',
      email: 'a@b.co',
      firstName: 'Ada',
      honeypot: 'x',
    });
    expect(parseSubscribeForm('email=a%40b.co', 'weekly').list).toBe('weekly');
  });
});
