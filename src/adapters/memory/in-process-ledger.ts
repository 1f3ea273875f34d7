/**
 * The one in-process ledger, with DynamoDB's conditional-write semantics: every check-and-write decides
 * against the current state and returns the events it makes, which a journal applies atomically. Memory
 * applies them at once (MemoryLedger: tests, the benchmark). Local mode's store of older versions appended
 * them to `store.jsonl`; that log is now only replayed once, by append-log-import.ts, into the database.
 */
import { latestReaderClicks, READER_CLICK_PREFIX, readerClickKey } from '../../engagement/engagement-counters.js';
import { addFeedback, ZERO_FEEDBACK } from '../../feedback/feedback-counts.js';
import type {
  BreakerOverride,
  BreakerTrip,
  DeliveryClaim,
  DeliveryLease,
  DeliveryOutcome,
  DeliveryRecord,
  DeliveryState,
  FeedbackCounter,
  FeedbackCounts,
  IssueClaim,
  IssueCounts,
  IssueHealth,
  IssuePause,
  IssueRecord,
  IssueRef,
  ReaderClick,
} from '../../model.js';
import { newIssueRecord } from '../../model.js';
import {
  addCounts,
  claimTransition,
  completeTransition,
  type CountsDelta,
  countsBetween,
  releasable,
  statesOf,
} from '../../pipeline/delivery-record.js';
import type {
  ConfirmationThrottle,
  DeliveryCompletion,
  EngagementLedger,
  FeedbackLedger,
  Ledger,
  WindowBudget,
  WindowCount,
} from '../../ports.js';

/** One atomic change of the ledger. Older local state folders keep these as the lines of `store.jsonl`, so their shape is a file format. */
export type LedgerEvent =
  | { readonly t: 'issue'; readonly r: IssueRecord }
  /** A delivery's new state; `v: 2` events move the issue's counts with them (older lines came with count snapshots). */
  | { readonly t: 'delivery'; readonly k: string; readonly d: DeliveryRecord; readonly v?: 2 }
  | { readonly t: 'release'; readonly k: string }
  | { readonly t: 'pause'; readonly k: string; readonly p: IssuePause | null }
  | { readonly t: 'cancel'; readonly k: string; readonly at: string }
  | { readonly t: 'drop-issue'; readonly k: string }
  /** Feedback counted (`e`: the event key claimed, when counted once) on issue `k`. */
  | { readonly t: 'fb'; readonly k: string; readonly d: Partial<FeedbackCounts>; readonly e?: string }
  | { readonly t: 'trip'; readonly k: string; readonly b: BreakerTrip }
  /** The breaker of issue `k` cleared by a person, who resumed it past the trip `o.previous`. */
  | { readonly t: 'override'; readonly k: string; readonly o: BreakerOverride }
  /** A confirmation mail claimed for `k` (list#email) at epoch ms `at`; `at: null` gives it back. Older logs only: read and ignored. */
  | { readonly t: 'confirm'; readonly k: string; readonly at: number | null }
  /** Window counter `k` (`<key>#<window start>`) is now `n` (ConfirmationThrottle). */
  | { readonly t: 'window'; readonly k: string; readonly n: number };

/** Where events go before they count: nowhere (memory) or an append-only file (the old log, read once for its import). */
export interface LedgerJournal {
  /** Catches up with events written elsewhere, runs `decide`, and applies the events it returns, atomically. */
  transact<T>(decide: () => { readonly append?: readonly LedgerEvent[]; readonly result: T }): T;
  /** Catches up with events written elsewhere. */
  refresh(): void;
}

/** Opens the journal of a ledger, given how the ledger applies one event. */
export type OpenJournal = (apply: (event: LedgerEvent) => void) => LedgerJournal;

/** A journal that applies events at once: the state is this process's memory alone. */
export const immediateJournal: OpenJournal = (apply) => ({
  transact: (decide) => {
    const { append = [], result } = decide();
    append.forEach(apply);
    return result;
  },
  refresh: () => {},
});

const issueKey = (issue: IssueRef) => `${issue.list}#${issue.id}`;
const deliveryKey = (issue: IssueRef, subscriberId: string) => `${issue.list}#${issue.id}#${subscriberId}`;
const windowKey = (count: WindowCount, atMs: number) => `${count.key}#${atMs - (atMs % count.windowMs)}`;
const engagementPrefix = (issue: IssueRef) => `engagement#${issue.list}#${issue.id}#`;
// A recorded click's key ends `#<position>#<ms>`: what is before those is the issue and reader.
const readerOfClickKey = (k: string, key: string) => `${k}#${key.slice(0, key.lastIndexOf('#', key.lastIndexOf('#') - 1))}`;

