/**
 * The confirmation mails' own circuit breaker. Confirmations go to addresses nobody has vouched for yet, so a
 * form fed with strangers' or made-up addresses shows up as their bounces and complaints; those are held
 * against each list's confirmations of the day (a fixed window), never against its issues. Past the limits
 * the list mails no more confirmations (the form answers as always) until the day's window passes or a person
 * resets the breaker. The arithmetic is the issue breaker's (evaluateBreaker), with stricter limits.
 */
import type { BreakerPolicy } from '../config/breaker-policy.js';
import type { ConfirmationThrottle, WindowCount } from '../ports.js';
import { type BreakerVerdict, evaluateBreaker } from './circuit-breaker.js';

/** The `issue` tag every confirmation mail carries (the id of its brief): feedback with it is a confirmation's. */
export const CONFIRMATION_MAIL_ID = 'confirm-subscription';

/** The breaker's window: a day, so that complaints, which come hours late, still meet the sends they answer. */
export const CONFIRMATION_BREAKER_WINDOW_MS = 24 * 60 * 60 * 1000;

/**
 * The confirmation breaker's limits per list and day: a bounce rate over 10 % from 20 sent (typos bounce, so
 * some is normal), and a third complaint (a person who never asked; one or two are reflexes) before 300 sent,
 * a complaint rate over 1 % after.
 */
export const DEFAULT_CONFIRMATION_BREAKER: Required<BreakerPolicy> = {
  maxBounceRate: 0.1,
  maxComplaintRate: 0.01,
  minSample: 20,
  minComplaintSample: 300,
  maxComplaints: 2,
};

/** What the breaker counts. */
export type ConfirmationCounter = 'sent' | 'bounced' | 'complained';

/** The counter of `list`'s confirmation mails of one kind. */
export function confirmationCount(list: string, counter: ConfirmationCounter): WindowCount {
  return { key: `breaker#${list}#${counter}`, windowMs: CONFIRMATION_BREAKER_WINDOW_MS };
}

/** The breaker's counters of `list`: sent, bounced, complained (the order breakerVerdictOf reads). */
export function breakerCounts(list: string): WindowCount[] {
  return (['sent', 'bounced', 'complained'] as const).map((counter) => confirmationCount(list, counter));
}

/** The verdict from the values of breakerCounts, read by the caller (the form reads them with its budgets, in one go). */
export function breakerVerdictOf(values: readonly number[], policy: BreakerPolicy = DEFAULT_CONFIRMATION_BREAKER): BreakerVerdict {
  const [sent = 0, bounced = 0, complained = 0] = values;
  return evaluateBreaker(sent, { bounced, complained }, policy);
}

/** Whether `list`'s confirmations must stop now, from the day's counts. */
export async function confirmationBreakerVerdict(
  throttle: Pick<ConfirmationThrottle, 'read'>,
  list: string,
  atMs: number,
  policy: BreakerPolicy = DEFAULT_CONFIRMATION_BREAKER,
): Promise<BreakerVerdict> {
  return breakerVerdictOf(await throttle.read(breakerCounts(list), atMs), policy);
}

/**
 * Counts `n` bounces or complaints of `list`'s confirmations; returns the verdict when these made the breaker
 * trip (it had not before), for an alarm to say so once.
 */
export async function countConfirmationFeedback(
  throttle: Pick<ConfirmationThrottle, 'read' | 'add'>,
  list: string,
  counter: 'bounced' | 'complained',
  n: number,
  atMs: number,
  policy: BreakerPolicy = DEFAULT_CONFIRMATION_BREAKER,
): Promise<Extract<BreakerVerdict, { trip: true }> | undefined> {
  const before = await confirmationBreakerVerdict(throttle, list, atMs, policy);
  await throttle.add(confirmationCount(list, counter), atMs, n);
  if (before.trip) return undefined;
  const after = await confirmationBreakerVerdict(throttle, list, atMs, policy);
  return after.trip ? after : undefined;
}

/**
 * Resets `list`'s confirmation breaker: the day's counts start again from 0, so (as with the issue breaker's
 * override) what tripped it cannot trip it again at once, and the sends from now make their own sample.
 */
export async function resetConfirmationBreaker(throttle: Pick<ConfirmationThrottle, 'reset'>, list: string, atMs: number): Promise<void> {
  await Promise.all(breakerCounts(list).map((count) => throttle.reset(count, atMs)));
}
