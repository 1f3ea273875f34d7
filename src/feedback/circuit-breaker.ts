/**
 * The circuit breaker's arithmetic: an issue whose bounce or complaint rate passes the limit stops sending,
 * before SES reviews (or pauses) the whole account. Rates count against messages SES accepted, and nothing
 * trips before `minSample` of them, so that one early bounce cannot stop an issue.
 */
import type { FeedbackCounts } from '../ports.js';

/** When an issue's remaining sends are paused. */
export interface BreakerPolicy {
  /** Permanent bounces / sent, above which the issue stops (SES reviews accounts at 5 %). */
  readonly maxBounceRate: number;
  /** Complaints / sent, above which the issue stops (mailbox providers want < 0.1 %). */
  readonly maxComplaintRate: number;
  /** Messages sent before the rates mean anything. */
  readonly minSample: number;
}

/** The limits unless the lists configuration or the environment says otherwise. */
export const DEFAULT_BREAKER_POLICY: BreakerPolicy = { maxBounceRate: 0.05, maxComplaintRate: 0.001, minSample: 200 };

/** An issue's bounce and complaint rates (0 when nothing was sent). */
export interface FeedbackRates {
  readonly bounceRate: number;
  readonly complaintRate: number;
}

/** Rates of permanent bounces and complaints per message sent. */
export function feedbackRates(sent: number, counts: Pick<FeedbackCounts, 'bounced' | 'complained'>): FeedbackRates {
  return sent > 0 ? { bounceRate: counts.bounced / sent, complaintRate: counts.complained / sent } : { bounceRate: 0, complaintRate: 0 };
}

/** Whether an issue should stop; the reason says which rate passed which limit. */
export type BreakerVerdict = { readonly trip: false } | { readonly trip: true; readonly reason: string };

/** Decides from the counts whether to trip; pure, so that the send path and the feedback handler agree. */
export function evaluateBreaker(sent: number, counts: Pick<FeedbackCounts, 'bounced' | 'complained'>, policy: BreakerPolicy): BreakerVerdict {
  if (sent < policy.minSample) return { trip: false };
  const { bounceRate, complaintRate } = feedbackRates(sent, counts);
  if (bounceRate > policy.maxBounceRate) {
    return { trip: true, reason: `bounce rate ${percent(bounceRate)} (${counts.bounced} of ${sent} sent) passed the limit of ${percent(policy.maxBounceRate)}` };
  }
  if (complaintRate > policy.maxComplaintRate) {
    return {
      trip: true,
      reason: `complaint rate ${percent(complaintRate)} (${counts.complained} of ${sent} sent) passed the limit of ${percent(policy.maxComplaintRate)}`,
    };
  }
  return { trip: false };
}

/** A rate as a percentage with up to three decimals: 0.0012 → "0.12 %". */
export function percent(rate: number): string {
  return `${Number((rate * 100).toFixed(3))} %`;
}

/** The policy of one list: its own overrides over `base` (the defaults, or the environment's). */
export function breakerPolicyFor(list: { readonly breaker?: Partial<BreakerPolicy> | undefined } | undefined, base: BreakerPolicy = DEFAULT_BREAKER_POLICY): BreakerPolicy {
  const own = list?.breaker ?? {};
  return {
    maxBounceRate: own.maxBounceRate ?? base.maxBounceRate,
    maxComplaintRate: own.maxComplaintRate ?? base.maxComplaintRate,
    minSample: own.minSample ?? base.minSample,
  };
}
