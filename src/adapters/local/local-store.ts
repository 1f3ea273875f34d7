/**
 * The embedded store of local mode: subscribers and the ledger in one JSON-lines file under the state
 * folder. Each check-and-write runs under the log's lock, so the claims are as idempotent as DynamoDB's
 * conditional writes, also across processes (the studio and a `newsbrief send` in another terminal).
 */
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
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
  Subscriber,
  SubscriberInput,
  SubscriberLookup,
  SubscriberPage,
  SubscriberStatus,
  SubscriberStore,
} from '../../ports.js';
import { newIssueRecord } from '../../ports.js';
import { addFeedback, ZERO_FEEDBACK } from '../../feedback/feedback-counts.js';
import { addCounts, claimTransition, completeTransition, type CountsDelta, countsBetween, type DeliveryRecord, releasable, statesOf } from '../../pipeline/delivery-record.js';
import { AppendLog } from './append-log.js';
import { isLocalHolderGone } from './process-holder.js';

/** One delivery as the local ledger keeps it. */
export interface LocalDeliveryRecord extends DeliveryRecord {
  readonly subscriberId: string;
}

type LogRecord =
  | { readonly t: 'sub'; readonly s: Subscriber }
  | { readonly t: 'issue'; readonly r: IssueRecord }
  /** A delivery's new state; `v: 2` lines move the issue's counts with them (older lines came with count snapshots). */
  | { readonly t: 'delivery'; readonly k: string; readonly d: LocalDeliveryRecord; readonly v?: 2 }
  | { readonly t: 'release'; readonly k: string }
  | { readonly t: 'pause'; readonly k: string; readonly p: IssuePause | null }
  | { readonly t: 'cancel'; readonly k: string; readonly at: string }
  | { readonly t: 'drop-issue'; readonly k: string }
  /** Feedback counted (`e`: the event key claimed, when counted once) or a breaker tripped, on issue `k`. */
  | { readonly t: 'fb'; readonly k: string; readonly d: Partial<FeedbackCounts>; readonly e?: string }
  | { readonly t: 'trip'; readonly k: string; readonly b: BreakerTrip }
  /** The breaker of issue `k` cleared by a person, who resumed it past the trip `o.previous`. */
  | { readonly t: 'override'; readonly k: string; readonly o: BreakerOverride }
  /** A confirmation mail claimed for `k` (list#email) at epoch ms `at`; `at: null` gives it back. */
  | { readonly t: 'confirm'; readonly k: string; readonly at: number | null };

/** File name of the log inside the state folder. */
export const STORE_FILE = 'store.jsonl';

const issueKey = (issue: IssueRef) => `${issue.list}#${issue.id}`;
const deliveryKey = (issue: IssueRef, subscriberId: string) => `${issue.list}#${issue.id}#${subscriberId}`;
const subscriberKey = (list: string, email: string) => `${list}#${email}`;

/** Subscribers and ledger of local mode, persisted under `stateDir`. */
export class LocalStore implements SubscriberStore, SubscriberLookup, Ledger, FeedbackLedger, ConfirmationThrottle {
  private readonly subscribers = new Map<string, Subscriber>();
  private readonly issues = new Map<string, IssueRecord>();
  private readonly deliveries = new Map<string, LocalDeliveryRecord>();
  private readonly health = new Map<string, IssueHealth>();
  private readonly feedbackKeys = new Set<string>();
  private readonly confirmations = new Map<string, number>();
  private readonly log: AppendLog<LogRecord>;

  /** `holderIsGone` tells whether a claim's process still runs (tests pass their own). */
  constructor(
    stateDir: string,
    private readonly holderIsGone: (holder: string) => boolean = isLocalHolderGone,
  ) {
    this.log = new AppendLog<LogRecord>(join(stateDir, STORE_FILE), (record) => this.apply(record));
    this.log.refresh();
  }

  // ── SubscriberStore ──────────────────────────────────────────────────────────

