import { beforeEach, describe, expect, it } from 'vitest';
import type { MemorySubscriberStore } from '../../../src/adapters/memory/memory-stores.js';
import { tokenInSubject, unsubscribeMailtoUri } from '../../../src/deliver/unsubscribe-mailto.js';
import { unsubscribeByMail } from '../../../src/subscribers/mail-unsubscribe.js';
import type { UnsubscribeDeps } from '../../../src/subscribers/unsubscribe.js';
import { subscribedReader } from '../../support/fakes.js';

describe('unsubscribe by mail', () => {
  let store: MemorySubscriberStore;
  let deps: UnsubscribeDeps;
  let token: string;

  beforeEach(async () => {
    ({ store, deps, token } = await subscribedReader());
  });

  it('reads back the token that the mailto link writes, through the decoding a mail client does', () => {
    const uri = new URL(unsubscribeMailtoUri('unsubscribe@news.example.com', token));
    expect(uri.protocol).toBe('mailto:');
    expect(uri.pathname).toBe('unsubscribe@news.example.com');
    const subject = decodeURIComponent(uri.searchParams.get('subject') ?? '');
    expect(tokenInSubject(subject)).toBe(token);
  });

  it.each([
    ['a reply prefix', (t: string) => `Re: unsubscribe ${t}`],
    ['another case and folded whitespace', (t: string) => `UNSUBSCRIBE\r\n ${t}`],
  ])('finds the token after %s', (_, subjectOf) => {
    expect(tokenInSubject(subjectOf(token))).toBe(token);
  });

  it('unsubscribes the reader the token names, whoever sent the mail', async () => {
    const outcome = await unsubscribeByMail(deps, `unsubscribe ${token}`);
    expect(outcome.kind).toBe('unsubscribed');
    expect((await store.get('weekly', 'ada@example.org'))?.status).toBe('unsubscribed');
  });

  it.each([
    ['no token', 'please take me off your list'],
    ['a tampered token', 'unsubscribe TOKEN'],
    ['an empty subject', ''],
  ])('changes nothing for a mail with %s', async (_, subject) => {
    const outcome = await unsubscribeByMail(deps, subject.replace('TOKEN', `${token.slice(0, -2)}xx`));
    expect(outcome.kind).toBe('invalid');
    expect((await store.get('weekly', 'ada@example.org'))?.status).toBe('subscribed');
  });
});
