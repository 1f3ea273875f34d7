/**
 * Sending one job of at most 50 recipients so that every one of them is mailed, and mailed once.
 *
 * Per recipient: compose, claim the delivery with a lease, take a rate token, send at once, record the
 * outcome (on AWS, claims are taken a few at a time and sent outcomes recorded together: see ClaimAhead,
 * OutcomeBatch). A crash leaves open only the claims of the few deliveries in progress (at most the
 * container's parallelism), and their lease (or, locally, their dead process) lets the next claimant
 * resolve them. Errors by kind:
 * throttling, 5xx and connections that never opened are retried here with backoff and jitter; a rejected
 * address is recorded failed; an answer that never came is recorded unknown and sent again only if SES's
 * Send event has not proved it by the end of the grace period; an exhausted quota or a paused account
 * pauses the issue. Whatever this job could not finish goes on as a continuation job (delayed as the case
 * needs), so the job's own message never returns to its queue for throttling and never dead-letters for it.
 * No MJML here: the issue was rendered at intake.
 */
import { composeReaderMessage } from '../deliver/reader-message.js';
import type { ListsConfig } from '../config/lists.js';
import type { OutboundMessage } from '../deliver/compose-message.js';
import type { Keyring } from '../deliver/tokens.js';
import type { RenderedIssue } from '../render/render-issue.js';
import type { BlobStore, Clock, JobQueue, Ledger, Mailer, SubscriberStore } from '../ports.js';
import type { IssuePause, SendJob, SendReceipt } from '../model.js';
import { type SendGateDeps, sendGate } from '../feedback/send-gate.js';
import { hashOf } from './hash-of.js';
import { OutcomeBatch } from './outcome-batch.js';
import { ClaimAhead } from './claim-ahead.js';
import type { RateLimiter } from './rate-limiter.js';
import { AccountSendingPausedError, PermanentSendError, TransientSendError } from '../deliver/send-errors.js';

/** How deliveries are claimed, retried and resolved. */
export interface DeliveryPolicy {
  /** How long a claim is its holder's (ms): at least the longest an invocation lives, so that a live holder is never overtaken. */
  readonly leaseMs: number;
  /** How long an unknown outcome waits for SES's Send event before it is sent again (ms); 0 where no events come. */
  readonly unknownGraceMs: number;
  /** Attempts per recipient within one job, for throttling, 5xx, refused connections and (with no grace) unknown outcomes. */
  readonly attempts: number;
  /** One SES call (its timeout) plus the ledger write after it (ms): no token is taken closer than this to the deadline. */
  readonly callBudgetMs: number;
  /** How long a paused issue's jobs wait before they look again (ms; a queue delays at most 15 minutes). */
  readonly pauseRetryMs: number;
  /** First backoff after a throttle or 5xx (ms); doubled per attempt, with jitter. */
  readonly backoffMs: number;
  /**
   * Sent outcomes written together (1: each as soon as SES answers). More saves a ledger call per message,
   * but a crash leaves that many claims open: only where SES's Send events settle them (see OutcomeBatch).
   */
  readonly outcomeBatch: number;
  /** The longest a sent outcome waits for its batch (ms). */
  readonly outcomeBatchMs: number;
  /** Deliveries claimed in one write, the one about to be sent and the next ones (1: each alone; see ClaimAhead). */
  readonly claimGroup: number;
}

/** The defaults on AWS: the send function lives at most 60 s; SES publishes Send events within seconds. */
export const DEFAULT_DELIVERY_POLICY: DeliveryPolicy = {
  leaseMs: 120_000,
  unknownGraceMs: 120_000,
  attempts: 5,
  callBudgetMs: 7_000,
  pauseRetryMs: 900_000,
  backoffMs: 100,
  outcomeBatch: 1,
  outcomeBatchMs: 1_000,
  claimGroup: 1,
};

/** What sending needs. `issues` caches rendered issues for as long as the deps live (a warm container). */
export interface SendDeps {
  readonly blobs: BlobStore;
  readonly ledger: Ledger;
  readonly subscribers: SubscriberStore;
  readonly mailer: Mailer;
  readonly lists: ListsConfig;
  readonly keyring: Keyring;
  readonly clock: Clock;
  readonly limiter: RateLimiter;
  /** Where continuation jobs go (the send queue). */
  readonly queue: JobQueue;
  readonly issues: Map<string, Promise<RenderedIssue>>;
  /** The issue's circuit breaker (bounce and complaint rates); without it every job sends. */
  readonly gate?: SendGateDeps | undefined;
  /** Deliveries in progress at once per container, across jobs (SES answers in ~100 ms; the limiter sets the pace). */
  readonly parallelism?: number;
  readonly policy?: Partial<DeliveryPolicy> | undefined;
}