/** The ledger's state and its rules; read the maps for assertions, change them only through the methods. */
export class InProcessLedger implements Ledger, FeedbackLedger, ConfirmationThrottle, EngagementLedger {
  readonly issues = new Map<string, IssueRecord>();
  readonly deliveries = new Map<string, DeliveryRecord>();
  readonly health = new Map<string, IssueHealth>();
  readonly feedbackKeys = new Set<string>();
  /** Recorded clicks' claim keys by `<list>#<id>#<reader>` (the reader's few, found without a pass over feedbackKeys). */
  private readonly readerClicks = new Map<string, Set<string>>();
  /** Window counters by `<key>#<window start>`; windows that passed are never read again (a process's lifetime of them is small). */
  readonly windows = new Map<string, number>();
  private readonly journal: LedgerJournal;

  /** `holderIsGone` tells whether a claim's holder can no longer answer (local mode: its process ended). */
  constructor(
    openJournal: OpenJournal,
    private readonly holderIsGone: (holder: string) => boolean = () => false,
  ) {
    this.journal = openJournal((event) => this.apply(event));
  }

  /** Runs before every operation: a hook for the memory ledger to yield, like a network call. */
  protected async turn(): Promise<void> {}

  // ── Ledger ───────────────────────────────────────────────────────────────────

  async claimIssue(issue: IssueRef, claim: IssueClaim): Promise<boolean> {
    await this.turn();
    return this.journal.transact(() =>
      this.issues.has(issueKey(issue)) ? { result: false } : { append: [{ t: 'issue', r: newIssueRecord(issue, claim) }], result: true },
    );
  }

  async releaseIssue(issue: IssueRef): Promise<void> {
    await this.turn();
    this.journal.transact(() =>
      this.issues.has(issueKey(issue)) ? { append: [{ t: 'drop-issue', k: issueKey(issue) }], result: undefined } : { result: undefined },
    );
  }

  async getIssue(issue: IssueRef): Promise<IssueRecord | undefined> {
    await this.turn();
    return this.readState(() => this.issues.get(issueKey(issue)));
  }

  async addCounts(issue: IssueRef, delta: Partial<IssueCounts>): Promise<void> {
    await this.turn();
    this.journal.transact(() => {
      const record = this.issues.get(issueKey(issue));
      return record
        ? { append: [{ t: 'issue', r: { ...record, counts: addCounts(record.counts, delta) } }], result: undefined }
        : { result: undefined };
    });
  }

