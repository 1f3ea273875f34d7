import { describe, expect, it } from 'vitest';
import { checkProductionAccess, checkQuota } from '../../../src/doctor/account-checks.js';

describe('checkProductionAccess', () => {
  it("fails at the sandbox's 200 messages a day, with the request command and the console step", () => {
    const f = checkProductionAccess({ max24HourSend: 200, maxSendRate: 1, sentLast24Hours: 0 }, 'us-east-1');
    expect(f.status).toBe('fail');
    expect(f.fix).toContain('aws sesv2 put-account-details --production-access-enabled');
    expect(f.fix).toContain('Request production access');
  });

  it('is ok above the sandbox quota, and for an unlimited one', () => {
    expect(checkProductionAccess({ max24HourSend: 50_000, maxSendRate: 14, sentLast24Hours: 0 }, 'us-east-1').status).toBe('ok');
    expect(checkProductionAccess({ max24HourSend: -1, maxSendRate: 500, sentLast24Hours: 0 }, 'us-east-1').status).toBe('ok');
  });
});

describe('checkQuota', () => {
  it('reports the quota and what was sent', () => {
    expect(checkQuota({ max24HourSend: 50_000, maxSendRate: 14, sentLast24Hours: 1_200 }, 'us-east-1')).toEqual({
      check: 'quota',
      status: 'ok',
      summary: 'Quota 50,000/24 h at 14/s; 1,200 sent in the last 24 hours.',
    });
  });

  it('warns when 80 % of the daily quota is used', () => {
    const f = checkQuota({ max24HourSend: 50_000, maxSendRate: 14, sentLast24Hours: 45_000 }, 'us-east-1');
    expect(f).toMatchObject({ status: 'warn', summary: expect.stringContaining('Only 5,000 left') });
  });
});