/** State shared by the jobs of one invocation (or one local run). */
export interface SendRun {
  /** Who claims: this invocation, or this local process. */
  readonly holder: string;
  /** Epoch ms by which the invocation must have returned; no token is taken within the call budget of it. */
  readonly deadline?: number | undefined;
  /** Set once SES refused the account: the run's other jobs stop too. */
  paused?: AccountSendingPausedError | undefined;
  /** Set by a signal (Ctrl-C, SIGTERM): no new token is taken; calls in flight finish and are recorded. */
  stopping?: boolean;
  /**
   * The issue's record and breaker verdict, read once for all jobs of the run. Only where its jobs start
   * together (an invocation's batch, up to 100 jobs, each of which read the same 33 ledger items and the
   * feedback counts at the same moment); a local run lasts the whole send and reads them per job.
   */
  readonly issueReads?: Map<string, Promise<unknown>>;
  /** Issues whose breaker trip this run has reported already (one alarm for its jobs together). */
  readonly tripsReported?: Set<string>;
}

/** A fresh run for one invocation: its jobs start together, so they share the issue's reads. */
export function newSendRun(holder: string, deadline?: number): SendRun {
  return { holder, deadline, issueReads: new Map(), tripsReported: new Set() };
}

/** How one job ended. */
export interface SendJobResult {
  /** `complete`: every recipient resolved; `continued`: the rest went on as a delayed job; `paused`: the issue is paused (the rest went on too). */
  readonly outcome: 'complete' | 'continued' | 'paused';
  readonly sent: number;
  readonly failed: number;
  /** Already sent or failed before (a redelivery or a duplicate job). */
  readonly skipped: number;
  /** No longer subscribed when the job ran. */
  readonly unsubscribed: number;
  /** Sent again because an earlier claim's holder vanished or its outcome stayed unknown past the grace period. */
  readonly resent: number;
  /** Sent without an answer: recorded unknown, waiting for SES's Send event (the continuation resolves them). */
  readonly unknown: number;
  /** Recipients handed to the continuation job. */
  readonly continued: number;
  /** Seconds the continuation waits before it is delivered. */
  readonly delaySeconds?: number;
  /** Why the job stopped early. */
  readonly reason?: string;
  /** Recipients not mailed because the issue's circuit breaker had tripped. */
  readonly held?: number;
  /** Recipients not mailed because the issue was cancelled. */
  readonly cancelled?: number;
  /** Set when this job found the rates past the limits and tripped the breaker (raise the alarm). */
  readonly tripped?: string;
  /** Set when this job paused the issue (quota or account): raise the alarm. */
  readonly pausedNow?: IssuePause;
}

type Recipient = SendJob['recipients'][number];

/** Why the job stops sending (the rest goes on as a continuation). */
interface Stop {
  readonly reason: string;
  /** Delay of the continuation, ms. */
  readonly waitMs: number;
  readonly paused?: boolean | undefined;
}

