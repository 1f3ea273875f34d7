/**
 * SES feedback into subscriber statuses and per-issue counts. Status changes go through the status table,
 * which only ever moves an address towards suppression here (a bounce or complaint is never undone), so a
 * notification applied twice changes nothing the second time; counts are claimed per event key, so a
 * redelivered notification is not counted twice. A bounce or complaint then re-checks the issue's breaker, or,
 * for a confirmation mail (tagged with CONFIRMATION_MAIL_ID, never an issue), counts against the list's
 * confirmation breaker.
 */
import type { ListsConfig } from '../config/lists.js';
import type { Clock, ConfirmationThrottle, FeedbackLedger, Ledger, SubscriberStore } from '../ports.js';
import type { FeedbackCounter, IssueHealth, IssueRecord, IssueRef } from '../model.js';
import { type SubscriberEvent, transition } from '../subscribers/status-transitions.js';
import { breakerPolicyFor, evaluateBreaker } from '../breaker/circuit-breaker.js';
import type { BreakerPolicy } from '../config/breaker-policy.js';
import { CONFIRMATION_MAIL_ID, countConfirmationFeedback } from '../breaker/confirmation-breaker.js';
import type { SesFeedback, SesFeedbackKind } from './parse-ses-event.js';
import { countEngagement, type EngagementDeps, type EngagementOutcome } from '../engagement/count-engagement.js';

/** What applying feedback needs. */
export interface FeedbackDeps {
  readonly subscribers: Pick<SubscriberStore, 'get' | 'setStatus'>;
  readonly ledger: Pick<Ledger, 'getIssue' | 'deliveryStates' | 'completeDelivery'>;
  readonly feedback: FeedbackLedger;
  readonly lists: ListsConfig;
  readonly clock: Clock;
  /** The breaker limits before any list's overrides. */
  readonly breaker: BreakerPolicy;
  /** The confirmation breaker's counts (the subscribe form's counters). */
  readonly confirmations: Pick<ConfirmationThrottle, 'read' | 'add'>;
  /** The confirmation breaker's limits (absent: DEFAULT_CONFIRMATION_BREAKER). */
  readonly confirmationBreaker?: BreakerPolicy | undefined;
  /** Opens and clicks (issue 12); absent, they are ignored. */
  readonly engagement?: EngagementDeps | undefined;
}

/** What one SES event did. */
export interface FeedbackResult {
  /** Recipients counted on the issue (0 for a redelivery, or without issue tags). */
  readonly counted: number;
  /** Recipients already counted before (a redelivered notification). */
  readonly duplicates: number;
  /** Subscribers whose status changed. */
  readonly statusChanges: number;
  /** True when a Send or Delivery event proved a delivery that had no answer (or whose answer is still on its way). */
  readonly confirmed?: boolean;
  /** Set when this event tripped the issue's circuit breaker. */
  readonly tripped?: { readonly issue: IssueRef; readonly reason: string } | undefined;
  /** Set when this event tripped the list's confirmation breaker: the form mails no confirmations for now. */
  readonly confirmationsStopped?: { readonly list: string; readonly reason: string } | undefined;
  /** What an open or click did (set for those two kinds only). */
  readonly engagement?: EngagementOutcome | undefined;
}

const COUNTER: Partial<Record<SesFeedbackKind, FeedbackCounter>> = {
  'bounce-permanent': 'bounced',
  'bounce-transient': 'softBounced',
  complaint: 'complained',
  delivery: 'delivered',
  reject: 'rejected',
};

const STATUS_EVENT: Partial<Record<SesFeedbackKind, SubscriberEvent>> = {
  'bounce-permanent': 'bounce-permanent',
  'bounce-transient': 'bounce-transient',
  complaint: 'complaint',
};

