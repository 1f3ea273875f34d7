/** The circuit breaker's limits as configuration: their shape and defaults (the arithmetic is in src/breaker/circuit-breaker.ts). */

/** When an issue's remaining sends are paused. */
export interface BreakerPolicy {
  /** Permanent bounces / sent, above which the issue stops (SES reviews accounts at 5 %). */
  readonly maxBounceRate: number;
  /** Complaints / sent, above which the issue stops (mailbox providers want < 0.1 %). */
  readonly maxComplaintRate: number;
  /** Messages sent before the bounce rate means anything. */
  readonly minSample: number;
  /** Messages sent before the complaint rate means anything (absent: the default, 1000). */
  readonly minComplaintSample?: number;
  /** Complaints above which the issue stops while fewer than `minComplaintSample` were sent (absent: the default, 10). */
  readonly maxComplaints?: number;
}

/** A list's overrides of the limits: each one absent or undefined means the default. */
export type BreakerOverrides = { readonly [K in keyof BreakerPolicy]?: BreakerPolicy[K] | undefined };

/**
 * The limits unless the lists configuration or the environment says otherwise.
 * - minComplaintSample 1000: at the 0.1 % limit, 1000 sent is the smallest sample in which one complaint is not
 *   already a breach, so the rate is judged only from there.
 * - maxComplaints 10: ten complaints before 1000 sent is a rate of at least 1 %, twice the 0.5 % at which SES may
 *   pause sending, so an issue drawing them is stopped early; a few reflexive "spam" clicks on a small list are not.
 */
export const DEFAULT_BREAKER_POLICY: Required<BreakerPolicy> = {
  maxBounceRate: 0.05,
  maxComplaintRate: 0.001,
  minSample: 200,
  minComplaintSample: 1000,
  maxComplaints: 10,
};
