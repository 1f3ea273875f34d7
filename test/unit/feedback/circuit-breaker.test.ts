import { describe, expect, it } from 'vitest';
import { breakerPolicyFor, DEFAULT_BREAKER_POLICY, evaluateBreaker, feedbackRates, percent } from '../../../src/feedback/circuit-breaker.js';

const policy = DEFAULT_BREAKER_POLICY;

describe('evaluateBreaker', () => {
  it.each([
    // sent, bounced, complained, trips?
    [0, 0, 0, false],
    [10, 1, 0, false], // one early bounce: 10 % but under the minimum sample
    [199, 50, 5, false], // still under the minimum sample
    [200, 10, 0, false], // exactly 5 %: not past it
    [200, 11, 0, true], // 5.5 %
    [1000, 1, 1, false], // 0.1 % complaints: not past it
    [1000, 0, 2, true], // 0.2 % complaints
    [10000, 499, 10, false],
  ])('sent %i, bounced %i, complained %i → trips: %s', (sent, bounced, complained, trips) => {
    expect(evaluateBreaker(sent, { bounced, complained }, policy).trip).toBe(trips);
  });

  it('says which rate passed which limit', () => {
    const verdict = evaluateBreaker(1000, { bounced: 60, complained: 0 }, policy);
    expect(verdict).toEqual({ trip: true, reason: 'bounce rate 6 % (60 of 1000 sent) passed the limit of 5 %' });
    const complaint = evaluateBreaker(1000, { bounced: 0, complained: 3 }, policy);
    expect(complaint.trip && complaint.reason).toBe('complaint rate 0.3 % (3 of 1000 sent) passed the limit of 0.1 %');
  });

  it('uses a list\'s own limits over the base ones', () => {
    const own = breakerPolicyFor({ breaker: { maxBounceRate: 0.02, minSample: 50 } }, policy);
    expect(own).toEqual({ maxBounceRate: 0.02, maxComplaintRate: 0.001, minSample: 50 });
    expect(evaluateBreaker(50, { bounced: 2, complained: 0 }, own).trip).toBe(true);
    expect(breakerPolicyFor(undefined, policy)).toEqual(policy);
  });
});

describe('feedbackRates and percent', () => {
  it('is zero with nothing sent and formats rates for people', () => {
    expect(feedbackRates(0, { bounced: 3, complained: 1 })).toEqual({ bounceRate: 0, complaintRate: 0 });
    expect(feedbackRates(400, { bounced: 2, complained: 1 })).toEqual({ bounceRate: 0.005, complaintRate: 0.0025 });
    expect(percent(0.0012)).toBe('0.12 %');
    expect(percent(0.05)).toBe('5 %');
  });
});
