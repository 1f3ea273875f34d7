/**
 * The circuit breaker's arithmetic: an issue whose bounce or complaint rate passes the limit stops sending,
 * before SES reviews (or pauses) the whole account. Rates count against messages SES accepted. The bounce rate
 * is judged from `minSample` sent, so that one early bounce cannot stop an issue; the complaint rate, whose limit
 * is fifty times lower, only from `minComplaintSample` sent (below that one complaint is already past 0.1 %).
 * Until then an absolute count, `maxComplaints`, stops an issue that is clearly drawing complaints.
 */
import { type BreakerOverrides, type BreakerPolicy, DEFAULT_BREAKER_POLICY } from '../config/breaker-policy.js';
import type { FeedbackCounts } from '../model.js';

/** An issue's bounce and complaint rates (0 when nothing was sent). */
export interface FeedbackRates {
  readonly bounceRate: number;
  readonly complaintRate: number;
}

/** Rates of permanent bounces and complaints per message sent. */
export function feedbackRates(sent: number, counts: Pick<FeedbackCounts, 'bounced' | 'complained'>): FeedbackRates {
  return sent > 0 ? { bounceRate: counts.bounced / sent, complaintRate: counts.complained / sent } : { bounceRate: 0, complaintRate: 0 };
}

/** Which limit an issue passed: the bounce rate, the complaint rate, or the count of complaints. */
export type BreakerThreshold = 'bounceRate' | 'complaintRate' | 'complaints';

/** Whether an issue should stop; the reason says which limit was passed, and `threshold` names it for machines. */
export type BreakerVerdict =
  | { readonly trip: false }
  | { readonly trip: true; readonly threshold: BreakerThreshold; readonly reason: string };

/**
 * Decides from the counts whether to trip; pure, so that the send path and the feedback handler agree.
 * The bounce rate counts from `minSample` sent; the complaint rate from `minComplaintSample` sent, and before
 * that the number of complaints against `maxComplaints` (once the rate is judged, it alone decides: a count
 * would stop every large issue at a rate far below the limit).
 */
export function evaluateBreaker(
  sent: number,
  counts: Pick<FeedbackCounts, 'bounced' | 'complained'>,
  policy: BreakerPolicy,
): BreakerVerdict {
  const minComplaintSample = policy.minComplaintSample ?? DEFAULT_BREAKER_POLICY.minComplaintSample;
  const maxComplaints = policy.maxComplaints ?? DEFAULT_BREAKER_POLICY.maxComplaints;
  const { bounceRate, complaintRate } = feedbackRates(sent, counts);
  if (sent >= policy.minSample && bounceRate > policy.maxBounceRate) {
    return {
      trip: true,
      threshold: 'bounceRate',
      reason: `bounce rate ${percent(bounceRate)} (${counts.bounced} of ${sent} sent) passed the limit of ${percent(policy.maxBounceRate)}`,
    };
  }
  if (sent >= minComplaintSample) {
    if (complaintRate > policy.maxComplaintRate) {
      return {
        trip: true,
        threshold: 'complaintRate',
        reason: `complaint rate ${percent(complaintRate)} (${counts.complained} of ${sent} sent) passed the limit of ${percent(policy.maxComplaintRate)}`,
      };
    }
  } else if (counts.complained > maxComplaints) {
    return {
      trip: true,
      threshold: 'complaints',
      reason: `${complaints(counts.complained)} passed the limit of ${complaints(maxComplaints)}`,
    };
  }
  return { trip: false };
}

const complaints = (n: number): string => `${n} ${n === 1 ? 'complaint' : 'complaints'}`;

/** A rate as a percentage with up to three decimals: 0.0012 → "0.12 %". */
export function percent(rate: number): string {
  return `${Number((rate * 100).toFixed(3))} %`;
}

/** The policy of one list: its own overrides over `base` (the defaults, or the environment's). */
export function breakerPolicyFor(
  list: { readonly breaker?: BreakerOverrides | undefined } | undefined,
  base: BreakerPolicy = DEFAULT_BREAKER_POLICY,
): Required<BreakerPolicy> {
  const own = list?.breaker ?? {};
  return {
    maxBounceRate: own.maxBounceRate ?? base.maxBounceRate,
    maxComplaintRate: own.maxComplaintRate ?? base.maxComplaintRate,
    minSample: own.minSample ?? base.minSample,
    minComplaintSample: own.minComplaintSample ?? base.minComplaintSample ?? DEFAULT_BREAKER_POLICY.minComplaintSample,
    maxComplaints: own.maxComplaints ?? base.maxComplaints ?? DEFAULT_BREAKER_POLICY.maxComplaints,
  };
}
