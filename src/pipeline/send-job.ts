/**
 * Sending one job of at most 50 recipients, exactly once each: every delivery is claimed in the ledger
 * (a conditional write) before SES is called, and only a claim we KNOW was not sent is ever released.
 * A claim found without an outcome (a crash between claim and SES's answer) is never sent again: it is
 * reported as unknown, because never twice beats guessing. No MJML here: the issue was rendered at intake.
 */
import type { ListsConfig } from '../config/lists.js';
import { composeMessage } from '../deliver/compose-message.js';
import { personalize, unsubscribeLinks } from '../deliver/personalize.js';
import type { Keyring } from '../deliver/tokens.js';
import type { RenderedIssue } from '../render/render-issue.js';
import type { BlobStore, Clock, Ledger, Mailer, SendJob, SubscriberStore } from '../ports.js';
import { type SendGateDeps, sendGate } from '../feedback/send-gate.js';
import type { RateLimiter } from './rate-limiter.js';
import { AccountSendingPausedError, PermanentSendError, TransientSendError } from './send-errors.js';

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
  readonly issues: Map<string, Promise<RenderedIssue>>;
  /** The issue's circuit breaker (bounce and complaint rates); without it every job sends. */
  readonly gate?: SendGateDeps | undefined;
  /** Deliveries in progress at once per container, across jobs (SES answers in ~100 ms; the limiter sets the pace). */
  readonly parallelism?: number;
}

/** State shared by the jobs of one invocation: once the account is paused, the rest are not tried. */
export interface SendRun {
  paused: boolean;
  /**
   * Epoch ms after which no new delivery is claimed and claims still waiting for a rate token are released:
   * a claim left behind by a timed-out Lambda could never be sent again.
   */
  readonly deadline?: number | undefined;
}

/** A fresh run for one invocation, optionally with a deadline (epoch ms). */
export function newSendRun(deadline?: number): SendRun {
  return { paused: false, deadline };
}

/** How one job ended. `complete`: nothing left to do; `retry`: give the job back; `paused`: the account may not send. */
export interface SendJobResult {
  readonly outcome: 'complete' | 'retry' | 'paused';
  readonly sent: number;
  readonly failed: number;
  /** Already sent or failed before (a redelivery or a duplicate job). */
  readonly skipped: number;
  /** No longer subscribed when the job ran. */
  readonly unsubscribed: number;
  /** Subscriber ids claimed earlier without an outcome: possibly sent, never sent again automatically. */
  readonly unknown: readonly string[];
  /** Recipients left for a retry (released or never tried). */
  readonly remaining: number;
  /** Why the job stopped early. */
  readonly reason?: string;
  /** Recipients not mailed because the issue's circuit breaker had tripped (the job completes, sending nothing). */
  readonly held?: number;
  /** Set when this job found the rates past the limits and tripped the breaker (raise the alarm). */
  readonly tripped?: string;
}

type Recipient = SendJob['recipients'][number];