/** Applies one SES event to statuses and counts. */
export async function applySesFeedback(deps: FeedbackDeps, feedback: SesFeedback): Promise<FeedbackResult> {
  if (feedback.kind === 'open' || feedback.kind === 'click') {
    const engagement = deps.engagement
      ? await countEngagement(deps.engagement, deps.lists, feedback)
      : ({ counted: false, duplicate: false, reason: 'engagement is not counted here' } as const);
    return {
      counted: engagement.counted ? 1 : 0,
      duplicates: !engagement.counted && engagement.duplicate ? 1 : 0,
      statusChanges: 0,
      engagement,
    };
  }
  const at = new Date(deps.clock.now()).toISOString();
  const issue = feedback.issue && deps.lists.lists.has(feedback.issue.list) ? feedback.issue : undefined;
  let counted = 0;
  let duplicates = 0;
  let statusChanges = 0;
  const event = STATUS_EVENT[feedback.kind];
  // Without a list tag (e.g. a notification on the identity) the address is suppressed on every list it is on.
  const lists = feedback.list !== undefined ? (deps.lists.lists.has(feedback.list) ? [feedback.list] : []) : [...deps.lists.lists.keys()];

  const confirmed =
    issue && feedback.delivery && (feedback.kind === 'send' || feedback.kind === 'delivery')
      ? await confirmDelivery(deps, issue, feedback.delivery, feedback.messageId, at)
      : false;
  const counter = COUNTER[feedback.kind];
  for (const email of feedback.recipients) {
    if (issue && counter) {
      if (await deps.feedback.countFeedbackOnce(issue, `${feedback.messageId}#${feedback.kind}#${email}`, counter)) counted++;
      else duplicates++;
    }
    if (!event) continue;
    for (const list of lists) {
      const subscriber = await deps.subscribers.get(list, email);
      if (!subscriber) continue;
      const next = transition(subscriber.status, event);
      // Read-then-write: a concurrent change can only be another step towards suppression, which the table allows.
      if (next.status !== undefined && next.status !== subscriber.status) {
        if (await deps.subscribers.setStatus(list, email, next.status, at)) statusChanges++;
      }
    }
  }

  let tripped: FeedbackResult['tripped'];
  let confirmationsStopped: FeedbackResult['confirmationsStopped'];
  if (issue && counted > 0 && (feedback.kind === 'bounce-permanent' || feedback.kind === 'complaint')) {
    if (issue.id === CONFIRMATION_MAIL_ID) {
      // Counted once per event key above, so a redelivered notification adds nothing here either.
      const counter = feedback.kind === 'complaint' ? 'complained' : 'bounced';
      const verdict = await countConfirmationFeedback(
        deps.confirmations,
        issue.list,
        counter,
        counted,
        deps.clock.now(),
        deps.confirmationBreaker,
      );
      if (verdict) confirmationsStopped = { list: issue.list, reason: verdict.reason };
    } else tripped = await checkBreaker(deps, issue, at);
  }
  return {
    counted,
    duplicates,
    statusChanges,
    ...(confirmed ? { confirmed } : {}),
    ...(tripped ? { tripped } : {}),
    ...(confirmationsStopped ? { confirmationsStopped } : {}),
  };
}

/**
 * SES says it took the message: a delivery still open (its sender crashed, timed out or was reset before the
 * answer) is sent, so that nobody sends it again. Already ended ones cost only the read.
 */
async function confirmDelivery(
  deps: Pick<FeedbackDeps, 'ledger'>,
  issue: IssueRef,
  subscriberId: string,
  messageId: string,
  at: string,
): Promise<boolean> {
  const state = (await deps.ledger.deliveryStates(issue, [subscriberId])).get(subscriberId);
  if (state !== 'claimed' && state !== 'unknown') return false;
  return deps.ledger.completeDelivery(issue, subscriberId, { status: 'sent', messageId }, at);
}

/**
 * Trips the issue's breaker when its rates passed the list's limits; returns the trip when this call made it.
 * `known` passes what the caller has just read (the send path reads both per job), so it is not read twice.
 */
export async function checkBreaker(
  deps: { readonly ledger: Pick<Ledger, 'getIssue'> } & Pick<FeedbackDeps, 'feedback' | 'lists' | 'breaker'>,
  issue: IssueRef,
  at: string,
  known: { readonly record?: IssueRecord | undefined; readonly health?: IssueHealth | undefined } = {},
): Promise<{ issue: IssueRef; reason: string } | undefined> {
  const [record, health] = await Promise.all([
    known.record ?? deps.ledger.getIssue(issue),
    known.health ?? deps.feedback.issueHealth(issue),
  ]);
  if (!record || health.breaker) return undefined;
  // After a person overrode the breaker, it judges only what came after: the counts recorded with the last
  // override are subtracted, so the counts that tripped it cannot trip it again at once, and the sends since
  // must make their own sample (minSample) before their rate counts. Late feedback on earlier messages counts
  // as new, which errs towards stopping.
  const base = health.overrides?.[health.overrides.length - 1]?.baseline ?? { sent: 0, bounced: 0, complained: 0 };
  const since = { bounced: health.counts.bounced - base.bounced, complained: health.counts.complained - base.complained };
  const verdict = evaluateBreaker(record.counts.sent - base.sent, since, breakerPolicyFor(deps.lists.lists.get(issue.list), deps.breaker));
  if (!verdict.trip) return undefined;
  return (await deps.feedback.tripBreaker(issue, { at, reason: verdict.reason })) ? { issue, reason: verdict.reason } : undefined;
}
