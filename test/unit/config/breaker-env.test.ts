import { describe, expect, it } from 'vitest';
import { BreakerConfigError, breakerPolicyFromEnv } from '../../../src/config/breaker-env.js';
import { DEFAULT_BREAKER_POLICY } from '../../../src/feedback/circuit-breaker.js';

describe('breakerPolicyFromEnv', () => {
  it('uses the defaults (5 %, 0.1 %, 200) when nothing is set', () => {
    expect(breakerPolicyFromEnv({})).toEqual(DEFAULT_BREAKER_POLICY);
    expect(DEFAULT_BREAKER_POLICY).toEqual({ maxBounceRate: 0.05, maxComplaintRate: 0.001, minSample: 200 });
  });

  it('reads the three variables', () => {
    expect(breakerPolicyFromEnv({ NEWSBRIEF_MAX_BOUNCE_RATE: '0.03', NEWSBRIEF_MAX_COMPLAINT_RATE: '0.0005', NEWSBRIEF_BREAKER_MIN_SAMPLE: '500' })).toEqual({
      maxBounceRate: 0.03,
      maxComplaintRate: 0.0005,
      minSample: 500,
    });
  });

  it.each([
    [{ NEWSBRIEF_MAX_BOUNCE_RATE: '5' }, 'NEWSBRIEF_MAX_BOUNCE_RATE must be a rate between 0 and 1'],
    [{ NEWSBRIEF_MAX_COMPLAINT_RATE: 'lots' }, 'NEWSBRIEF_MAX_COMPLAINT_RATE must be a rate between 0 and 1'],
    [{ NEWSBRIEF_BREAKER_MIN_SAMPLE: '0.5' }, 'NEWSBRIEF_BREAKER_MIN_SAMPLE must be a whole number'],
  ])('names the variable that is unusable: %j', (env, message) => {
    expect(() => breakerPolicyFromEnv(env)).toThrow(BreakerConfigError);
    expect(() => breakerPolicyFromEnv(env)).toThrow(message);
  });
});
