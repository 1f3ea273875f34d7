/** A Ledger in memory with DynamoDB's conditional-write semantics: for tests, the benchmark and the studio. */
import type {
  BreakerOverride,
  BreakerTrip,
  ConfirmationThrottle,
  DeliveryClaim,
  DeliveryLease,
  DeliveryOutcome,
  DeliveryState,
  FeedbackCounter,
  FeedbackCounts,
  FeedbackLedger,
  IssueClaim,
  IssueCounts,
  IssueHealth,
  IssuePause,
  IssueRecord,
  IssueRef,
  Ledger,
} from '../../ports.js';
import { newIssueRecord } from '../../ports.js';
import { addFeedback, ZERO_FEEDBACK } from '../../feedback/feedback-counts.js';
import { addCounts, claimTransition, completeTransition, type DeliveryRecord, releasable, statesOf } from '../../pipeline/delivery-record.js';

export type { DeliveryRecord };

/** The in-memory ledger. Every method yields once, like a network call, so that races are exercised. */
export class MemoryLedger implements Ledger, FeedbackLedger, ConfirmationThrottle {
  readonly issues = new Map<string, IssueRecord>();
  readonly deliveries = new Map<string, DeliveryRecord>();
  readonly health = new Map<string, IssueHealth>();
  readonly feedbackKeys = new Set<string>();
  readonly confirmations = new Map<string, number>();

  /** Creates the issue record unless it exists. */
  async claimIssue(issue: IssueRef, claim: IssueClaim): Promise<boolean> {
    await tick();
    const key = issueKey(issue);
    if (this.issues.has(key)) return false;
    this.issues.set(key, newIssueRecord(issue, claim));
    return true;
  }

  /** Deletes an issue record. */
  async releaseIssue(issue: IssueRef): Promise<void> {
    await tick();
    this.issues.delete(issueKey(issue));
  }

  /** The issue record, if any. */
  async getIssue(issue: IssueRef): Promise<IssueRecord | undefined> {
    await tick();
    return this.issues.get(issueKey(issue));
  }

  /** Adds to the counts. */
  async addCounts(issue: IssueRef, delta: Partial<IssueCounts>): Promise<void> {
    await tick();
    this.bumpCounts(issue, delta);
  }

  /** Sets or clears the pause. */
  async setIssuePause(issue: IssueRef, pause: IssuePause | undefined): Promise<void> {
    await tick();
    const record = this.issues.get(issueKey(issue));
    if (record) this.issues.set(issueKey(issue), { ...record, pause });
  }

  /** Marks the issue cancelled. */
  async cancelIssue(issue: IssueRef, at: string): Promise<boolean> {
    await tick();
    const record = this.issues.get(issueKey(issue));
    if (!record) return false;
    this.issues.set(issueKey(issue), { ...record, cancelledAt: record.cancelledAt ?? at });
    return true;
  }

  /** Marks a plan page when it follows the last marked one. */
  async markPagePlanned(issue: IssueRef, page: number, planned: number, next: string | undefined): Promise<boolean> {
    await tick();
    const record = this.issues.get(issueKey(issue));
    if (!record || record.plannedPage !== page - 1) return false;
    this.issues.set(issueKey(issue), {
      ...record,
      plannedPage: page,
      nextCursor: next,
      planComplete: next === undefined,
      counts: { ...record.counts, planned: record.counts.planned + planned },
    });
    return true;
  }

  /** States of the deliveries that exist. */
  async deliveryStates(issue: IssueRef, subscriberIds: readonly string[]): Promise<ReadonlyMap<string, DeliveryState>> {
    await tick();
    return statesOf(subscriberIds, (id) => this.deliveries.get(deliveryKey(issue, id)));
  }

  /** Claims a delivery (new, released, lease passed, or unknown past its grace). */
  async claimDelivery(issue: IssueRef, subscriberId: string, lease: DeliveryLease): Promise<DeliveryClaim> {
    await tick();
    const key = deliveryKey(issue, subscriberId);
    const transition = claimTransition(this.deliveries.get(key), lease);
    if (transition.record) this.deliveries.set(key, transition.record);
    if (transition.delta) this.bumpCounts(issue, transition.delta);
    return transition.claim;
  }