/** Sends one job. Never throws for a single recipient's failure; throws when the issue cannot be loaded. */
export async function sendJob(deps: SendDeps, job: SendJob, run: SendRun = newSendRun()): Promise<SendJobResult> {
  const counts = { sent: 0, failed: 0, skipped: 0, unsubscribed: 0, remaining: 0 };
  const unknown: string[] = [];
  if (run.paused) return { outcome: 'paused', ...counts, remaining: job.recipients.length, unknown, reason: 'the account is paused' };

  const list = deps.lists.lists.get(job.issue.list);
  if (!list) throw new Error(`list "${job.issue.list}" is not configured`);
  if (deps.gate) {
    // Checked per job: once an issue bounces or draws complaints past its limits, its remaining jobs hold their recipients.
    const verdict = await sendGate(deps.gate, job.issue);
    if (!verdict.open) {
      await deps.gate.feedback.addFeedbackCounts(job.issue, { held: job.recipients.length });
      return {
        outcome: 'complete',
        ...counts,
        unknown,
        held: job.recipients.length,
        reason: `circuit breaker: ${verdict.reason}`,
        ...(verdict.trippedNow ? { tripped: verdict.reason } : {}),
      };
    }
  }
  const issue = await loadIssue(deps, job.renderedKey);
  // Read at send time, so that an unsubscribe between planning and sending is honoured.
  const statuses = await deps.subscribers.statuses(job.issue.list, job.recipients.map((r) => r.email));

  let stop: { outcome: 'retry' | 'paused'; reason: string } | undefined;
  const pastDeadline = () => run.deadline !== undefined && deps.clock.now() >= run.deadline;
  const pending = [...job.recipients];

  const deliver = async (recipient: Recipient): Promise<void> => {
    if (statuses.get(recipient.email) !== 'subscribed') {
      counts.unsubscribed++;
      return;
    }
    if (!stop && run.paused) stop = { outcome: 'paused', reason: 'the account is paused' };
    if (!stop && pastDeadline()) stop = { outcome: 'retry', reason: 'out of time in this invocation' };
    if (stop) {
      counts.remaining++;
      return;
    }
    const claim = await deps.ledger.claimDelivery(job.issue, recipient.id, iso(deps.clock));
    if (claim === 'done') {
      counts.skipped++;
      return;
    }
    if (claim === 'in-flight') {
      unknown.push(recipient.id);
      return;
    }
    let message;
    try {
      const links = unsubscribeLinks(list, recipient, deps.keyring);
      const content = personalize(issue, recipient, links.url);
      message = await composeMessage({ issue, list, recipient, content, unsubscribe: links, date: new Date(deps.clock.now()) });
    } catch (error) {
      // Composing is deterministic: what fails for this recipient now fails on every retry.
      await deps.ledger.completeDelivery(job.issue, recipient.id, { status: 'failed', reason: describe(error) }, iso(deps.clock));
      counts.failed++;
      return;
    }
    // The token is taken last, so that the send follows its grant at once (no bunching behind a busy event loop).
    await deps.limiter.acquire();
    // Jobs of one invocation run side by side: a pause seen by one stops them all.
    if (!stop && run.paused) stop = { outcome: 'paused', reason: 'the account is paused' };
    if (!stop && pastDeadline()) stop = { outcome: 'retry', reason: 'out of time in this invocation' };
    if (stop) {
      await deps.ledger.releaseDelivery(job.issue, recipient.id);
      counts.remaining++;
      return;
    }
    try {
      const receipt = await deps.mailer.send(message);
      await deps.ledger.completeDelivery(job.issue, recipient.id, { status: 'sent', messageId: receipt.messageId }, iso(deps.clock));
      counts.sent++;
    } catch (error) {
      if (error instanceof PermanentSendError) {
        await deps.ledger.completeDelivery(job.issue, recipient.id, { status: 'failed', reason: describe(error) }, iso(deps.clock));
        counts.failed++;
      } else if (error instanceof TransientSendError) {
        await deps.ledger.releaseDelivery(job.issue, recipient.id);
        counts.remaining++;
        deps.limiter.backoff();
        stop ??= { outcome: 'retry', reason: describe(error) };
      } else if (error instanceof AccountSendingPausedError) {
        await deps.ledger.releaseDelivery(job.issue, recipient.id);
        counts.remaining++;
        run.paused = true;
        stop = { outcome: 'paused', reason: describe(error) };
      } else {
        // SES may or may not have taken it (e.g. a timeout after the request left): keep the claim, never resend.
        unknown.push(recipient.id);
        stop ??= { outcome: 'retry', reason: describe(error) };
      }
    }
  };

  const gate = gateOf(deps);
  const worker = async (): Promise<void> => {
    for (let next = pending.shift(); next; next = pending.shift()) {
      if (stop) {
        counts.remaining++;
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
  await Promise.all(Array.from({ length: Math.max(1, Math.min(deps.parallelism ?? 16, job.recipients.length)) }, worker));

  if (counts.sent > 0 || counts.failed > 0) await deps.ledger.addCounts(job.issue, { sent: counts.sent, failed: counts.failed });
  const outcome = stop?.outcome ?? 'complete';
  // Counted when the job completes only: an attempt given back would count the same members again on its retry.
  if (outcome === 'complete' && counts.unsubscribed > 0 && deps.gate) await deps.gate.feedback.addFeedbackCounts(job.issue, { suppressed: counts.unsubscribed });
  return { outcome, ...counts, unknown, ...(stop ? { reason: stop.reason } : {}) };
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

// Deliveries in progress per container (all jobs of a batch together): claims held while waiting for a rate
// token stay few, so a crash can leave at most `parallelism` deliveries unknown.
const gates = new WeakMap<SendDeps, Gate>();
function gateOf(deps: SendDeps): Gate {
  let gate = gates.get(deps);
  if (!gate) gates.set(deps, (gate = new Gate(Math.max(1, deps.parallelism ?? 16))));
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
