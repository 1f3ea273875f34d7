/**
 * How many confirmation mails the public form may cause: per normalized mailbox of a list (so that `+tag` and
 * case variants share one budget), per list and overall, each a fixed-window counter in the table. A post over
 * any budget gets the ordinary answer and no mail, so a stranger cannot use the form to flood an inbox or burn
 * the account's reputation. Fixed windows (not sliding) because one conditional increment decides each: at a
 * window's edge a mailbox may get its next mail early, and the day's budget still bounds it.
 */
import type { ConfirmationThrottle, WindowBudget } from '../ports.js';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/** At most `limit` confirmation mails per `windowMs`. */
export interface RateLimit {
  readonly limit: number;
  readonly windowMs: number;
}

/** The form's budgets. */
export interface ConfirmationLimits {
  /** Per normalized mailbox and list; every one applies (a short window against bursts, a day against drips). */
  readonly perMailbox: readonly RateLimit[];
  /** Per list, whatever the addresses. */
  readonly perList: RateLimit;
  /** All lists together (what the account's reputation sees). */
  readonly overall: RateLimit;
}

/** One mail per mailbox per 10 minutes and 3 a day; 100 per list and 500 in all per hour. */
export const DEFAULT_CONFIRMATION_LIMITS: ConfirmationLimits = {
  perMailbox: [
    { limit: 1, windowMs: 10 * MINUTE },
    { limit: 3, windowMs: DAY },
  ],
  perList: { limit: 100, windowMs: HOUR },
  overall: { limit: 500, windowMs: HOUR },
};

/** `base` with other hourly budgets per list and overall (from the environment); a fraction is rounded down. */
export function withHourlyBudgets(
  base: ConfirmationLimits,
  hourly: { readonly perList?: number | undefined; readonly overall?: number | undefined },
): ConfirmationLimits {
  return {
    ...base,
    perList: hourly.perList === undefined ? base.perList : { limit: Math.floor(hourly.perList), windowMs: HOUR },
    overall: hourly.overall === undefined ? base.overall : { limit: Math.floor(hourly.overall), windowMs: HOUR },
  };
}

/** Which budget refused a confirmation mail (`breaker`: the list's confirmation breaker is tripped). */
export type ConfirmationRefusal = 'mailbox' | 'list' | 'overall' | 'breaker';

/** A budget and the refusal it stands for. */
export type ScopedBudget = WindowBudget & { readonly scope: Exclude<ConfirmationRefusal, 'breaker'> };

/**
 * The budgets one confirmation mail to `mailbox` (a mailboxKey) on `list` takes, in the order they are taken:
 * the mailbox first, so that a flood of one inbox never holds list budget even for a moment.
 */
export function confirmationBudgets(list: string, mailbox: string, limits: ConfirmationLimits): ScopedBudget[] {
  return [
    ...limits.perMailbox.map(({ limit, windowMs }) => ({
      scope: 'mailbox' as const,
      key: `mailbox#${list}#${windowMs}#${mailbox}`,
      windowMs,
      limit,
    })),
    { scope: 'list', key: `list#${list}#${limits.perList.windowMs}`, ...limits.perList },
    { scope: 'overall', key: `overall#${limits.overall.windowMs}`, ...limits.overall },
  ];
}

/**
 * The first of `budgets` already at its limit, from `values` read in the same order: a flood is mostly
 * refusals, and a read refuses them without a write (DynamoDB charges a refused conditional write as a write).
 * Racing posts that all read "not spent" are still held by the conditional takes.
 */
export function firstSpent(budgets: readonly ScopedBudget[], values: readonly number[]): ScopedBudget | undefined {
  return budgets.find((budget, i) => (values[i] ?? 0) >= budget.limit);
}

/** What claiming the budgets gave: all of them (to give back if the mail does not go out), or the one that refused. */
export type BudgetClaim =
  | { readonly ok: true; readonly taken: readonly ScopedBudget[] }
  | { readonly ok: false; readonly refused: ScopedBudget['scope'] };

/** Takes every budget in order, or none: at the first one spent, those taken before it are given back. */
export async function claimBudgets(throttle: ConfirmationThrottle, budgets: readonly ScopedBudget[], atMs: number): Promise<BudgetClaim> {
  const taken: ScopedBudget[] = [];
  for (const budget of budgets) {
    if (await throttle.take(budget, atMs)) taken.push(budget);
    else {
      await giveBack(throttle, taken, atMs);
      return { ok: false, refused: budget.scope };
    }
  }
  return { ok: true, taken };
}

/** Gives back budgets taken at `atMs` (the mail was known not to go out, or a later budget refused). */
export async function giveBack(throttle: ConfirmationThrottle, taken: readonly ScopedBudget[], atMs: number): Promise<void> {
  await Promise.all(taken.map((budget) => throttle.add(budget, atMs, -1)));
}
