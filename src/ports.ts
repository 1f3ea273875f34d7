/**
 * What the pipeline's core needs from the world, named for the need rather than the service.
 * AWS adapters live in src/adapters/aws, local ones in src/adapters/local; tests pass in-memory fakes.
 */
import type { OutboundMessage } from './deliver/compose-message.js';
import type { Recipient } from './deliver/recipient.js';

/** Objects by key: briefs in, rendered artifacts and reports out. */
export interface BlobStore {
  /** Reads an object, at most `maxBytes` bytes of it when given; undefined when there is no such key. */
  get(key: string, options?: { readonly maxBytes?: number }): Promise<Uint8Array | undefined>;
  /** Writes (replaces) an object. */
  put(key: string, body: Uint8Array | string, contentType: string): Promise<void>;
}

/** Where a subscriber stands with a list. Only `subscribed` members are planned and sent to. */
export type SubscriberStatus = 'pending' | 'subscribed' | 'unsubscribed' | 'bounced' | 'complained';

/** One member of one list. `id` is opaque and stable (it goes into links); the address is the key. */
export interface Subscriber extends Recipient {
  readonly list: string;
  readonly status: SubscriberStatus;
  /** ISO 8601. */
  readonly createdAt: string;
  /** ISO 8601. */
  readonly updatedAt: string;
}

/** What an import or a sign-up writes; the store keeps an existing id and creation time. */
export interface SubscriberInput {
  readonly list: string;
  /** Normalized (trimmed, domain lower-cased). */
  readonly email: string;
  readonly firstName?: string | undefined;
  readonly attributes?: Readonly<Record<string, string>> | undefined;
  readonly status: SubscriberStatus;
}

