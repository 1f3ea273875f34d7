import { describe, expect, it } from 'vitest';
import { bareAddress, checkListSenders, identitiesCovering } from '../../../src/doctor/list-senders-check.js';
import type { IdentityFacts } from '../../../src/doctor/sender-account.js';

const verified: IdentityFacts = { verification: 'Success' };
const scope = { domain: 'news.example.com', region: 'us-east-1' };

describe('identitiesCovering', () => {
  it('lists the address, its domain and each parent domain', () => {
    expect(identitiesCovering('a@x.news.example.com')).toEqual([
      'a@x.news.example.com',
      'x.news.example.com',
      'news.example.com',
      'example.com',
    ]);
  });

  it('reads the address out of a mailbox', () => {
    expect(bareAddress('Weekly <Weekly@News.Example.com>')).toBe('weekly@news.example.com');
  });
});

describe('checkListSenders', () => {
  it('is ok when a parent domain of every from address is verified', () => {
    const lists = [
      { id: 'a', from: 'A <a@news.example.com>' },
      { id: 'b', from: 'b@sport.news.example.com' },
    ];
    expect(checkListSenders(lists, new Map([['news.example.com', verified]]), scope)).toEqual([expect.objectContaining({ status: 'ok' })]);
  });

  it('fails each list whose from is on no verified identity, naming the list', () => {
    const lists = [
      { id: 'a', from: 'a@news.example.com' },
      { id: 'elsewhere', from: 'Other <x@other.org>' },
    ];
    const findings = checkListSenders(lists, new Map([['news.example.com', verified]]), scope);
    expect(findings).toHaveLength(1);
    expect(findings[0]).toMatchObject({ status: 'fail', summary: expect.stringContaining('List "elsewhere" sends from x@other.org') });
    expect(findings[0]?.fix).toContain('aws sesv2 create-email-identity --email-identity other.org');
  });

  it('does not count a pending identity', () => {
    const findings = checkListSenders(
      [{ id: 'a', from: 'a@news.example.com' }],
      new Map([['news.example.com', { verification: 'Pending' } as IdentityFacts]]),
      scope,
    );
    expect(findings[0]?.status).toBe('fail');
  });
});
