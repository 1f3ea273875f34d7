/**
 * The embedded store of local mode: subscribers and the ledger in one JSON-lines file under the state
 * folder. Each check-and-write runs under the log's lock, so the claims are as idempotent as DynamoDB's
 * conditional writes, also across processes (the studio and a `newsbrief send` in another terminal).
 */
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import type {
  BreakerTrip,
  ConfirmationThrottle,
  DeliveryClaim,
  DeliveryOutcome,
  FeedbackCounter,
  FeedbackCounts,
  FeedbackLedger,
  IssueClaim,
  IssueCounts,
  IssueHealth,
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
import { AppendLog } from './append-log.js';

/** One delivery as the ledger keeps it. */
export interface DeliveryRecord {
  readonly subscriberId: string;
  readonly status: 'claimed' | 'sent' | 'failed';
  readonly messageId?: string | undefined;
  readonly reason?: string | undefined;
  readonly at: string;
}

type LogRecord =
  | { readonly t: 'sub'; readonly s: Subscriber }
  | { readonly t: 'issue'; readonly r: IssueRecord }
  | { readonly t: 'delivery'; readonly k: string; readonly d: DeliveryRecord }
  | { readonly t: 'release'; readonly k: string }
  | { readonly t: 'drop-issue'; readonly k: string }
  /** Feedback counted (`e`: the event key claimed, when counted once) or a breaker tripped, on issue `k`. */
  | { readonly t: 'fb'; readonly k: string; readonly d: Partial<FeedbackCounts>; readonly e?: string }
  | { readonly t: 'trip'; readonly k: string; readonly b: BreakerTrip }
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
  private readonly deliveries = new Map<string, DeliveryRecord>();
  private readonly health = new Map<string, IssueHealth>();
  private readonly feedbackKeys = new Set<string>();
  private readonly confirmations = new Map<string, number>();
  private readonly log: AppendLog<LogRecord>;

  constructor(stateDir: string) {
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
      const counts = { ...record.counts };
      for (const name of ['planned', 'sent', 'failed', 'unknown'] as const) counts[name] += delta[name] ?? 0;
      return { append: [{ t: 'issue', r: { ...record, counts } }], result: undefined };
    });
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

  async claimDelivery(issue: IssueRef, subscriberId: string, at: string): Promise<DeliveryClaim> {
    return this.log.transact(() => {
      const key = deliveryKey(issue, subscriberId);
      const existing = this.deliveries.get(key);
      if (existing) return { result: existing.status === 'claimed' ? 'in-flight' : 'done' };
      return { append: [{ t: 'delivery', k: key, d: { subscriberId, status: 'claimed', at } }], result: 'claimed' };
    });
  }

  async completeDelivery(issue: IssueRef, subscriberId: string, outcome: DeliveryOutcome, at: string): Promise<void> {
    const d: DeliveryRecord =
      outcome.status === 'sent' ? { subscriberId, status: 'sent', messageId: outcome.messageId, at } : { subscriberId, status: 'failed', reason: outcome.reason, at };
    this.log.transact(() => ({ append: [{ t: 'delivery', k: deliveryKey(issue, subscriberId), d }], result: undefined }));
  }

  async releaseDelivery(issue: IssueRef, subscriberId: string): Promise<void> {
    this.log.transact(() => {
      const key = deliveryKey(issue, subscriberId);
      // Only an open claim is released: a completed delivery stays recorded.
      if (this.deliveries.get(key)?.status !== 'claimed') return { result: undefined };
      return { append: [{ t: 'release', k: key }], result: undefined };
    });
  }

  /** Every issue the ledger knows, oldest first. */
  async listIssues(): Promise<IssueRecord[]> {
    return this.read(() => [...this.issues.values()].sort((a, b) => a.claimedAt.localeCompare(b.claimedAt)));
  }

  /** The deliveries of one issue. */
  async deliveriesOf(issue: IssueRef): Promise<DeliveryRecord[]> {
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

  private apply(record: LogRecord): void {
    switch (record.t) {
      case 'sub':
        this.subscribers.set(subscriberKey(record.s.list, record.s.email), record.s);
        break;
      case 'issue':
        this.issues.set(issueKey(record.r), record.r);
        break;
      case 'delivery':
        this.deliveries.set(record.k, record.d);
        break;
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
    }
  }
}