/** One page of a list's subscribed members, and where the next page starts (undefined: the last page). */
export interface SubscriberPage {
  readonly subscribers: readonly Subscriber[];
  readonly next?: string | undefined;
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

/** An issue: one brief for one list. */
export interface IssueRef {
  readonly list: string;
  readonly id: string;
}

/**
 * Delivery counts of an issue, kept by the ledger as each delivery changes state (never per job), so that
 * after any crash `sent` is the number of messages SES accepted for the issue.
 */
export interface IssueCounts {
  readonly planned: number;
  readonly sent: number;
  readonly failed: number;
  /** Sent without an answer (a reset or a timeout after the request left): re-sent after the grace period unless SES's Send event proves it. */
  readonly unknown: number;
}

/** Why an issue's sending is paused, and until when its jobs wait before they look again. */
export interface IssuePause {
  /** `quota`: SES's daily quota is used up; `account`: SES refuses the account; `manual`: `newsbrief issue pause`. */
  readonly kind: 'quota' | 'account' | 'manual';
  readonly reason: string;
  /** ISO 8601. */
  readonly at: string;
  /** ISO 8601: jobs wait until then before trying again (undefined: until resumed by hand). */
  readonly until?: string | undefined;
}

/** The ledger's record of an issue. */
export interface IssueRecord extends IssueRef {
  /** Key of the RenderedIssue JSON in the blob store. */
  readonly renderedKey: string;
  /** The brief's object key. */
  readonly source: string;
  /** ISO 8601. */
  readonly claimedAt: string;
  /** Highest plan page already enqueued (-1: none yet). */
  readonly plannedPage: number;
  /** The cursor after plannedPage (undefined once the last page is planned). */
  readonly nextCursor?: string | undefined;
  /** True once the last page is planned. */
  readonly planComplete: boolean;
  readonly counts: IssueCounts;
  /** Set while sending is paused (quota, account, or by hand); cleared when sending resumes. */
  readonly pause?: IssuePause | undefined;
  /** Set once the issue was cancelled: its remaining jobs send nothing. ISO 8601. */
  readonly cancelledAt?: string | undefined;
}

/** What `claimIssue` records. */
export interface IssueClaim {
  readonly renderedKey: string;
  readonly source: string;
  readonly at: string;
}

/** The record of an issue just claimed: nothing planned or sent yet. Shared by the in-process ledgers. */
export function newIssueRecord(issue: IssueRef, claim: IssueClaim): IssueRecord {
  return {
    list: issue.list,
    id: issue.id,
    renderedKey: claim.renderedKey,
    source: claim.source,
    claimedAt: claim.at,
    plannedPage: -1,
    planComplete: false,
    counts: { planned: 0, sent: 0, failed: 0, unknown: 0 },
  };
}

/** Who claims a delivery, and until when the claim is theirs. */
export interface DeliveryLease {
  /** ISO 8601, recorded with the claim. */
  readonly at: string;
  /** Epoch ms now, for comparing leases and grace periods. */
  readonly nowMs: number;
  /** The claimant: one send invocation on AWS, one process locally (see holderIsGone in local mode). */
  readonly holder: string;
  /** Epoch ms until which the claim is the holder's; past it the holder counts as gone (no invocation lives longer). */
  readonly until: number;
}

/** The outcome of claiming one delivery. */
export type DeliveryClaim =
  /** Ours to send now; `attempt` > 1 when an earlier claim's holder vanished or its outcome stayed unknown (a re-send). */
  | { readonly state: 'claimed'; readonly attempt: number }
  /** Sent or failed before: skip. */
  | { readonly state: 'done' }
  /** Someone else holds it (a live lease), or its outcome is unknown and SES may still tell: look again at `retryAt` (epoch ms). */
  | { readonly state: 'busy'; readonly retryAt: number };

/** How a claimed delivery ended. */
export type DeliveryOutcome =
  | { readonly status: 'sent'; readonly messageId: string }
  | { readonly status: 'failed'; readonly reason: string }
  /** The request left and no answer came: SES may have it. `retryAt` (epoch ms) ends the wait for its Send event. */
  | { readonly status: 'unknown'; readonly reason: string; readonly retryAt: number };

/** Where one delivery stands. */
export type DeliveryState = 'claimed' | 'unknown' | 'sent' | 'failed';

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

/** One send job: at most 50 recipients of one issue. The queue body is this, as JSON. */
export interface SendJob {
  readonly format: 'newsbrief/send-job@1';
  readonly issue: IssueRef;
  /** Key of the RenderedIssue JSON. */
  readonly renderedKey: string;
  readonly recipients: readonly Pick<Recipient, 'id' | 'email' | 'firstName'>[];
}

/** One plan page to do. The queue body is this, as JSON. */
export interface PlanMessage {
  readonly format: 'newsbrief/plan-page@1';
  readonly issue: IssueRef;
  readonly renderedKey: string;
  /** 0 for the first page. */
  readonly page: number;
  /** The subscriber store's cursor where this page starts (undefined: from the start). */
  readonly cursor?: string | undefined;
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

/** What SES (or a local stand-in) says when it accepted a message. */
export interface SendReceipt {
  readonly messageId: string;
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

/** What happened to an issue's messages after SES took them, and what sending skipped. */
export interface FeedbackCounts {
  /** Recipients planned but no longer subscribed when their job ran. */
  readonly suppressed: number;
  /** Recipients not mailed because the issue's circuit breaker had tripped. */
  readonly held: number;
  readonly delivered: number;
  /** Permanent bounces. */
  readonly bounced: number;
  /** Transient (and undetermined) bounces: counted, nothing else changes. */
  readonly softBounced: number;
  readonly complained: number;
  /** SES rejected the message (virus), after accepting the request. */
  readonly rejected: number;
}

/** Names of the feedback counters. */
export type FeedbackCounter = keyof FeedbackCounts;

/** Why an issue's remaining sends stopped. */
export interface BreakerTrip {
  /** ISO 8601. */
  readonly at: string;
  readonly reason: string;
}

/**
 * A person resumed an issue past its tripped breaker (`newsbrief issue resume --override-breaker`, the studio).
 * The counts at that moment are kept, so that the breaker judges only what comes after (see checkBreaker).
 */
export interface BreakerOverride {
  /** ISO 8601. */
  readonly at: string;
  /** Who resumed it (a user name, "studio"), when known. */
  readonly by?: string | undefined;
  /** The trip this override cleared. */
  readonly previous: BreakerTrip;
  /** The issue's sent count and feedback counts when it was overridden. */
  readonly baseline: { readonly sent: number; readonly bounced: number; readonly complained: number };
}

/** An issue's feedback counts and circuit-breaker state. */
export interface IssueHealth {
  readonly counts: FeedbackCounts;
  readonly breaker?: BreakerTrip | undefined;
  /** The breaker's overrides, oldest first (absent: never overridden). */
  readonly overrides?: readonly BreakerOverride[] | undefined;
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

/** What starts a scheduled issue at its time: the schedule's payload, as JSON. */
export interface StartMessage {
  readonly format: 'newsbrief/start-issue@1';
  readonly issue: IssueRef;
  readonly renderedKey: string;
  /** The schedule record's version: a message from a replaced schedule finds another version and does nothing. */
  readonly version: string;
}

/** A one-time start of an issue at a time. */
export interface ScheduledStart {
  /** Unique per issue, so that scheduling an issue again replaces its schedule. */
  readonly name: string;
  /** ISO 8601, UTC. */
  readonly at: string;
  readonly message: StartMessage;
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
