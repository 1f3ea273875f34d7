import { describe, expect, it } from 'vitest';
import { emailKey, normalizeEmail } from '../../../src/subscribers/email-address.js';

describe('emailKey', () => {
  it('gives addresses that differ only in case one key', () => {
    expect(emailKey(' Ada.Lovelace@Example.ORG ')).toBe('ada.lovelace@example.org');
    expect(emailKey('ADA.LOVELACE@example.org')).toBe(emailKey('ada.lovelace@EXAMPLE.org'));
  });

  it('lower-cases letters beyond ASCII too', () => {
    expect(emailKey('Ünal@Example.de')).toBe('ünal@example.de');
  });

  it('leaves the address as shown alone: its local part stays as typed', () => {
    expect(normalizeEmail(' Ada.Lovelace@Example.ORG ')).toBe('Ada.Lovelace@example.org');
  });
});
