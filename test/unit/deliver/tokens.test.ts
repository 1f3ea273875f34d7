import { describe, expect, it } from 'vitest';
import { KeyringError, parseKeyring, signToken, verifyToken } from '../../../src/deliver/tokens.js';

const k1 = parseKeyring({ current: 'k1', k1: 'a'.repeat(40) });
const rotated = parseKeyring({ current: 'k2', k1: 'a'.repeat(40), k2: 'b'.repeat(40) });
const claims = { list: 'weekly', subscriber: 'sub-42', purpose: 'unsubscribe' } as const;
const now = { purpose: 'unsubscribe', nowSeconds: 1_800_000_000 } as const;

describe('tokens', () => {
  it('round-trips claims and carries no e-mail address', () => {
    const token = signToken(claims, k1);
    expect(token).toMatch(/^v1\.k1\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]{43}$/);
    expect(verifyToken(token, k1, now)).toEqual({ ok: true, claims: { ...claims, expiresAt: undefined } });
    expect(Buffer.from(token.split('.')[2]!, 'base64url').toString()).not.toContain('@');
  });

  it.each([
    [
      'a changed payload',
      (t: string) => {
        const [v, kid, payload, mac] = t.split('.') as [string, string, string, string];
        const forged = Buffer.from(Buffer.from(payload, 'base64url').toString().replace('sub-42', 'sub-43')).toString('base64url');
        return [v, kid, forged, mac].join('.');
      },
      'bad signature',
    ],
    ['a changed signature', (t: string) => t.slice(0, -2) + (t.endsWith('AA') ? 'AB' : 'AA'), 'bad signature'],
    ['a truncated token', (t: string) => t.slice(0, -10), 'bad signature'],
    ['a missing part', (t: string) => t.split('.').slice(0, 3).join('.'), 'malformed'],
    ['another version', (t: string) => t.replace(/^v1/, 'v2'), 'malformed'],
    ['an unknown key id', (t: string) => t.replace('.k1.', '.k9.'), 'unknown key id'],
    ['an absurdly long token', (t: string) => t + 'A'.repeat(5000), 'malformed'],
  ])('refuses %s', (_, tamper, reason) => {
    expect(verifyToken(tamper(signToken(claims, k1)), k1, now)).toEqual({ ok: false, reason });
  });

  it('accepts exactly one spelling of a token', () => {
    const token = signToken(claims, k1);
    const signature = token.split('.')[3]!;
    const last = signature.at(-1)!;
    // 32 bytes are 43 base64url characters with 2 spare bits in the last one: a lenient decoder takes 4 spellings.
    const spareBits = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_'
      .split('')
      .filter((c) => c !== last && Buffer.from(signature.slice(0, -1) + c, 'base64url').equals(Buffer.from(signature, 'base64url')));
    const variants = [
      `${token}=`,
      `${token}==`,
      token.replace(/-/g, '+').replace(/_/g, '/'),
      `${token.slice(0, -1)}${spareBits[0]}`,
      `${token.slice(0, -1)}!${last}`,
      `${token} `,
    ].filter((variant) => variant !== token);
    expect(spareBits.length).toBeGreaterThan(0);
    for (const variant of variants) expect(verifyToken(variant, k1, now), variant).toMatchObject({ ok: false });
  });

  it('refuses a token made for another purpose', () => {
    const confirm = signToken({ ...claims, purpose: 'confirm' }, k1);
    expect(verifyToken(confirm, k1, now)).toEqual({ ok: false, reason: 'wrong purpose' });
  });

  it('refuses an expired token and accepts one not yet expired', () => {
    const token = signToken({ ...claims, expiresAt: now.nowSeconds + 60 }, k1);
    expect(verifyToken(token, k1, now).ok).toBe(true);
    expect(verifyToken(token, k1, { ...now, nowSeconds: now.nowSeconds + 61 })).toEqual({ ok: false, reason: 'expired' });
  });

  it('carries the issue id of the mail the link came in, and still accepts a link signed without one', () => {
    const withIssue = signToken({ ...claims, issue: '2026-03-02' }, k1);
    const verified = verifyToken(withIssue, k1, now);
    expect(verified.ok && verified.claims.issue).toBe('2026-03-02');
    const old = verifyToken(signToken(claims, k1), k1, now);
    expect(old.ok).toBe(true);
    expect(old.ok && 'issue' in old.claims).toBe(false);
  });

  it('keeps old links working after rotation while signing new ones with the new key', () => {
    const old = signToken(claims, k1);
    const fresh = signToken(claims, rotated);
    expect(fresh.split('.')[1]).toBe('k2');
    expect(verifyToken(old, rotated, now).ok).toBe(true);
    expect(verifyToken(fresh, k1, now)).toEqual({ ok: false, reason: 'unknown key id' });
  });

  it.each([
    [{ k1: 'a'.repeat(40) }, 'current'],
    [{ current: 'k1', k1: 'short' }, 'at least 32'],
    [{ current: 'k1', 'bad id!': 'a'.repeat(40), k1: 'a'.repeat(40) }, 'key id'],
    [[], 'JSON object'],
  ])('refuses an unusable keyring %#', (doc, message) => {
    expect(() => parseKeyring(doc)).toThrow(KeyringError);
    expect(() => parseKeyring(doc)).toThrow(message);
  });
});
