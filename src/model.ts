/**
 * The domain model: the records and values that the core passes around and the ledgers keep.
 * Plain data and pure constructors only; what the core needs from the world is in ports.ts.
 */

/** Where a subscriber stands with a list. Only `subscribed` members are planned and sent to. */
export type SubscriberStatus = 'pending' | 'subscribed' | 'unsubscribed' | 'bounced' | 'complained';

/** Who one message goes to. The id is opaque and stable; it, not the address, goes into links. */
export interface Recipient {
  readonly id: string;
  readonly email: string;
  readonly firstName?: string | undefined;
  readonly attributes?: Readonly<Record<string, string>> | undefined;
}

/**
 * Who an issue is for (absent: every subscribed member): members with ANY of `tags` and, for EACH of `fields`,
 * one of its values. The grammar and the matching are in src/brief/audience.ts.
 */
export interface Audience {
  readonly tags?: readonly string[] | undefined;
  readonly fields?: Readonly<Record<string, readonly string[]>> | undefined;
}

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

/** The record of an issue just claimed: nothing planned or sent yet (what every ledger starts an issue with). */
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

/** One delivery as a ledger keeps it. */
export interface DeliveryRecord {
  readonly status: DeliveryState;
  /** 1 for the first claim; each re-send after a vanished holder or an unknown outcome adds one. */
  readonly attempt: number;
  /** ISO 8601 of the latest claim. */
  readonly claimedAt: string;
  /** Who holds a `claimed` delivery, and until when (epoch ms). */
  readonly holder?: string | undefined;
  readonly leaseUntil?: number | undefined;
  /** For `unknown`: when (epoch ms) to stop waiting for SES's Send event and send again. */
  readonly retryAt?: number | undefined;
  /** ISO 8601. */
  readonly completedAt?: string | undefined;
  readonly messageId?: string | undefined;
  readonly reason?: string | undefined;
}

/** One send job: at most 50 recipients of one issue. The queue body is this, as JSON. */
export interface SendJob {
  readonly format: 'newsbrief/send-job@1';
  readonly issue: IssueRef;
  /** Key of the RenderedIssue JSON. */
  readonly renderedKey: string;
  /** `attributes` holds only the fields the issue's merge tags use (PlanMessage.fields), so that jobs stay small. */
  readonly recipients: readonly Pick<Recipient, 'id' | 'email' | 'firstName' | 'attributes'>[];
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
  /**
   * Set when an issue claimed before is planned again (local mode, after a run that stopped): only members
   * who joined by `joinedBy` (ISO 8601, the issue's claim) are planned, and the ledger's page marks are left
   * as they are; the delivery claims skip whoever has it already.
   */
  readonly replan?: { readonly joinedBy: string } | undefined;
  /** Only members in this audience are planned (absent: every subscribed member). Carried to each continuation. */
  readonly audience?: Audience | undefined;
  /** The subscriber fields the issue's merge tags use: copied into the send jobs (absent: none). */
  readonly fields?: readonly string[] | undefined;
}

/** What SES (or a local stand-in) says when it accepted a message. */
export interface SendReceipt {
  readonly messageId: string;
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
  /** Readers who left through this issue's unsubscribe link (once per reader; links from before issue ids count nowhere). */
  readonly unsubscribed: number;
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

/**
 * One link of a rendered issue, as the engagement counts name it: its place in the email and what it says,
 * so that "the CTA of story 2" is identifiable. Stored with the rendered issue (`RenderedIssue.links`).
 */
export interface IssueLink {
  /** 1-based, in document order of the issue's HTML; a URL that appears twice counts on its first position. */
  readonly position: number;
  readonly url: string;
  /** The link's visible text (tags stripped, whitespace collapsed), or its image's alt text; '' when none. */
  readonly text: string;
}

/**
 * A reader's click on an issue as the engagement ledger keeps it to see a scanner following every link at once:
 * which link (its position) and when, nothing else (no address, IP address or user agent).
 */
export interface ReaderClick {
  readonly position: number;
  /** When the click was made, in milliseconds since the epoch. */
  readonly atMs: number;
}

/** Events and distinct readers (each reader counted once per issue, however often they came back). */
export interface EngagementTally {
  readonly total: number;
  readonly unique: number;
}

/** Clicks on one link of the issue. Human clicks only in `total`/`unique`; flagged ones in `machine`. */
export interface LinkEngagement extends IssueLink, EngagementTally {
  /** Clicks flagged as a link scanner's. */
  readonly machine: number;
}

/** Human opens and clicks in one hour after the reader's message was sent (hour 0 = the first 60 minutes). */
export interface HourEngagement {
  readonly hour: number;
  readonly opens: number;
  readonly clicks: number;
}

/**
 * What readers did with one issue (issue 12), as counted from SES Open/Click events (the studio's emulation
 * locally). Machine events are counted apart and never in the human figures: opens by Apple Mail Privacy
 * Protection's proxy, clicks by link scanners (see src/engagement/machine-signals.ts). Nothing about a
 * reader but an anonymous claim is kept: no address, IP or user agent. Computed from stored counters, in
 * time proportional to the number of links and hours, never of readers.
 */
export interface EngagementCounts {
  /** Whether the issue's list tracks opens/clicks (false: the figures stay 0 and mean "not measured"). */
  readonly tracking: { readonly opens: boolean; readonly clicks: boolean };
  readonly opens: EngagementTally;
  readonly clicks: EngagementTally;
  readonly machineOpens: EngagementTally;
  readonly machineClicks: EngagementTally;
  /** Every link of the issue in position order (0s for those nobody clicked); empty when no link map was stored. */
  readonly links: readonly LinkEngagement[];
  /** Exactly 48 buckets, hours 0..47 after each message was sent; human events only. */
  readonly hourly: readonly HourEngagement[];
  /** Human events more than 48 hours after their message was sent. */
  readonly later: { readonly opens: number; readonly clicks: number };
}
