/**
 * What the core needs from the world, named for the need rather than the service. The records these
 * ports carry are in model.ts. AWS adapters live in src/adapters/aws, local ones in src/adapters/local,
 * in-memory ones in src/adapters/memory.
 */
import type { OutboundMessage } from './deliver/compose-message.js';
import type {
  BreakerOverride,
  BreakerTrip,
  DeliveryClaim,
  DeliveryLease,
  DeliveryOutcome,
  DeliveryState,
  FeedbackCounter,
  FeedbackCounts,
  IssueClaim,
  IssueCounts,
  IssueHealth,
  IssuePause,
  IssueRecord,
  IssueRef,
  PlanMessage,
  ReaderClick,
  ScheduledStart,
  SendJob,
  SendReceipt,
  Subscriber,
  SubscriberInput,
  SubscriberPage,
  SubscriberStatus,
} from './model.js';

/** Objects by key: briefs in, rendered artifacts and reports out. */
export interface BlobStore {
  /** Reads an object, at most `maxBytes` bytes of it when given; undefined when there is no such key. */
  get(key: string, options?: { readonly maxBytes?: number }): Promise<Uint8Array | undefined>;
  /** Writes (replaces) an object. */
  put(key: string, body: Uint8Array | string, contentType: string): Promise<void>;
}

/**
 * The subscribers of every list. Every method that takes an address matches it case-insensitively: the
 * store keys a subscriber by `emailKey(email)` (src/subscribers/email-address.ts) and keeps the address as
 * first written in `Subscriber.email` (what is shown and mailed). Maps returned by address are keyed by the
 * strings the caller passed.
 */
export interface SubscriberStore extends SubscriberLookup {
  /** One page of `subscribed` members in a stable order; `cursor` is the previous page's `next`. */
  pageSubscribed(list: string, cursor: string | undefined, limit: number): Promise<SubscriberPage>;
  /** One subscriber by address (any case). */
  get(list: string, email: string): Promise<Subscriber | undefined>;
  /** Statuses of several addresses at once (absent addresses are missing from the map). */
  statuses(list: string, emails: readonly string[]): Promise<ReadonlyMap<string, SubscriberStatus>>;
  /** Creates or updates a subscriber; returns it with its (kept or new) id and its kept address as first written. `at` is ISO 8601. */
  upsert(input: SubscriberInput, at: string): Promise<Subscriber>;
  /** Changes a status; false when there is no such subscriber. */
  setStatus(list: string, email: string, status: SubscriberStatus, at: string): Promise<boolean>;
}

/**
 * What `newsbrief subscribers import|export|show|update|forget|doctor` need beyond SubscriberStore: bulk
 * reads and writes, a whole-list page, erasure and the suppression list. Addresses match as in
 * SubscriberStore (by `emailKey`). Suppression entries are deployment-wide (not per list) and hold only a
 * hash (see src/subscribers/suppression.ts), never an address.
 */