/** Sends one job. Never throws for a single recipient's failure; throws when the issue cannot be loaded. */
export async function sendJob(deps: SendDeps, job: SendJob, run: SendRun): Promise<SendJobResult> {
  const policy = { ...DEFAULT_DELIVERY_POLICY, ...deps.policy };
  const counts = { sent: 0, failed: 0, skipped: 0, unsubscribed: 0, resent: 0, unknown: 0 };
  const list = deps.lists.lists.get(job.issue.list);
  if (!list) throw new Error(`list "${job.issue.list}" is not configured`);

  const issueKey = `${job.issue.list}#${job.issue.id}`;
  const record = await readOnce(run, `record#${issueKey}`, () => deps.ledger.getIssue(job.issue));
  if (record?.cancelledAt)
    return {
      outcome: 'complete',
      ...counts,
      continued: 0,
      cancelled: job.recipients.length,
      reason: `the issue was cancelled at ${record.cancelledAt}`,
    };
  const now = deps.clock.now();
  const pause = record?.pause;
  if (pause && (pause.until === undefined || Date.parse(pause.until) > now)) {
    const waitMs = pause.until === undefined ? policy.pauseRetryMs : Math.min(policy.pauseRetryMs, Date.parse(pause.until) - now);
    return continueWith(deps, job, job.recipients, { reason: `the issue is paused: ${pause.reason}`, waitMs, paused: true }, counts);
  }
  if (run.paused)
    return continueWith(deps, job, job.recipients, { reason: run.paused.message, waitMs: policy.pauseRetryMs, paused: true }, counts);
  if (deps.gate) {
    // Checked per job: once an issue bounces or draws complaints past its limits, its remaining jobs hold their recipients.
    const gateDeps = deps.gate;
    const verdict = await readOnce(run, `gate#${issueKey}`, () => sendGate(gateDeps, job.issue, record));
    if (!verdict.open) {
      await deps.gate.feedback.addFeedbackCounts(job.issue, { held: job.recipients.length });
      return {
        outcome: 'complete',
        ...counts,
        continued: 0,
        held: job.recipients.length,
        reason: `circuit breaker: ${verdict.reason}`,
        ...(verdict.trippedNow && reportTripOnce(run, issueKey) ? { tripped: verdict.reason } : {}),
      };
    }
  }
  const issue = await loadIssue(deps, job.renderedKey);
  // Read at send time, so that an unsubscribe between planning and sending is honoured; deliveries already
  // ended cost no token.
  const [statuses, states] = await Promise.all([
    deps.subscribers.statuses(
      job.issue.list,
      job.recipients.map((r) => r.email),
    ),
    deps.ledger.deliveryStates(
      job.issue,
      job.recipients.map((r) => r.id),
    ),
  ]);

  let stop: Stop | undefined;
  const unresolved: Recipient[] = [];
  /** Recipients to look at again later, and the earliest time that makes sense (epoch ms). */
  let laterAt = 0;
  const pending: Array<{ recipient: Recipient; tries: number }> = [];
  for (const recipient of job.recipients) {
    const state = states.get(recipient.id);
    if (state === 'sent' || state === 'failed') counts.skipped++;
    else if (statuses.get(recipient.email) !== 'subscribed') counts.unsubscribed++;
    else pending.push({ recipient, tries: 0 });
  }

  const stopReason = (): Stop | undefined => {
    if (stop) return stop;
    if (run.paused) return { reason: run.paused.message, waitMs: policy.pauseRetryMs, paused: true };
    if (run.stopping) return { reason: 'stopped', waitMs: 0 };
    if (run.deadline !== undefined && deps.clock.now() + policy.callBudgetMs >= run.deadline)
      return { reason: 'out of time in this invocation', waitMs: 0 };
    return undefined;
  };
  const later = (recipient: Recipient, at: number): void => {
    unresolved.push(recipient);
    laterAt = Math.max(laterAt, at);
  };
  const lease = () => {
    const nowMs = deps.clock.now();
    return { at: new Date(nowMs).toISOString(), nowMs, holder: run.holder, until: nowMs + policy.leaseMs };
  };

  const deliver = async (item: { recipient: Recipient; tries: number }): Promise<void> => {
    const { recipient } = item;
    let message: OutboundMessage;
    try {
      message = await composeReaderMessage({
        issue,
        list,
        recipient,
        keyring: deps.keyring,
        date: new Date(deps.clock.now()),
        issueId: job.issue.id,
      });
    } catch (error) {
      // Composing is deterministic: what fails for this recipient now fails on every retry.
      const claim = await deps.ledger.claimDelivery(job.issue, recipient.id, lease());
      if (claim.state === 'claimed') {
        await deps.ledger.completeDelivery(job.issue, recipient.id, { status: 'failed', reason: describe(error) }, iso(deps.clock));
        counts.failed++;
      } else if (claim.state === 'done') counts.skipped++;
      else later(recipient, claim.retryAt);
      return;
    }
    // The claim, then the token, then the send at once: nothing stands between a token and SES, so the
    // messages reach SES spaced as the tokens were (a claim written after the token put its few
    // milliseconds there, and SES's one-second window counted the bunching as a throttle). A claim never
    // sends twice; one left open by a crash while it waited is resolved when its lease ends.
    const claim = await (claims ? claims.claim(recipient.id) : deps.ledger.claimDelivery(job.issue, recipient.id, lease()));
    if (claim.state === 'done') {
      counts.skipped++;
      return;
    }
    if (claim.state === 'busy') {
      later(recipient, claim.retryAt);
      return;
    }
    await deps.limiter.acquire();
    const stopNow = stopReason();
    if (stopNow) {
      stop ??= stopNow;
      await deps.ledger.releaseDelivery(job.issue, recipient.id);
      unresolved.push(recipient);
      return;
    }
    const resend = claim.attempt > 1;
    item.tries++;
    let receipt: SendReceipt;
    try {
      receipt = await deps.mailer.send(message);
    } catch (error) {
      if (error instanceof PermanentSendError) {
        if (await deps.ledger.completeDelivery(job.issue, recipient.id, { status: 'failed', reason: describe(error) }, iso(deps.clock)))
          counts.failed++;
      } else if (error instanceof AccountSendingPausedError) {
        await deps.ledger.releaseDelivery(job.issue, recipient.id);
        run.paused ??= error;
        unresolved.push(recipient);
      } else if (error instanceof TransientSendError) {
        await deps.ledger.releaseDelivery(job.issue, recipient.id);
        const wait = backoffMs(policy.backoffMs, item.tries, recipient.id);
        // Every sender of this container slows down: a throttle is about the account's rate, not this message.
        deps.limiter.backoff(wait);
        if (item.tries < policy.attempts) pending.push(item);
        else {
          stop ??= { reason: describe(error), waitMs: wait };
          unresolved.push(recipient);
        }
      } else {
        // SendOutcomeUnknownError, or anything we cannot read: SES may have it. Wait for its Send event.
        const retryAt = deps.clock.now() + policy.unknownGraceMs;
        if (
          await deps.ledger.completeDelivery(
            job.issue,
            recipient.id,
            { status: 'unknown', reason: describe(error), retryAt },
            iso(deps.clock),
          )
        )
          counts.unknown++;
        if (policy.unknownGraceMs === 0 && item.tries < policy.attempts) pending.push(item);
        else later(recipient, retryAt);
      }
      return;
    }
    // SES has the message. Only its record is left, outside the send's try: a ledger error here is not a
    // send whose outcome is unknown (which would be sent again after the grace). It fails the job, and the
    // open claim is settled by SES's Send event, or by the lease when no event comes.
    const sent = { subscriberId: recipient.id, outcome: { status: 'sent', messageId: receipt.messageId } as const, at: iso(deps.clock) };
    const written = (recorded: boolean) => {
      if (!recorded) counts.skipped++;
      else {
        counts.sent++;
        if (resend) counts.resent++;
      }
    };
    if (outcomes) outcomes.add(sent, written);
    else written(await deps.ledger.completeDelivery(job.issue, recipient.id, sent.outcome, sent.at));
  };

  const outcomes =
    policy.outcomeBatch > 1 ? new OutcomeBatch(deps.ledger, job.issue, policy.outcomeBatch, policy.outcomeBatchMs, deps.clock) : undefined;
  const claims =
    policy.claimGroup > 1
      ? new ClaimAhead(
          deps.ledger,
          job.issue,
          policy.claimGroup,
          pending.map((item) => item.recipient.id),
          lease,
        )
      : undefined;
  const gate = gateOf(deps);
  const worker = async (): Promise<void> => {
    for (let next = pending.shift(); next; next = pending.shift()) {
      const stopNow = stopReason();
      if (stopNow) {
        stop ??= stopNow;
        unresolved.push(next.recipient);
        continue;
      }
      await gate.take();
      try {
        await deliver(next);
      } finally {
        gate.give();
      }
    }
  };
  // Workers end when the list is empty; a retried recipient pushed back meanwhile is picked up by the last worker(s).
  try {
    do {
      await Promise.all(Array.from({ length: Math.max(1, Math.min(deps.parallelism ?? 16, pending.length)) }, worker));
    } while (pending.length > 0);
  } finally {
    // Before the job ends, however it ends: what SES took is recorded (a worker still running after another
    // one threw may add an outcome later; its claim is settled by SES's Send event), and claims taken
    // ahead for recipients the job did not reach are given back.
    try {
      await outcomes?.flush();
    } finally {
      await claims?.releaseUnused();
    }
  }

  // Read again: a delivery of this job (or of another in this run) may have set it meanwhile.
  const paused = run.paused as AccountSendingPausedError | undefined;
  let pausedNow: IssuePause | undefined;
  if (paused) {
    const at = deps.clock.now();
    pausedNow = {
      kind: paused.kind,
      reason: paused.message,
      at: new Date(at).toISOString(),
      until: new Date(at + policy.pauseRetryMs).toISOString(),
    };
    await deps.ledger.setIssuePause(job.issue, pausedNow);
    stop = { reason: paused.message, waitMs: policy.pauseRetryMs, paused: true };
  } else if (pause && counts.sent > 0) {
    // SES takes messages again: the pause (its time was up) is over.
    await deps.ledger.setIssuePause(job.issue, undefined);
  }
  // Counted when the job completes only: an attempt handed on would count the same members again.
  if (unresolved.length === 0 && counts.unsubscribed > 0 && deps.gate)
    await deps.gate.feedback.addFeedbackCounts(job.issue, { suppressed: counts.unsubscribed });
  if (unresolved.length === 0) return { outcome: 'complete', ...counts, continued: 0 };
  const waitMs = Math.max(stop?.waitMs ?? 0, laterAt - deps.clock.now(), 0);
  const result = await continueWith(
    deps,
    job,
    unresolved,
    { reason: stop?.reason ?? 'waiting for deliveries in flight elsewhere or for SES to confirm', waitMs, paused: stop?.paused },
    counts,
  );
  return pausedNow ? { ...result, pausedNow } : result;
}

