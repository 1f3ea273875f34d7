/** Arithmetic on an issue's feedback counts, shared by every FeedbackLedger adapter. */
import type { FeedbackCounts } from '../model.js';

/** Feedback counts of an issue nothing has happened to yet. */
export const ZERO_FEEDBACK: FeedbackCounts = {
  suppressed: 0,
  held: 0,
  delivered: 0,
  bounced: 0,
  softBounced: 0,
  complained: 0,
  rejected: 0,
  unsubscribed: 0,
};

/** The counter names, in report order. */
export const FEEDBACK_COUNTERS = Object.keys(ZERO_FEEDBACK) as readonly (keyof FeedbackCounts)[];

/** Adds a partial delta to feedback counts. */
export function addFeedback(counts: FeedbackCounts, delta: Partial<FeedbackCounts>): FeedbackCounts {
  const out = { ...counts };
  // A count stored before a counter existed reads as 0, not NaN.
  for (const name of FEEDBACK_COUNTERS) out[name] = (out[name] ?? 0) + (delta[name] ?? 0);
  return out;
}
