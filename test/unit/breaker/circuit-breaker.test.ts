import { describe, expect, it } from 'vitest';
import { breakerPolicyFor, evaluateBreaker, feedbackRates, percent } from '../../../src/breaker/circuit-breaker.js';
import { DEFAULT_BREAKER_POLICY } from '../../../src/config/breaker-policy.js';

const policy = DEFAULT_BREAKER_POLICY;

describe('evaluateBreaker', () => {
  it('has the defaults 5 % from 200 sent, 0.1 % from 1000 sent, and 10 complaints before that', () => {
    expect(DEFAULT_BREAKER_POLICY).toEqual({
      maxBounceRate: 0.05,
      maxComplaintRate: 0.001,
      minSample: 200,
      minComplaintSample: 1000,
      maxComplaints: 10,
    });
  });

  it.each([
    // sent, bounced, complained, trips?
    [0, 0, 0, false],
    [10, 1, 0, false], // one early bounce: 10 % but under the minimum sample
    [199, 50, 5, false], // still under the minimum sample, and 5 complaints are not past 10
    [200, 10, 0, false], // exactly 5 %: not past it
    [200, 11, 0, true], // 5.5 %
    [1, 0, 1, false], // one complaint on the first message: 100 %, but the complaint rate is not judged yet
    [200, 0, 1, false], // 0.5 %, not judged yet
    [999, 0, 1, false], // 0.1001 %, not judged yet
    [999, 0, 10, false], // 10 complaints: at the count limit, not past it
    [50, 0, 11, true], // 11 complaints: past the count limit, however few were sent
    [1000, 1, 1, false], // 0.1 % complaints: not past it
    [1000, 0, 2, true], // 0.2 % complaints
    [10000, 499, 10, false],
    [100000, 0, 11, false], // once the rate is judged it alone decides: 0.011 %
    [100000, 0, 101, true], // 0.101 %
  ])('sent %i, bounced %i, complained %i → trips: %s', (sent, bounced, complained, trips) => {
    expect(evaluateBreaker(sent, { bounced, complained }, policy).trip).toBe(trips);
  });

  it('lets one complaint anywhere in the first 999 sent pass', () => {
    for (let sent = 1; sent < 1000; sent++) expect(evaluateBreaker(sent, { bounced: 0, complained: 1 }, policy)).toEqual({ trip: false });
  });

  it('says which threshold was passed, in words and as `threshold`', () => {
    expect(evaluateBreaker(1000, { bounced: 60, complained: 0 }, policy)).toEqual({
      trip: true,
      threshold: 'bounceRate',
      reason: 'bounce rate 6 % (60 of 1000 sent) passed the limit of 5 %',
    });
    expect(evaluateBreaker(1000, { bounced: 0, complained: 2 }, policy)).toEqual({
      trip: true,
      threshold: 'complaintRate',
      reason: 'complaint rate 0.2 % (2 of 1000 sent) passed the limit of 0.1 %',
    });
    expect(evaluateBreaker(2000, { bounced: 0, complained: 3 }, policy)).toEqual({
      trip: true,
      threshold: 'complaintRate',
      reason: 'complaint rate 0.15 % (3 of 2000 sent) passed the limit of 0.1 %',
    });
    expect(evaluateBreaker(640, { bounced: 0, complained: 11 }, policy)).toEqual({
      trip: true,
      threshold: 'complaints',
      reason: '11 complaints passed the limit of 10 complaints',
    });
    expect(evaluateBreaker(640, { bounced: 0, complained: 12 }, policy)).toMatchObject({
      reason: '12 complaints passed the limit of 10 complaints',
    });
    expect(evaluateBreaker(10, { bounced: 0, complained: 2 }, { ...policy, maxComplaints: 1 })).toMatchObject({
      threshold: 'complaints',
      reason: '2 complaints passed the limit of 1 complaint',
    });
    expect(evaluateBreaker(10, { bounced: 0, complained: 1 }, { ...policy, maxComplaints: 0 })).toMatchObject({
      threshold: 'complaints',
      reason: '1 complaint passed the limit of 0 complaints',
    });
  });

  it('names the bounce rate when both bounces and complaints are past their limits', () => {
    expect(evaluateBreaker(500, { bounced: 30, complained: 11 }, policy)).toMatchObject({ trip: true, threshold: 'bounceRate' });
  });

  it('judges the bounce rate and the complaint rate each from its own sample', () => {
    const own = { ...policy, minSample: 500, minComplaintSample: 100 };
    expect(evaluateBreaker(100, { bounced: 10, complained: 0 }, own).trip).toBe(false); // 10 % bounces, under 500 sent
    expect(evaluateBreaker(100, { bounced: 10, complained: 1 }, own)).toMatchObject({ trip: true, threshold: 'complaintRate' }); // 1 % complaints
    expect(evaluateBreaker(99, { bounced: 10, complained: 1 }, own).trip).toBe(false);
  });

  it('takes the defaults for a policy without the complaint sample and count', () => {
    const older = { maxBounceRate: 0.05, maxComplaintRate: 0.001, minSample: 10 };
    expect(evaluateBreaker(500, { bounced: 0, complained: 1 }, older).trip).toBe(false);
    expect(evaluateBreaker(500, { bounced: 0, complained: 11 }, older)).toMatchObject({ threshold: 'complaints' });
  });
});

describe('breakerPolicyFor', () => {
  it("uses a list's own limits over the base ones", () => {
    const own = breakerPolicyFor({ breaker: { maxBounceRate: 0.02, minSample: 50 } }, policy);
    expect(own).toEqual({ ...policy, maxBounceRate: 0.02, minSample: 50 });
    expect(evaluateBreaker(50, { bounced: 2, complained: 0 }, own).trip).toBe(true);
    expect(breakerPolicyFor(undefined, policy)).toEqual(policy);
  });

  it("uses a list's own complaint sample and count over the base ones", () => {
    const base = { ...policy, minComplaintSample: 5000, maxComplaints: 20 };
    const own = breakerPolicyFor({ breaker: { minComplaintSample: 300, maxComplaints: 2 } }, base);
    expect(own).toEqual({ ...policy, minComplaintSample: 300, maxComplaints: 2 });
    expect(evaluateBreaker(299, { bounced: 0, complained: 3 }, own)).toMatchObject({
      trip: true,
      threshold: 'complaints',
      reason: '3 complaints passed the limit of 2 complaints',
    });
    expect(evaluateBreaker(300, { bounced: 0, complained: 1 }, own)).toMatchObject({ trip: true, threshold: 'complaintRate' });
    expect(breakerPolicyFor({ breaker: {} }, base)).toEqual(base);
  });

  it('fills the complaint sample and count from the defaults when the base has none', () => {
    expect(breakerPolicyFor(undefined, { maxBounceRate: 0.05, maxComplaintRate: 0.001, minSample: 10 })).toEqual({
      ...policy,
      minSample: 10,
    });
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
