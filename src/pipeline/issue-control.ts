/**
 * Issue control by a person: pause an issue's sending, resume it, or cancel it for good. Pure over the ports
 * (the CLI's `newsbrief issue …` and the studio call the same functions); the send path honours what these
 * write: a paused issue's jobs wait, a cancelled issue's jobs send nothing, a breaker-held issue's jobs hold.
 */
import type { Clock, FeedbackLedger, Ledger } from '../ports.js';
import type { BreakerOverride, BreakerTrip, IssuePause, IssueRecord, IssueRef } from '../model.js';

/** What issue control needs. */
export interface IssueControlDeps {
  readonly ledger: Pick<Ledger, 'getIssue' | 'setIssuePause' | 'cancelIssue'>;
  readonly feedback: Pick<FeedbackLedger, 'issueHealth' | 'overrideBreaker'>;
  readonly clock: Clock;
}

/** Why a control was refused. */
export type IssueControlRefusal = 'unknown-issue' | 'cancelled' | 'breaker-held' | 'breaker-changed';

/** A control that was refused; the message names the issue and what to do. */
export class IssueControlError extends Error {
  override readonly name = 'IssueControlError';
  constructor(
    readonly refusal: IssueControlRefusal,
    message: string,
    /** The breaker's trip, for `breaker-held`. */
    readonly trip?: BreakerTrip,
  ) {
    super(message);
  }
}

/** How a pause ended. */
export interface PauseResult {
  readonly issue: IssueRef;
  readonly pause: IssuePause;
  /** The pause it replaced (a quota or account pause, or an earlier manual one). */
  readonly previous?: IssuePause | undefined;
}

/** How a resume ended. */
export interface ResumeResult {
  readonly issue: IssueRef;
  /** False when there was nothing to resume (neither paused nor held by the breaker). */
  readonly resumed: boolean;
  /** The pause cleared, if there was one. */
  readonly cleared?: IssuePause | undefined;
  /** The breaker override recorded, when the issue was held by the breaker. */
  readonly override?: BreakerOverride | undefined;
  /**
   * True when the caller must plan the issue again: the breaker's held jobs completed without sending and
   * their recipients were not kept. Locally: run `newsbrief send` on the brief again (the delivery claims skip
   * whoever has it); on AWS: plan the issue again from page 0.
   */
  readonly replan: boolean;
  /** The brief's key, as recorded when the issue was claimed (`briefs/<file>`). */
  readonly source: string;
}

/** How a cancel ended. */
export interface CancelResult {
  readonly issue: IssueRef;
  /** ISO 8601: when it was cancelled (the first time, when it had been before). */
  readonly cancelledAt: string;
  /** True when it had been cancelled before: nothing changed. */
  readonly already: boolean;
}

/** Pauses an issue by hand: its jobs wait (on AWS they look again every 15 minutes) until it is resumed. */
export async function pauseIssue(
  deps: IssueControlDeps,
  issue: IssueRef,
  options: { readonly reason?: string | undefined; readonly by?: string | undefined } = {},
): Promise<PauseResult> {
  const record = await liveIssue(deps, issue, 'paused');
  const reason = options.reason?.trim() || `paused by hand${options.by ? ` by ${options.by}` : ''}`;
  const pause: IssuePause = { kind: 'manual', reason, at: now(deps) };
  await deps.ledger.setIssuePause(issue, pause);
  return { issue, pause, ...(record.pause ? { previous: record.pause } : {}) };
}

/**
 * Resumes an issue: clears any pause (manual, quota or account: a person says SES takes messages again).
 * An issue held by its circuit breaker resumes only with `overrideBreaker`, which clears the breaker and
 * records who overrode it, when, and the trip it cleared; the caller then re-plans (see ResumeResult.replan).
 */
export async function resumeIssue(
  deps: IssueControlDeps,
  issue: IssueRef,
  options: { readonly overrideBreaker?: boolean | undefined; readonly by?: string | undefined } = {},
): Promise<ResumeResult> {
  const record = await liveIssue(deps, issue, 'resumed');
  const health = await deps.feedback.issueHealth(issue);
  const trip = health.breaker;
  // Refused before anything changes: a pause stays in place when the breaker still holds the issue.
  if (trip && !options.overrideBreaker) {
    throw new IssueControlError(
      'breaker-held',
      `issue ${name(issue)} is held by its circuit breaker, tripped at ${trip.at}: ${trip.reason}`,
      trip,
    );
  }
  let override: BreakerOverride | undefined;
  if (trip) {
    override = {
      at: now(deps),
      ...(options.by ? { by: options.by } : {}),
      previous: trip,
      baseline: { sent: record.counts.sent, bounced: health.counts.bounced, complained: health.counts.complained },
    };
    if (!(await deps.feedback.overrideBreaker(issue, override))) {
      throw new IssueControlError(
        'breaker-changed',
        `the circuit breaker of issue ${name(issue)} changed meanwhile (overridden or tripped again); look at its report and try again`,
      );
    }
  }
  if (record.pause) await deps.ledger.setIssuePause(issue, undefined);
  return {
    issue,
    resumed: Boolean(record.pause || override),
    ...(record.pause ? { cleared: record.pause } : {}),
    ...(override ? { override } : {}),
    replan: override !== undefined,
    source: record.source,
  };
}

/** Cancels an issue for good: its remaining jobs send nothing. Cancelling it again changes nothing. */
export async function cancelIssue(deps: IssueControlDeps, issue: IssueRef): Promise<CancelResult> {
  const record = await deps.ledger.getIssue(issue);
  if (!record) throw unknownIssue(issue, 'cancelled', '; a scheduled issue is cancelled by deleting its brief');
  if (record.cancelledAt) return { issue, cancelledAt: record.cancelledAt, already: true };
  if (!(await deps.ledger.cancelIssue(issue, now(deps)))) throw unknownIssue(issue, 'cancelled');
  // Read back: a cancel at the same moment elsewhere keeps its (first) time.
  const after = await deps.ledger.getIssue(issue);
  return { issue, cancelledAt: after?.cancelledAt ?? now(deps), already: false };
}

/** The issue's record; refuses an unknown or cancelled issue. */
async function liveIssue(deps: IssueControlDeps, issue: IssueRef, what: 'paused' | 'resumed'): Promise<IssueRecord> {
  const record = await deps.ledger.getIssue(issue);
  if (!record) throw unknownIssue(issue, what);
  if (record.cancelledAt)
    throw new IssueControlError(
      'cancelled',
      `issue ${name(issue)} was cancelled at ${record.cancelledAt}; a cancelled issue cannot be ${what}`,
    );
  return record;
}

function unknownIssue(issue: IssueRef, what: string, more = ''): IssueControlError {
  return new IssueControlError(
    'unknown-issue',
    `issue ${name(issue)} does not exist (it has not started: only an issue that started sending can be ${what}${more})`,
  );
}

function name(issue: IssueRef): string {
  return `${issue.list}/${issue.id}`;
}

function now(deps: IssueControlDeps): string {
  return new Date(deps.clock.now()).toISOString();
}
