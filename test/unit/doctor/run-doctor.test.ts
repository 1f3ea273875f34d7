import { describe, expect, it } from 'vitest';
import { runDoctor } from '../../../src/doctor/run-doctor.js';
import type { IdentityFacts, SenderAccount } from '../../../src/doctor/sender-account.js';

const healthyIdentity: IdentityFacts = {
  verification: 'Success',
  dkim: { enabled: true, state: 'Success', tokens: [] },
  mailFrom: { domain: 'bounce.news.example.com', state: 'Success', onMxFailure: 'UseDefaultValue' },
};

function account(overrides: Partial<SenderAccount> = {}): SenderAccount {
  return {
    region: 'us-east-1',
    identities: async (names) => new Map(names.filter((n) => n === 'news.example.com').map((n) => [n, healthyIdentity])),
    sendQuota: async () => ({ max24HourSend: 50_000, maxSendRate: 14, sentLast24Hours: 0 }),
    configurationSet: async (name) => ({
      name,
      eventDestinations: [{ name: 'fb', enabled: true, eventTypes: ['bounce', 'complaint'], kind: 'sns' }],
    }),
    ...overrides,
  };
}

const target = {
  domain: 'news.example.com',
  configurationSet: 'nb',
  keysSecret: 'keys',
  lists: [{ id: 'weekly', from: 'Weekly <weekly@news.example.com>' }],
};
const dmarcAt = (records: Record<string, string[]>) => async (name: string) => records[name];
const keyring = async () => ({ current: 'k1', keys: new Map([['k1', Buffer.from('x'.repeat(32))]]) });

describe('runDoctor', () => {
  it('reports every check ok for a healthy setup, in a fixed order', async () => {
    const report = await runDoctor(
      { account: account(), lookupTxt: dmarcAt({ '_dmarc.news.example.com': ['v=DMARC1; p=none'] }), readKeyring: keyring },
      target,
    );
    expect(report.findings.map((f) => `${f.check}:${f.status}`)).toEqual([
      'identity:ok',
      'dkim:ok',
      'mail-from:ok',
      'list-senders:ok',
      'dmarc:ok',
      'production-access:ok',
      'quota:ok',
      'configuration-set:ok',
      'event-destination:ok',
      'keyring:ok',
    ]);
    expect(report.ok).toBe(true);
  });

  it("finds DMARC at the parent domain when the sender domain's own name has none", async () => {
    const report = await runDoctor(
      { account: account(), lookupTxt: dmarcAt({ '_dmarc.example.com': ['v=DMARC1; p=reject'] }), readKeyring: keyring },
      target,
    );
    expect(report.findings.find((f) => f.check === 'dmarc')).toMatchObject({
      status: 'ok',
      summary: expect.stringContaining('_dmarc.example.com'),
    });
  });

  it('turns a read that throws into a failing finding and still runs the other checks', async () => {
    const report = await runDoctor(
      {
        account: account({
          sendQuota: async () => {
            throw Object.assign(new Error('User is not authorized to perform ses:GetSendQuota'), { name: 'AccessDenied' });
          },
        }),
        lookupTxt: dmarcAt({ '_dmarc.news.example.com': ['v=DMARC1; p=none'] }),
        readKeyring: async () => {
          throw new Error('secret keys has no string value');
        },
      },
      target,
    );
    expect(report.ok).toBe(false);
    expect(report.findings.find((f) => f.check === 'production-access')).toMatchObject({
      status: 'fail',
      summary: 'Could not read the send quota: AccessDenied: User is not authorized to perform ses:GetSendQuota.',
    });
    expect(report.findings.find((f) => f.check === 'keyring')?.status).toBe('fail');
    expect(report.findings.find((f) => f.check === 'identity')?.status).toBe('ok');
  });

  it('asks SES about every identity that could cover a list sender', async () => {
    const asked: string[] = [];
    await runDoctor(
      {
        account: account({
          identities: async (names) => {
            asked.push(...names);
            return new Map();
          },
        }),
        lookupTxt: async () => undefined,
      },
      { ...target, lists: [{ id: 'x', from: 'x@sport.news.example.com' }] },
    );
    expect(asked).toEqual(['news.example.com', 'x@sport.news.example.com', 'sport.news.example.com', 'example.com']);
  });
});