  async markPagePlanned(issue: IssueRef, page: number, planned: number, next: string | undefined): Promise<boolean> {
    await this.turn();
    return this.journal.transact(() => {
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

  async setIssuePause(issue: IssueRef, pause: IssuePause | undefined): Promise<void> {
    await this.turn();
    this.journal.transact(() =>
      this.issues.has(issueKey(issue))
        ? { append: [{ t: 'pause', k: issueKey(issue), p: pause ?? null }], result: undefined }
        : { result: undefined },
    );
  }

  async cancelIssue(issue: IssueRef, at: string): Promise<boolean> {
    await this.turn();
    return this.journal.transact(() =>
      this.issues.has(issueKey(issue)) ? { append: [{ t: 'cancel', k: issueKey(issue), at }], result: true } : { result: false },
    );
  }

  async deliveryStates(issue: IssueRef, subscriberIds: readonly string[]): Promise<ReadonlyMap<string, DeliveryState>> {
    await this.turn();
    return this.readState(() => statesOf(subscriberIds, (id) => this.deliveries.get(deliveryKey(issue, id))));
  }

  async claimDelivery(issue: IssueRef, subscriberId: string, lease: DeliveryLease): Promise<DeliveryClaim> {
    await this.turn();
    return this.journal.transact(() => {
      const k = deliveryKey(issue, subscriberId);
      const transition = claimTransition(this.deliveries.get(k), lease, this.holderIsGone);
      if (!transition.record) return { result: transition.claim };
      return { append: [{ t: 'delivery', k, d: transition.record, v: 2 }], result: transition.claim };
    });
  }

  async completeDelivery(issue: IssueRef, subscriberId: string, outcome: DeliveryOutcome, at: string): Promise<boolean> {
    await this.turn();
    return this.journal.transact(() => {
      const k = deliveryKey(issue, subscriberId);
      const transition = completeTransition(this.deliveries.get(k), outcome, at);
      if (!transition) return { result: false };
      return { append: [{ t: 'delivery', k, d: transition.record, v: 2 }], result: true };
    });
  }

  async claimDeliveries(issue: IssueRef, subscriberIds: readonly string[], lease: DeliveryLease): Promise<readonly DeliveryClaim[]> {
    const claims: DeliveryClaim[] = [];
    for (const subscriberId of subscriberIds) claims.push(await this.claimDelivery(issue, subscriberId, lease));
    return claims;
  }

  async completeDeliveries(issue: IssueRef, completions: readonly DeliveryCompletion[]): Promise<readonly boolean[]> {
    const answers: boolean[] = [];
    for (const { subscriberId, outcome, at } of completions) answers.push(await this.completeDelivery(issue, subscriberId, outcome, at));
    return answers;
  }

  async releaseDelivery(issue: IssueRef, subscriberId: string): Promise<void> {
    await this.turn();
    this.journal.transact(() => {
      const k = deliveryKey(issue, subscriberId);
      // Only a live claim is released: a completed or unknown delivery stays recorded.
      return releasable(this.deliveries.get(k)) ? { append: [{ t: 'release', k }], result: undefined } : { result: undefined };
    });
  }

  /** Every issue the ledger knows, oldest first. */
  async listIssues(): Promise<IssueRecord[]> {
    await this.turn();
    return this.readState(() => [...this.issues.values()].sort((a, b) => a.claimedAt.localeCompare(b.claimedAt)));
  }

  /** The deliveries of one issue, by subscriber id. */
  async deliveriesOf(issue: IssueRef): Promise<ReadonlyMap<string, DeliveryRecord>> {
    await this.turn();
    const prefix = deliveryKey(issue, '');
    return this.readState(
      () => new Map([...this.deliveries].filter(([key]) => key.startsWith(prefix)).map(([key, d]) => [key.slice(prefix.length), d])),
    );
  }

  /** The delivery record of one subscriber, as last read (for assertions). */
  delivery(issue: IssueRef, subscriberId: string): DeliveryRecord | undefined {
    return this.deliveries.get(deliveryKey(issue, subscriberId));
  }

  // ── FeedbackLedger ───────────────────────────────────────────────────────────

  async countFeedbackOnce(issue: IssueRef, eventKey: string, counter: FeedbackCounter): Promise<boolean> {
    await this.turn();
    return this.journal.transact(() => {
      const k = issueKey(issue);
      if (this.feedbackKeys.has(`${k}#${eventKey}`)) return { result: false };
      return { append: [{ t: 'fb', k, d: { [counter]: 1 }, e: eventKey }], result: true };
    });
  }

  async addFeedbackCounts(issue: IssueRef, delta: Partial<FeedbackCounts>): Promise<void> {
    await this.turn();
    this.journal.transact(() => ({ append: [{ t: 'fb', k: issueKey(issue), d: delta }], result: undefined }));
  }

  async issueHealth(issue: IssueRef): Promise<IssueHealth> {
    await this.turn();
    return this.readState(() => this.health.get(issueKey(issue)) ?? { counts: ZERO_FEEDBACK });
  }

  async tripBreaker(issue: IssueRef, trip: BreakerTrip): Promise<boolean> {
    await this.turn();
    return this.journal.transact(() => {
      const k = issueKey(issue);
      if (this.health.get(k)?.breaker) return { result: false };
      return { append: [{ t: 'trip', k, b: trip }], result: true };
    });
  }

  async overrideBreaker(issue: IssueRef, override: BreakerOverride): Promise<boolean> {
    await this.turn();
    return this.journal.transact(() => {
      const k = issueKey(issue);
      if (this.health.get(k)?.breaker?.at !== override.previous.at) return { result: false };
      return { append: [{ t: 'override', k, o: override }], result: true };
    });
  }

  // ── ConfirmationThrottle ─────────────────────────────────────────────────────

  async take(budget: WindowBudget, atMs: number): Promise<boolean> {
    await this.turn();
    return this.journal.transact(() => {
      const k = windowKey(budget, atMs);
      const n = this.windows.get(k) ?? 0;
      return n >= budget.limit ? { result: false } : { append: [{ t: 'window', k, n: n + 1 }], result: true };
    });
  }

  async add(count: WindowCount, atMs: number, by: number): Promise<void> {
    await this.turn();
    this.journal.transact(() => {
      const k = windowKey(count, atMs);
      return { append: [{ t: 'window', k, n: (this.windows.get(k) ?? 0) + by }], result: undefined };
    });
  }

  async read(counts: readonly WindowCount[], atMs: number): Promise<number[]> {
    await this.turn();
    return this.readState(() => counts.map((count) => this.windows.get(windowKey(count, atMs)) ?? 0));
  }

  async reset(count: WindowCount, atMs: number): Promise<void> {
    await this.turn();
    this.journal.transact(() => ({ append: [{ t: 'window', k: windowKey(count, atMs), n: 0 }], result: undefined }));
  }

  // ── internals ────────────────────────────────────────────────────────────────

  /** Catches up with the journal, then reads. */
  protected readState<T>(fn: () => T): T {
    this.journal.refresh();
    return fn();
  }

  // A delivery key is `<list>#<issue>#<subscriber>`; its issue's key is the part before the last `#`.
  private moveCounts(deliveryK: string, delta: CountsDelta): void {
    const k = deliveryK.slice(0, deliveryK.lastIndexOf('#'));
    const issue = this.issues.get(k);
    if (issue && Object.keys(delta).length > 0) this.issues.set(k, { ...issue, counts: addCounts(issue.counts, delta) });
  }

  /** Applies one event to the state. */
  private apply(event: LedgerEvent): void {
    switch (event.t) {
      case 'issue':
        this.issues.set(issueKey(event.r), event.r);
        break;
      case 'delivery': {
        const before = this.deliveries.get(event.k);
        // Older local stores wrote `at` only and no attempt (and a subscriberId, which the key already holds):
        // read them as a first attempt claimed then.
        const {
          subscriberId: _,
          at,
          ...kept
        } = event.d as Partial<DeliveryRecord> & { readonly at?: string; readonly subscriberId?: string };
        const d = { ...kept, attempt: kept.attempt ?? 1, claimedAt: kept.claimedAt ?? at ?? '' } as DeliveryRecord;
        this.deliveries.set(event.k, d);
        if (event.v === 2) this.moveCounts(event.k, countsBetween(before, d));
        break;
      }
      case 'pause': {
        const issue = this.issues.get(event.k);
        if (issue) this.issues.set(event.k, { ...issue, pause: event.p ?? undefined });
        break;
      }
      case 'cancel': {
        const issue = this.issues.get(event.k);
        if (issue) this.issues.set(event.k, { ...issue, cancelledAt: issue.cancelledAt ?? event.at });
        break;
      }
      case 'release':
        this.deliveries.delete(event.k);
        break;
      case 'drop-issue':
        this.issues.delete(event.k);
        break;
      case 'fb': {
        const current = this.health.get(event.k) ?? { counts: ZERO_FEEDBACK };
        if (event.e !== undefined) this.feedbackKeys.add(`${event.k}#${event.e}`);
        if (event.e?.startsWith(READER_CLICK_PREFIX)) {
          const reader = readerOfClickKey(event.k, event.e);
          this.readerClicks.set(reader, (this.readerClicks.get(reader) ?? new Set()).add(event.e));
        }
        this.health.set(event.k, { ...current, counts: addFeedback(current.counts, event.d) });
        break;
      }
      case 'confirm':
        // Per-address slots of older logs: short-lived, and the window counters replaced them; nothing to keep.
        break;
      case 'window':
        this.windows.set(event.k, event.n);
        break;
      case 'trip':
        this.health.set(event.k, { ...(this.health.get(event.k) ?? { counts: ZERO_FEEDBACK }), breaker: event.b });
        break;
      case 'override': {
        const current = this.health.get(event.k) ?? { counts: ZERO_FEEDBACK };
        this.health.set(event.k, { counts: current.counts, overrides: [...(current.overrides ?? []), event.o] });
        break;
      }
    }
  }

  // ── EngagementLedger ─────────────────────────────────────────────────────────
  // Kept in the journal's existing lines, so that the log format does not change: a claim is an empty `fb`
  // event with its key, a counter a `window` counter named `engagement#<list>#<id>#<name>` (window 0).

  async claimEngagement(issue: IssueRef, key: string): Promise<boolean> {
    await this.turn();
    return this.journal.transact(() => {
      const k = issueKey(issue);
      if (this.feedbackKeys.has(`${k}#${key}`)) return { result: false };
      return { append: [{ t: 'fb', k, d: {}, e: key }], result: true };
    });
  }

  async addEngagement(issue: IssueRef, delta: Readonly<Record<string, number>>): Promise<void> {
    await this.turn();
    this.journal.transact(() => ({
      append: Object.entries(delta).map(([name, by]): LedgerEvent => {
        const k = `${engagementPrefix(issue)}${name}#0`;
        return { t: 'window', k, n: (this.windows.get(k) ?? 0) + by };
      }),
      result: undefined,
    }));
  }

  async engagementCounters(issue: IssueRef): Promise<Readonly<Record<string, number>>> {
    await this.turn();
    const prefix = engagementPrefix(issue);
    return this.readState(() =>
      Object.fromEntries(
        [...this.windows].filter(([k]) => k.startsWith(prefix)).map(([k, n]) => [k.slice(prefix.length, k.lastIndexOf('#')), n]),
      ),
    );
  }

  async recordReaderClick(issue: IssueRef, reader: string, click: ReaderClick): Promise<readonly ReaderClick[]> {
    await this.claimEngagement(issue, readerClickKey(reader, click));
    const clicksKey = readerOfClickKey(issueKey(issue), readerClickKey(reader, click));
    return this.readState(() => latestReaderClicks(this.readerClicks.get(clicksKey) ?? []));
  }
}
