import { describe, expect, it } from 'vitest';
import { mailboxKey } from '../../../src/subscribers/mailbox-key.js';

describe('mailboxKey', () => {
  it('gives case and +tag variants of one address one key', () => {
    const variants = ['ada@example.org', 'Ada@Example.ORG', 'ADA+news@example.org', ' ada+a+b@EXAMPLE.org ', 'aDa+@example.org'];
    expect(new Set(variants.map(mailboxKey))).toEqual(new Set(['ada@example.org']));
  });

  it('drops dots for Gmail, whose two domains are one', () => {
    expect(mailboxKey('J.Doe+promo@googlemail.com')).toBe('jdoe@gmail.com');
    expect(mailboxKey('jdoe@gmail.com')).toBe('jdoe@gmail.com');
  });

  it('keeps dots elsewhere, and distinct people distinct', () => {
    expect(mailboxKey('j.doe@example.org')).toBe('j.doe@example.org');
    expect(mailboxKey('jdoe@example.org')).not.toBe(mailboxKey('j.doe@example.org'));
    expect(mailboxKey('ada@example.org')).not.toBe(mailboxKey('ada@example.com'));
  });

  it('keeps a local part that is all tag rather than lumping such addresses together', () => {
    expect(mailboxKey('+x@example.org')).toBe('+x@example.org');
    expect(mailboxKey('+y@example.org')).not.toBe(mailboxKey('+x@example.org'));
  });
});
