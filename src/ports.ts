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

/** The subscribers of every list. */
export interface SubscriberStore extends SubscriberLookup {
  /** One page of `subscribed` members in a stable order; `cursor` is the previous page's `next`. */
  pageSubscribed(list: string, cursor: string | undefined, limit: number): Promise<SubscriberPage>;
  /** One subscriber by normalized address. */
  get(list: string, email: string): Promise<Subscriber | undefined>;
  /** Statuses of several addresses at once (absent addresses are missing from the map). */
  statuses(list: string, emails: readonly string[]): Promise<ReadonlyMap<string, SubscriberStatus>>;
  /** Creates or updates a subscriber; returns it with its (kept or new) id. `at` is ISO 8601. */
  upsert(input: SubscriberInput, at: string): Promise<Subscriber>;
  /** Changes a status; false when there is no such subscriber. */
  setStatus(list: string, email: string, status: SubscriberStatus, at: string): Promise<boolean>;
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
   * Records how a delivery ended, moving its counts with it. Only forward: claimed → sent | failed | unknown,
   * unknown → sent | failed. False when it had ended already (e.g. SES's Send event came first).
   */
  completeDelivery(issue: IssueRef, subscriberId: string, outcome: DeliveryOutcome, at: string): Promise<boolean>;
  /** Drops a claim whose message we KNOW was not sent (throttled, account paused, out of time), so a retry sends it. */
  releaseDelivery(issue: IssueRef, subscriberId: string): Promise<void>;
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

/** At most one confirmation mail per address per window (the subscribe form's abuse guard). */
export interface ConfirmationThrottle {
  /** Claims the right to mail a confirmation to (list, email) at `atMs` unless one went out less than `windowMs` before. */
  claimConfirmation(list: string, email: string, atMs: number, windowMs: number): Promise<boolean>;
  /** Gives the claim back when the mail was known not to go out (so that the person can try again at once). */
  releaseConfirmation(list: string, email: string, atMs: number): Promise<void>;
}