  async pageSubscribed(list: string, cursor: string | undefined, limit: number): Promise<SubscriberPage> {
    const members = this.read(() => this.membersOf(list).filter((s) => s.status === 'subscribed' && (cursor === undefined || s.email > cursor)));
    const page = members.slice(0, limit);
    return { subscribers: page, next: members.length > limit ? page[page.length - 1]!.email : undefined };
  }

  async get(list: string, email: string): Promise<Subscriber | undefined> {
    return this.read(() => this.subscribers.get(subscriberKey(list, email)));
  }

  async statuses(list: string, emails: readonly string[]): Promise<ReadonlyMap<string, SubscriberStatus>> {
    return this.read(() => {
      const found = new Map<string, SubscriberStatus>();
      for (const email of emails) {
        const subscriber = this.subscribers.get(subscriberKey(list, email));
        if (subscriber) found.set(email, subscriber.status);
      }
      return found;
    });
  }

  async upsert(input: SubscriberInput, at: string): Promise<Subscriber> {
    return this.log.transact(() => {
      const existing = this.subscribers.get(subscriberKey(input.list, input.email));
      const subscriber: Subscriber = {
        id: existing?.id ?? randomBytes(12).toString('base64url'),
        list: input.list,
        email: input.email,
        firstName: input.firstName,
        attributes: input.attributes,
        status: input.status,
        createdAt: existing?.createdAt ?? at,
        updatedAt: at,
      };
      return { append: [{ t: 'sub', s: subscriber }], result: subscriber };
    });
  }

  async setStatus(list: string, email: string, status: SubscriberStatus, at: string): Promise<boolean> {
    return this.log.transact(() => {
      const existing = this.subscribers.get(subscriberKey(list, email));
      if (!existing) return { result: false };
      return { append: [{ t: 'sub', s: { ...existing, status, updatedAt: at } }], result: true };
    });
  }

  /** Every member of a list whatever their status, ordered by address (for export and the studio). */
  async members(list: string): Promise<Subscriber[]> {
    return this.read(() => this.membersOf(list));
  }

  /** A subscriber by the opaque id that links carry. */
  async findById(list: string, id: string): Promise<Subscriber | undefined> {
    return this.read(() => this.membersOf(list).find((s) => s.id === id));
  }

  /** A subscriber by the opaque id that links carry (SubscriberLookup). */
  async getById(list: string, id: string): Promise<Subscriber | undefined> {
    return this.findById(list, id);
  }

  // ── FeedbackLedger ───────────────────────────────────────────────────────────

  async countFeedbackOnce(issue: IssueRef, eventKey: string, counter: FeedbackCounter): Promise<boolean> {
    return this.log.transact(() => {
      const k = issueKey(issue);
      if (this.feedbackKeys.has(`${k}#${eventKey}`)) return { result: false };
      return { append: [{ t: 'fb', k, d: { [counter]: 1 }, e: eventKey }], result: true };
    });
  }

  async addFeedbackCounts(issue: IssueRef, delta: Partial<FeedbackCounts>): Promise<void> {
    this.log.transact(() => ({ append: [{ t: 'fb', k: issueKey(issue), d: delta }], result: undefined }));
  }

  async issueHealth(issue: IssueRef): Promise<IssueHealth> {
    return this.read(() => this.health.get(issueKey(issue)) ?? { counts: ZERO_FEEDBACK });
  }

  async tripBreaker(issue: IssueRef, trip: BreakerTrip): Promise<boolean> {
    return this.log.transact(() => {
      const k = issueKey(issue);
      if (this.health.get(k)?.breaker) return { result: false };
      return { append: [{ t: 'trip', k, b: trip }], result: true };
    });
  }

  async overrideBreaker(issue: IssueRef, override: BreakerOverride): Promise<boolean> {
    return this.log.transact(() => {
      const k = issueKey(issue);
      if (this.health.get(k)?.breaker?.at !== override.previous.at) return { result: false };
      return { append: [{ t: 'override', k, o: override }], result: true };
    });
  }

  // ── ConfirmationThrottle ─────────────────────────────────────────────────────

