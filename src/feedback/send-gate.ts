/**
 * The circuit breaker as the send path sees it: before a job sends, the issue's breaker is read and, when
 * not tripped yet, re-evaluated from the counts (feedback may have arrived between two jobs). A tripped
 * issue's jobs complete without sending; their recipients are counted as held.
 */
import type { ListsConfig } from '../config/lists.js';
import type { Clock, FeedbackLedger, Ledger } from '../ports.js';
import type { IssueRecord, IssueRef } from '../model.js';
import { checkBreaker } from './apply-feedback.js';
import type { BreakerPolicy } from '../config/breaker-policy.js';

/** What the gate needs; the send path gets it as an optional dependency. */
export interface SendGateDeps {
  readonly ledger: Pick<Ledger, 'getIssue'>;
  readonly feedback: FeedbackLedger;
  readonly lists: ListsConfig;
  readonly clock: Clock;
  /** The breaker limits before any list's overrides. */
  readonly breaker: BreakerPolicy;
}

/** Whether the issue may send; when not, why, and whether this call tripped the breaker. */
export type GateVerdict = { readonly open: true } | { readonly open: false; readonly reason: string; readonly trippedNow: boolean };

/** Reads (and if need be trips) the issue's breaker; `record` is the issue as the caller just read it, if it did. */
export async function sendGate(deps: SendGateDeps, issue: IssueRef, record?: IssueRecord): Promise<GateVerdict> {
  const health = await deps.feedback.issueHealth(issue);
  if (health.breaker) return { open: false, reason: health.breaker.reason, trippedNow: false };
  const tripped = await checkBreaker(deps, issue, new Date(deps.clock.now()).toISOString(), { record, health });
  return tripped ? { open: false, reason: tripped.reason, trippedNow: true } : { open: true };
}
