import { simpleParser } from 'mailparser';
import { beforeEach, describe, expect, it } from 'vitest';
import { MemoryLedger } from '../../../src/adapters/memory/memory-ledger.js';
import { MemorySubscriberStore } from '../../../src/adapters/memory/memory-stores.js';
import { TransientSendError } from '../../../src/deliver/send-errors.js';
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
      // renderConfirmation's output for the link, from a checked-in render: no MJML here.
      renderConfirmation: confirmationFixture,
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
    expect(confirmPage(asked).html).toContain(`<form method="post" action="?t=${encodeURIComponent(token)}">`);
    expect((await store.get('weekly', 'Ada@example.org'))?.status).toBe('pending');
    const confirmed = await confirmSubscription({ subscribers: store, lists: testLists, keyring: testKeyring, clock }, token);
    expect(confirmed.kind).toBe('confirmed');
    expect(confirmPage(confirmed).status).toBe(200);
    expect((await store.get('weekly', 'Ada@example.org'))!.status).toBe('subscribed');
    // Following it again is harmless.
    expect((await confirmSubscription({ subscribers: store, lists: testLists, keyring: testKeyring, clock }, token)).kind).toBe(
      'confirmed',
    );
  });

  it('sends at most one confirmation per address per hour', async () => {
    await subscribe(deps, FORM);
    expect(await subscribe(deps, FORM)).toMatchObject({ kind: 'check-inbox', mailed: false });
    clock.ms += 59 * 60 * 1000;
    expect(await subscribe(deps, FORM)).toMatchObject({ mailed: false });
    clock.ms += 2 * 60 * 1000;
    expect(await subscribe(deps, FORM)).toMatchObject({ mailed: true });
    expect(mailer.sent).toHaveLength(2);
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

  it('gives the hour back when the mail could not go out', async () => {
    const failing = {
      ...deps,
      mailer: new ScriptedMailer(() => {
        throw new TransientSendError('throttled');
      }),
    };
    await expect(subscribe(failing, FORM)).rejects.toBeInstanceOf(TransientSendError);
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