  async claimConfirmation(list: string, email: string, atMs: number, windowMs: number): Promise<boolean> {
    return this.log.transact(() => {
      const k = subscriberKey(list, email);
      const last = this.confirmations.get(k);
      if (last !== undefined && last > atMs - windowMs) return { result: false };
      return { append: [{ t: 'confirm', k, at: atMs }], result: true };
    });
  }

  async releaseConfirmation(list: string, email: string, atMs: number): Promise<void> {
    this.log.transact(() => {
      const k = subscriberKey(list, email);
      return this.confirmations.get(k) === atMs ? { append: [{ t: 'confirm', k, at: null }], result: undefined } : { result: undefined };
    });
  }

  // ── Ledger ───────────────────────────────────────────────────────────────────

  async claimIssue(issue: IssueRef, claim: IssueClaim): Promise<boolean> {
    return this.log.transact(() => {
      if (this.issues.has(issueKey(issue))) return { result: false };
      return { append: [{ t: 'issue', r: newIssueRecord(issue, claim) }], result: true };
    });
  }

  async getIssue(issue: IssueRef): Promise<IssueRecord | undefined> {
    return this.read(() => this.issues.get(issueKey(issue)));
  }

  async addCounts(issue: IssueRef, delta: Partial<IssueCounts>): Promise<void> {
    this.log.transact(() => {
      const record = this.issues.get(issueKey(issue));
      if (!record) return { result: undefined };
      return { append: [{ t: 'issue', r: { ...record, counts: addCounts(record.counts, delta) } }], result: undefined };
    });
  }

  async setIssuePause(issue: IssueRef, pause: IssuePause | undefined): Promise<void> {
    this.log.transact(() => (this.issues.has(issueKey(issue)) ? { append: [{ t: 'pause', k: issueKey(issue), p: pause ?? null }], result: undefined } : { result: undefined }));
  }

  async cancelIssue(issue: IssueRef, at: string): Promise<boolean> {
    return this.log.transact(() => (this.issues.has(issueKey(issue)) ? { append: [{ t: 'cancel', k: issueKey(issue), at }], result: true } : { result: false }));
  }

  async releaseIssue(issue: IssueRef): Promise<void> {
    this.log.transact(() => (this.issues.has(issueKey(issue)) ? { append: [{ t: 'drop-issue', k: issueKey(issue) }], result: undefined } : { result: undefined }));
  }

  async markPagePlanned(issue: IssueRef, page: number, planned: number, next: string | undefined): Promise<boolean> {
    return this.log.transact(() => {
      const record = this.issues.get(issueKey(issue));
      if (!record || record.plannedPage !== page - 1) return { result: false };
      const updated: IssueRecord = {
        ...record,
        plannedPage: page,
        nextCursor: next,
        planComplete: next === undefined,
        counts: { ...record.counts, planned: record.counts.planned + planned },
      };
      return { append: [{ t: 'issue', r: updated }], result: true };
    });
  }

  async deliveryStates(issue: IssueRef, subscriberIds: readonly string[]): Promise<ReadonlyMap<string, DeliveryState>> {
    return this.read(() => statesOf(subscriberIds, (id) => this.deliveries.get(deliveryKey(issue, id))));
  }

  async claimDelivery(issue: IssueRef, subscriberId: string, lease: DeliveryLease): Promise<DeliveryClaim> {
    return this.log.transact(() => {
      const k = deliveryKey(issue, subscriberId);
      const transition = claimTransition(this.deliveries.get(k), lease, this.holderIsGone);
      if (!transition.record) return { result: transition.claim };
      return { append: [{ t: 'delivery', k, d: { ...transition.record, subscriberId }, v: 2 }], result: transition.claim };
    });
  }

  async completeDelivery(issue: IssueRef, subscriberId: string, outcome: DeliveryOutcome, at: string): Promise<boolean> {
    return this.log.transact(() => {
      const k = deliveryKey(issue, subscriberId);
      const transition = completeTransition(this.deliveries.get(k), outcome, at);
      if (!transition) return { result: false };
      return { append: [{ t: 'delivery', k, d: { ...transition.record, subscriberId }, v: 2 }], result: true };
    });
  }