/** `read()` once per run where the run shares its issue reads (a failed read is tried again by the next job); otherwise at each call. */
function readOnce<T>(run: SendRun, key: string, read: () => Promise<T>): Promise<T> {
  const reads = run.issueReads;
  if (!reads) return read();
  let value = reads.get(key) as Promise<T> | undefined;
  if (!value) {
    value = read();
    value.catch(() => reads.delete(key));
    reads.set(key, value);
  }
  return value;
}

/** True for the first job of the run to report the issue's trip (every job where the run does not share). */
function reportTripOnce(run: SendRun, issueKey: string): boolean {
  if (!run.tripsReported) return true;
  if (run.tripsReported.has(issueKey)) return false;
  run.tripsReported.add(issueKey);
  return true;
}

/** Hands the unresolved recipients on as a new job (a fresh queue message: its receive count starts at 0). */
async function continueWith(
  deps: SendDeps,
  job: SendJob,
  recipients: readonly Recipient[],
  stop: Stop,
  counts: Omit<SendJobResult, 'outcome' | 'continued'>,
): Promise<SendJobResult> {
  const delaySeconds = Math.min(900, Math.max(0, Math.ceil(stop.waitMs / 1000)));
  await deps.queue.enqueueSendJobs([{ ...job, recipients }], { delaySeconds });
  return { outcome: stop.paused ? 'paused' : 'continued', ...counts, continued: recipients.length, delaySeconds, reason: stop.reason };
}

