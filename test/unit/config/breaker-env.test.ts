import { describe, expect, it } from 'vitest';
import { BreakerConfigError, breakerPolicyFromEnv } from '../../../src/config/breaker-env.js';
import { DEFAULT_BREAKER_POLICY } from '../../../src/config/breaker-policy.js';

describe('breakerPolicyFromEnv', () => {
  it('uses the defaults (5 %, 0.1 %, 200, 1000, 10) when nothing is set', () => {
    expect(breakerPolicyFromEnv({})).toEqual(DEFAULT_BREAKER_POLICY);
    expect(breakerPolicyFromEnv({ NEWSBRIEF_MAX_COMPLAINTS: ' ', NEWSBRIEF_BREAKER_MIN_COMPLAINT_SAMPLE: '' })).toEqual(
      DEFAULT_BREAKER_POLICY,
    );
    expect(DEFAULT_BREAKER_POLICY).toEqual({
      maxBounceRate: 0.05,
      maxComplaintRate: 0.001,
      minSample: 200,
      minComplaintSample: 1000,
      maxComplaints: 10,
    });
  });

  it('reads the five variables', () => {
    expect(
      breakerPolicyFromEnv({
        NEWSBRIEF_MAX_BOUNCE_RATE: '0.03',
        NEWSBRIEF_MAX_COMPLAINT_RATE: '0.0005',
        NEWSBRIEF_BREAKER_MIN_SAMPLE: '500',
        NEWSBRIEF_BREAKER_MIN_COMPLAINT_SAMPLE: ' 2000 ',
        NEWSBRIEF_MAX_COMPLAINTS: '5',
      }),
    ).toEqual({ maxBounceRate: 0.03, maxComplaintRate: 0.0005, minSample: 500, minComplaintSample: 2000, maxComplaints: 5 });
  });

  it('reads each complaint setting on its own, and allows a limit of 0 complaints', () => {
    expect(breakerPolicyFromEnv({ NEWSBRIEF_BREAKER_MIN_COMPLAINT_SAMPLE: '5000' })).toEqual({
      ...DEFAULT_BREAKER_POLICY,
      minComplaintSample: 5000,
    });
    expect(breakerPolicyFromEnv({ NEWSBRIEF_MAX_COMPLAINTS: '0' })).toEqual({ ...DEFAULT_BREAKER_POLICY, maxComplaints: 0 });
  });

  it.each([
    [{ NEWSBRIEF_MAX_BOUNCE_RATE: '5' }, 'NEWSBRIEF_MAX_BOUNCE_RATE must be a rate between 0 and 1'],
    [{ NEWSBRIEF_MAX_COMPLAINT_RATE: 'lots' }, 'NEWSBRIEF_MAX_COMPLAINT_RATE must be a rate between 0 and 1'],
    [{ NEWSBRIEF_BREAKER_MIN_SAMPLE: '0.5' }, 'NEWSBRIEF_BREAKER_MIN_SAMPLE must be a whole number of at least 1, got "0.5"'],
    [
      { NEWSBRIEF_BREAKER_MIN_COMPLAINT_SAMPLE: '0' },
      'NEWSBRIEF_BREAKER_MIN_COMPLAINT_SAMPLE must be a whole number of at least 1, got "0"',
    ],
    [
      { NEWSBRIEF_BREAKER_MIN_COMPLAINT_SAMPLE: '1k' },
      'NEWSBRIEF_BREAKER_MIN_COMPLAINT_SAMPLE must be a whole number of at least 1, got "1k"',
    ],
    [{ NEWSBRIEF_MAX_COMPLAINTS: '-1' }, 'NEWSBRIEF_MAX_COMPLAINTS must be a whole number of at least 0, got "-1"'],
    [{ NEWSBRIEF_MAX_COMPLAINTS: '2.5' }, 'NEWSBRIEF_MAX_COMPLAINTS must be a whole number of at least 0, got "2.5"'],
  ])('names the variable that is unusable: %j', (env, message) => {
    expect(() => breakerPolicyFromEnv(env)).toThrow(BreakerConfigError);
    expect(() => breakerPolicyFromEnv(env)).toThrow(message);
  });
});