  /** Records the outcome of a claimed delivery, counts with it. */
  async completeDelivery(issue: IssueRef, subscriberId: string, outcome: DeliveryOutcome, at: string): Promise<boolean> {
    await tick();
    const key = deliveryKey(issue, subscriberId);
    const transition = completeTransition(this.deliveries.get(key), outcome, at);
    if (!transition) return false;
    this.deliveries.set(key, transition.record);
    this.bumpCounts(issue, transition.delta);
    return true;
  }

  /** Drops a claim that is still only claimed. */
  async releaseDelivery(issue: IssueRef, subscriberId: string): Promise<void> {
    await tick();
    const key = deliveryKey(issue, subscriberId);
    if (releasable(this.deliveries.get(key))) this.deliveries.delete(key);
  }

  /** Claims the event key, then counts. */
  async countFeedbackOnce(issue: IssueRef, eventKey: string, counter: FeedbackCounter): Promise<boolean> {
    await tick();
    const key = `${issueKey(issue)}#${eventKey}`;
    if (this.feedbackKeys.has(key)) return false;
    this.feedbackKeys.add(key);
    this.bump(issue, { [counter]: 1 });
    return true;
  }

  /** Adds to feedback counters. */
  async addFeedbackCounts(issue: IssueRef, delta: Partial<FeedbackCounts>): Promise<void> {
    await tick();
    this.bump(issue, delta);
  }

  /** Feedback counts and breaker. */
  async issueHealth(issue: IssueRef): Promise<IssueHealth> {
    await tick();
    return this.health.get(issueKey(issue)) ?? { counts: ZERO_FEEDBACK };
  }

  /** Trips once. */
  async tripBreaker(issue: IssueRef, trip: BreakerTrip): Promise<boolean> {
    await tick();
    const current = this.health.get(issueKey(issue)) ?? { counts: ZERO_FEEDBACK };
    if (current.breaker) return false;
    this.health.set(issueKey(issue), { ...current, breaker: trip });
    return true;
  }

  /** Clears the breaker (only the trip the caller saw) and records the override. */
  async overrideBreaker(issue: IssueRef, override: BreakerOverride): Promise<boolean> {
    await tick();
    const current = this.health.get(issueKey(issue));
    if (!current?.breaker || current.breaker.at !== override.previous.at) return false;
    this.health.set(issueKey(issue), { counts: current.counts, overrides: [...(current.overrides ?? []), override] });
    return true;
  }

  private bumpCounts(issue: IssueRef, delta: Partial<IssueCounts>): void {
    const record = this.issues.get(issueKey(issue));
    if (record) this.issues.set(issueKey(issue), { ...record, counts: addCounts(record.counts, delta) });
  }

  private bump(issue: IssueRef, delta: Partial<FeedbackCounts>): void {
    const current = this.health.get(issueKey(issue)) ?? { counts: ZERO_FEEDBACK };
    this.health.set(issueKey(issue), { ...current, counts: addFeedback(current.counts, delta) });
  }

  /** Claims a confirmation slot unless one was claimed within the window. */
  async claimConfirmation(list: string, email: string, atMs: number, windowMs: number): Promise<boolean> {
    await tick();
    const last = this.confirmations.get(`${list}#${email}`);
    if (last !== undefined && last > atMs - windowMs) return false;
    this.confirmations.set(`${list}#${email}`, atMs);
    return true;
  }

  /** Drops the slot claimed at `atMs`. */
  async releaseConfirmation(list: string, email: string, atMs: number): Promise<void> {
    await tick();
    if (this.confirmations.get(`${list}#${email}`) === atMs) this.confirmations.delete(`${list}#${email}`);
  }

  /** The delivery record of one subscriber (for assertions). */
  delivery(issue: IssueRef, subscriberId: string): DeliveryRecord | undefined {
    return this.deliveries.get(deliveryKey(issue, subscriberId));
  }
}

function issueKey(issue: IssueRef): string {
  return `issue#${issue.list}#${issue.id}`;
}

function deliveryKey(issue: IssueRef, subscriberId: string): string {
  return `delivery#${issue.list}#${issue.id}#${subscriberId}`;
}

function tick(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}