/**
 * Exponential backoff with jitter from the recipient id (no randomness in the core): concurrent senders
 * throttled together spread out instead of coming back in step.
 */
export function backoffMs(baseMs: number, attempt: number, seed: string): number {
  const jitter = 0.5 + (hashOf(seed) % 1000) / 1000;
  return Math.round(baseMs * 2 ** Math.max(0, attempt - 1) * jitter);
}

/** A counting semaphore. */
class Gate {
  private free: number;
  private readonly waiting: Array<() => void> = [];
  constructor(size: number) {
    this.free = size;
  }
  take(): Promise<void> {
    if (this.free > 0) {
      this.free--;
      return Promise.resolve();
    }
    return new Promise((resolve) => this.waiting.push(resolve));
  }
  give(): void {
    const next = this.waiting.shift();
    if (next) next();
    else this.free++;
  }
}

// Deliveries in progress per container (all jobs of a batch together), so that messages composed ahead of
// their token stay few. Keyed by the container's one rate limiter: the deps object is made afresh for each
// job (with the lists as they are now), and a gate per job let ten jobs compose 310 messages before the
// first token (half a second without a send at the start of every invocation, measured).
const gates = new WeakMap<RateLimiter, Gate>();
function gateOf(deps: SendDeps): Gate {
  let gate = gates.get(deps.limiter);
  if (!gate) {
    gate = new Gate(Math.max(1, deps.parallelism ?? 16));
    gates.set(deps.limiter, gate);
  }
  return gate;
}

// One read per issue per warm container; a failed read is forgotten so that the next job tries again.
function loadIssue(deps: SendDeps, key: string): Promise<RenderedIssue> {
  let cached = deps.issues.get(key);
  if (!cached) {
    cached = deps.blobs.get(key).then((bytes) => {
      if (!bytes) throw new Error(`the rendered issue ${key} does not exist`);
      const issue = JSON.parse(Buffer.from(bytes).toString('utf8')) as RenderedIssue;
      if (issue.format !== 'newsbrief/rendered-issue@1') throw new Error(`${key} is not a rendered issue`);
      return issue;
    });
    cached.catch(() => deps.issues.delete(key));
    deps.issues.set(key, cached);
  }
  return cached;
}

function iso(clock: Clock): string {
  return new Date(clock.now()).toISOString();
}

function describe(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}
