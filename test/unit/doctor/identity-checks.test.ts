import { describe, expect, it } from 'vitest';
import { checkDkim, checkIdentityVerified, checkMailFrom, dkimRecords } from '../../../src/doctor/identity-checks.js';
import type { IdentityFacts } from '../../../src/doctor/sender-account.js';

const scope = { domain: 'news.example.com', region: 'eu-west-1' };
const healthy: IdentityFacts = {
  verification: 'Success',
  dkim: { enabled: true, state: 'Success', tokens: ['t1', 't2', 't3'] },
  mailFrom: { domain: 'bounce.news.example.com', state: 'Success', onMxFailure: 'UseDefaultValue' },
};

describe('checkIdentityVerified', () => {
  it('is ok for a verified identity', () => {
    expect(checkIdentityVerified(scope, healthy)).toMatchObject({ check: 'identity', status: 'ok' });
  });

  it('fails an identity SES has never heard of, with the create command in its region', () => {
    const f = checkIdentityVerified(scope, undefined);
    expect(f.status).toBe('fail');
    expect(f.fix).toContain('aws sesv2 create-email-identity --email-identity news.example.com --region eu-west-1');
  });

  it('fails a pending identity and lists its exact DKIM records', () => {
    const f = checkIdentityVerified(scope, {
      ...healthy,
      verification: 'Pending',
      dkim: { enabled: true, state: 'Pending', tokens: ['abc'] },
    });
    expect(f.status).toBe('fail');
    expect(f.fix).toContain('abc._domainkey.news.example.com CNAME abc.dkim.amazonses.com');
  });

  it('tells how to restart a failed verification', () => {
    expect(checkIdentityVerified(scope, { ...healthy, verification: 'Failed' }).fix).toContain(
      'aws ses verify-domain-dkim --domain news.example.com',
    );
  });
});

describe('checkDkim', () => {
  it('is ok when DKIM is SUCCESS', () => {
    expect(checkDkim(scope, healthy)).toMatchObject({ status: 'ok', summary: expect.stringContaining('SUCCESS') });
  });

  it('fails when signing is disabled, with the command that enables it', () => {
    const f = checkDkim(scope, { ...healthy, dkim: { enabled: false, state: 'Success', tokens: [] } });
    expect(f.status).toBe('fail');
    expect(f.fix).toBe(
      '`aws sesv2 put-email-identity-dkim-attributes --email-identity news.example.com --signing-enabled --region eu-west-1`',
    );
  });

  it('names the status in SES v2 spelling and points at the records when they are missing', () => {
    const f = checkDkim(scope, { ...healthy, dkim: { enabled: true, state: 'NotStarted', tokens: [] } });
    expect(f).toMatchObject({ status: 'fail', summary: expect.stringContaining('NOT_STARTED') });
    expect(f.fix).toContain('--query DkimAttributes.Tokens');
  });

  it('only warns on a temporary failure', () => {
    expect(checkDkim(scope, { ...healthy, dkim: { enabled: true, state: 'TemporaryFailure', tokens: [] } }).status).toBe('warn');
  });
});

describe('checkMailFrom', () => {
  it('is ok for a verified custom MAIL FROM domain', () => {
    expect(checkMailFrom(scope, healthy).status).toBe('ok');
  });

  it('warns without a custom MAIL FROM domain, with the command and both records', () => {
    const { mailFrom: _, ...without } = healthy;
    const f = checkMailFrom(scope, without);
    expect(f.status).toBe('warn');
    expect(f.fix).toContain('--mail-from-domain bounce.news.example.com');
    expect(f.fix).toContain('bounce.news.example.com MX "10 feedback-smtp.eu-west-1.amazonses.com"');
    expect(f.fix).toContain('"v=spf1 include:amazonses.com ~all"');
  });

  it('fails a MAIL FROM domain whose MX is missing when SES rejects mail then', () => {
    const f = checkMailFrom(scope, {
      ...healthy,
      mailFrom: { domain: 'bounce.news.example.com', state: 'Failed', onMxFailure: 'RejectMessage' },
    });
    expect(f.status).toBe('fail');
  });

  it('warns when the MAIL FROM domain differs from the stack', () => {
    expect(checkMailFrom({ ...scope, expected: 'mail.news.example.com' }, healthy)).toMatchObject({
      status: 'warn',
      fix: expect.stringContaining('mail.news.example.com'),
    });
  });
});

it('dkimRecords writes the CNAMEs Easy DKIM wants', () => {
  expect(dkimRecords('a.org', ['x'])).toEqual(['x._domainkey.a.org CNAME x.dkim.amazonses.com']);
});