export interface SubscriberAdmin {
  /** The existing subscribers among these addresses, keyed by `emailKey` (one batched read; absent ones are missing). */
  getMany(list: string, emails: readonly string[]): Promise<ReadonlyMap<string, Subscriber>>;
  /**
   * Creates these subscribers (absent when last read) with fresh ids, `createdAt = updatedAt = at`, in as few
   * writes as the store allows. Unconditional (DynamoDB's BatchWriteItem takes no condition): a member created
   * by someone else in between is replaced.
   */
  createMany(inputs: readonly SubscriberInput[], at: string): Promise<void>;
  /**
   * Writes this whole record over the stored one only while that still has `updatedAt === seenUpdatedAt`
   * (an optimistic lock: every write sets updatedAt, so an unsubscribe in between makes it fail); false when
   * the member changed or went meanwhile.
   */
  replaceIfUnchanged(subscriber: Subscriber, seenUpdatedAt: string): Promise<boolean>;
  /** One page of a list's members whatever their status, in key order; `cursor` is the previous page's `next`. */
  pageMembers(list: string, cursor: string | undefined, limit: number): Promise<SubscriberPage>;
  /**
   * One page of a list's members narrowed by `filter` (matchesMemberFilter, src/subscribers/member-filter.ts), in
   * key order; `cursor` is the previous page's `next`. A store that filters after reading (DynamoDB) counts the
   * members it examined against `limit`, so a page may hold fewer, even none, and still have a `next`.
   */
  searchMembers(list: string, cursor: string | undefined, limit: number, filter: MemberFilter): Promise<SubscriberPage>;
  /** Deletes a member and all it holds (erasure); false when there was none. */
  remove(list: string, email: string): Promise<boolean>;
  /**
   * The deployment's salt for suppression hashes: random, made once (with `create`) and never changed, so that
   * a hash made today still matches in ten years. Undefined when none was made yet (then nothing is suppressed).
   */
  suppressionSalt(create: boolean): Promise<string | undefined>;
  /** Adds suppression hashes (idempotent); `at` is ISO 8601. */
  addSuppressions(hashes: readonly string[], at: string): Promise<void>;
  /** Which of these hashes are suppressed. */
  suppressedAmong(hashes: readonly string[]): Promise<ReadonlySet<string>>;
  /**
   * Members stored under a key that is not `emailKey` of their address (written before addresses matched
   * case-insensitively), grouped by the key they belong under, with what merging makes of each group
   * (mergeCaseDuplicates). With `apply`, each group is written under its key and the old items are deleted.
   * Stores that always keyed by emailKey return nothing.
   */
  repairKeys(list: string, options: { readonly apply: boolean; readonly at: string }): Promise<readonly KeyRepair[]>;
}

/** What SubscriberAdmin.searchMembers narrows a list to; absent parts do not narrow, and all given parts must hold. */
export interface MemberFilter {
  readonly status?: SubscriberStatus | undefined;
  /** A tag the member has, compared as audiences compare tags (trimmed, lower-case). */
  readonly tag?: string | undefined;
  /** A field (an attribute) with this value, compared as audiences compare values (trimmed, any case). */
  readonly field?: { readonly name: string; readonly value: string } | undefined;
  /** How the member's address starts, in any case (the store's key is the lower-cased address, so this is a range read). */
  readonly addressPrefix?: string | undefined;
}

/** One address stored under keys other than its `emailKey`, and the one member it becomes. */
export interface KeyRepair {
  /** The key the members belong under. */
  readonly key: string;
  /** The members as stored (their addresses as stored), oldest first. */
  readonly found: readonly Subscriber[];
  /** The member after merging (its id is the oldest one's). */
  readonly merged: Subscriber;
}

/**
 * Issues and deliveries, made idempotent by conditional writes: every side effect is claimed first, and a
 * claim carries a lease, so that a claim whose holder vanished is resolved (proved sent, or sent again).
 */