  async releaseDelivery(issue: IssueRef, subscriberId: string): Promise<void> {
    this.log.transact(() => {
      const k = deliveryKey(issue, subscriberId);
      // Only a live claim is released: a completed or unknown delivery stays recorded.
      return releasable(this.deliveries.get(k)) ? { append: [{ t: 'release', k }], result: undefined } : { result: undefined };
    });
  }

  /** Every issue the ledger knows, oldest first. */
  async listIssues(): Promise<IssueRecord[]> {
    return this.read(() => [...this.issues.values()].sort((a, b) => a.claimedAt.localeCompare(b.claimedAt)));
  }

  /** The deliveries of one issue. */
  async deliveriesOf(issue: IssueRef): Promise<LocalDeliveryRecord[]> {
    const prefix = `${issueKey(issue)}#`;
    return this.read(() => [...this.deliveries.entries()].filter(([key]) => key.startsWith(prefix)).map(([, d]) => d));
  }

  // ── internals ────────────────────────────────────────────────────────────────

  private read<T>(fn: () => T): T {
    this.log.refresh();
    return fn();
  }

  private membersOf(list: string): Subscriber[] {
    return [...this.subscribers.values()].filter((s) => s.list === list).sort((a, b) => (a.email < b.email ? -1 : a.email > b.email ? 1 : 0));
  }

  // A delivery key is `<list>#<issue>#<subscriber>`; its issue's key is the part before the last `#`.
  private moveCounts(deliveryK: string, delta: CountsDelta): void {
    const k = deliveryK.slice(0, deliveryK.lastIndexOf('#'));
    const issue = this.issues.get(k);
    if (issue && Object.keys(delta).length > 0) this.issues.set(k, { ...issue, counts: addCounts(issue.counts, delta) });
  }

  private apply(record: LogRecord): void {
    switch (record.t) {
      case 'sub':
        this.subscribers.set(subscriberKey(record.s.list, record.s.email), record.s);
        break;
      case 'issue':
        this.issues.set(issueKey(record.r), record.r);
        break;
      case 'delivery': {
        const before = this.deliveries.get(record.k);
        // Older stores wrote `at` only and no attempt: read them as a first attempt claimed then.
        const legacy = record.d as Partial<LocalDeliveryRecord> & { readonly at?: string };
        const d: LocalDeliveryRecord = { ...record.d, attempt: legacy.attempt ?? 1, claimedAt: legacy.claimedAt ?? legacy.at ?? '' };
        this.deliveries.set(record.k, d);
        if (record.v === 2) this.moveCounts(record.k, countsBetween(before, d));
        break;
      }
      case 'pause': {
        const issue = this.issues.get(record.k);
        if (issue) this.issues.set(record.k, { ...issue, pause: record.p ?? undefined });
        break;
      }
      case 'cancel': {
        const issue = this.issues.get(record.k);
        if (issue) this.issues.set(record.k, { ...issue, cancelledAt: issue.cancelledAt ?? record.at });
        break;
      }
      case 'release':
        this.deliveries.delete(record.k);
        break;
      case 'drop-issue':
        this.issues.delete(record.k);
        break;
      case 'fb': {
        const current = this.health.get(record.k) ?? { counts: ZERO_FEEDBACK };
        if (record.e !== undefined) this.feedbackKeys.add(`${record.k}#${record.e}`);
        this.health.set(record.k, { ...current, counts: addFeedback(current.counts, record.d) });
        break;
      }
      case 'confirm':
        if (record.at === null) this.confirmations.delete(record.k);
        else this.confirmations.set(record.k, record.at);
        break;
      case 'trip':
        this.health.set(record.k, { ...(this.health.get(record.k) ?? { counts: ZERO_FEEDBACK }), breaker: record.b });
        break;
      case 'override': {
        const current = this.health.get(record.k) ?? { counts: ZERO_FEEDBACK };
        this.health.set(record.k, { counts: current.counts, overrides: [...(current.overrides ?? []), record.o] });
        break;
      }
    }
  }
}