export interface Ledger {
  /** Creates the issue record; false when it already exists (a duplicate event). */
  claimIssue(issue: IssueRef, claim: IssueClaim): Promise<boolean>;
  /** Deletes an issue claim whose plan could not be started, so that a retried event starts it. */
  releaseIssue(issue: IssueRef): Promise<void>;
  getIssue(issue: IssueRef): Promise<IssueRecord | undefined>;
  /** Adds to an issue's counts (atomic increments); the send path never calls it (deliveries count themselves). */
  addCounts(issue: IssueRef, delta: Partial<IssueCounts>): Promise<void>;
  /**
   * Records that plan page `page` is enqueued (only if page - 1 was the last one recorded), adds `planned`
   * and keeps `next` (undefined: that was the last page); false when this page was recorded before.
   */
  markPagePlanned(issue: IssueRef, page: number, planned: number, next: string | undefined): Promise<boolean>;
  /** Sets or clears (undefined) the issue's pause. */
  setIssuePause(issue: IssueRef, pause: IssuePause | undefined): Promise<void>;
  /** Marks the issue cancelled (ISO 8601 `at`); false when there is no such issue. */
  cancelIssue(issue: IssueRef, at: string): Promise<boolean>;
  /** The state of each of these deliveries that exists (one read for a whole job). */
  deliveryStates(issue: IssueRef, subscriberIds: readonly string[]): Promise<ReadonlyMap<string, DeliveryState>>;
  /**
   * Claims one delivery before the side effect: a new one, one released, one whose lease passed, or one whose
   * unknown outcome passed its grace period (the last two are re-sends).
   */
  claimDelivery(issue: IssueRef, subscriberId: string, lease: DeliveryLease): Promise<DeliveryClaim>;
  /**
   * Claims several deliveries of one issue, each exactly as claimDelivery would, in as few writes as the
   * ledger can (on DynamoDB one transaction for many); the answers in the order given.
   */
  claimDeliveries(issue: IssueRef, subscriberIds: readonly string[], lease: DeliveryLease): Promise<readonly DeliveryClaim[]>;
  /**
   * Records how a delivery ended, moving its counts with it. Only forward: claimed → sent | failed | unknown,
   * unknown → sent | failed. False when it had ended already (e.g. SES's Send event came first).
   */
  completeDelivery(issue: IssueRef, subscriberId: string, outcome: DeliveryOutcome, at: string): Promise<boolean>;
  /**
   * Records several outcomes of one issue, each exactly as completeDelivery would, in as few writes as the
   * ledger can (on DynamoDB one transaction for many); the answers in the order given.
   */
  completeDeliveries(issue: IssueRef, completions: readonly DeliveryCompletion[]): Promise<readonly boolean[]>;
  /** Drops a claim whose message we KNOW was not sent (throttled, account paused, out of time), so a retry sends it. */
  releaseDelivery(issue: IssueRef, subscriberId: string): Promise<void>;
}

/** One outcome to record: whose, what, and when (ISO 8601). */
export interface DeliveryCompletion {
  readonly subscriberId: string;
  readonly outcome: DeliveryOutcome;
  readonly at: string;
}

/** The work queues between intake, plan and send. */
export interface JobQueue {
  /**
   * Enqueues send jobs (in batches, retrying entries the queue refused); resolves once all are accepted.
   * `delaySeconds` (≤ 900) keeps them out of sight that long: a continuation waiting for the quota or a grace period.
   */
  enqueueSendJobs(jobs: readonly SendJob[], options?: { readonly delaySeconds?: number }): Promise<void>;
  /** Enqueues one plan page (the first, or a continuation). */
  enqueuePlan(message: PlanMessage): Promise<void>;
}

/**
 * Sends one message. Throws TransientSendError (retry helps), PermanentSendError (this address will not
 * take it: record and skip) or AccountSendingPausedError (stop everything; nothing was sent).
 */
export interface Mailer {
  send(message: OutboundMessage): Promise<SendReceipt>;
}

/** The time, passed in so that the core never reads the clock. */
export interface Clock {
  /** Milliseconds since the epoch. */
  now(): number;
}

/** Waiting, passed in so that rate control is testable without sleeping. */
export interface Sleeper {
  sleep(ms: number): Promise<void>;
}

/** Finding a subscriber by the opaque id that links carry (on AWS: the subscribers table's `byId` index). */
export interface SubscriberLookup {
  /** The subscriber of `list` with this id; undefined when there is none. */
  getById(list: string, id: string): Promise<Subscriber | undefined>;
}

/** Per-issue feedback in the ledger, each SES event counted once however often SNS delivers it. */
export interface FeedbackLedger {
  /** Claims `eventKey` and adds one to `counter`; false when the key was counted before (a redelivery). */
  countFeedbackOnce(issue: IssueRef, eventKey: string, counter: FeedbackCounter): Promise<boolean>;
  /** Adds to counters without a claim (send-time counts, which the delivery claims already make exact). */
  addFeedbackCounts(issue: IssueRef, delta: Partial<FeedbackCounts>): Promise<void>;
  /** The issue's feedback counts and breaker (zero counts when nothing came yet). */
  issueHealth(issue: IssueRef): Promise<IssueHealth>;
  /** Trips the issue's breaker once; false when it had tripped before. */
  tripBreaker(issue: IssueRef, trip: BreakerTrip): Promise<boolean>;
  /**
   * Clears the breaker and records the override, only while the breaker is still `override.previous` (the
   * trip a person saw); false when it is not (not tripped, or overridden or tripped again meanwhile).
   */
  overrideBreaker(issue: IssueRef, override: BreakerOverride): Promise<boolean>;
}

/** One-time schedules that start issues (EventBridge Scheduler on AWS, a timer locally). */
export interface IssueScheduler {
  /** Creates the schedule, or replaces the one of the same name; 'replaced' when one existed. */
  upsert(start: ScheduledStart): Promise<'created' | 'replaced'>;
  /** Deletes a schedule; false when there was none (it fired, or never existed). */
  cancel(name: string): Promise<boolean>;
}

/** One fixed-window counter: `key` names what is counted; its windows last `windowMs` and start at multiples of it (epoch ms). */
export interface WindowCount {
  readonly key: string;
  readonly windowMs: number;
}

/** A counter with the most it may reach in one window. */
export interface WindowBudget extends WindowCount {
  readonly limit: number;
}

/**
 * Fixed-window counters stored with the ledger: the subscribe form's budgets (per mailbox, per list, overall) and
 * the confirmation breaker's counts. A counter is identified by its key and the start of the window that holds
 * `atMs` (`atMs - atMs % windowMs`); it starts at 0 and may be forgotten once its window has passed. Every
 * method acts on one counter atomically; the use-case orders them (and gives back what a refusal left taken).
 */
export interface ConfirmationThrottle {
  /** Adds one unless the counter is already at `limit` (then it stays and the answer is false). Concurrent takes never pass the limit. */
  take(budget: WindowBudget, atMs: number): Promise<boolean>;
  /** Adds `by` with no limit (a negative `by` gives back what a take of the same window took). */
  add(count: WindowCount, atMs: number, by: number): Promise<void>;
  /** The counters' values, in order (0 for one never counted). */
  read(counts: readonly WindowCount[], atMs: number): Promise<number[]>;
  /** Sets a counter back to 0 (a person resets the confirmation breaker). */
  reset(count: WindowCount, atMs: number): Promise<void>;
}

/**
 * Engagement counters of an issue (opens and clicks, issue 12), next to its feedback counts: named numbers
 * added atomically, and claims that make each event (and each reader's first time) count once. Counter
 * names are `[A-Za-z0-9_]` (see src/engagement/engagement-counters.ts); claims hold no address.
 */
export interface EngagementLedger {
  /** Claims `key` on the issue; false when it was claimed before (a redelivery, or a reader seen before). */
  claimEngagement(issue: IssueRef, key: string): Promise<boolean>;
  /** Adds to named counters (atomic increments, no claim). */
  addEngagement(issue: IssueRef, delta: Readonly<Record<string, number>>): Promise<void>;
  /** Every engagement counter of the issue (absent: never counted). */
  engagementCounters(issue: IssueRef): Promise<Readonly<Record<string, number>>>;
  /**
   * Records one reader's click (by subscriber id) and returns, for every link of the issue they clicked, the time
   * of a click on it (the latest, where the store can tell; this click's own time for its link when it is the
   * latest written): what the "every link at once" rule reads. Recording the same click twice changes nothing.
   */
  recordReaderClick(issue: IssueRef, reader: string, click: ReaderClick): Promise<readonly ReaderClick[]>;
}
