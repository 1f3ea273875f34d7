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
  /** Messages in flight at once within one job (SES answers in ~100 ms; the limiter sets the pace). */
  readonly parallelism?: number;
}

/** State shared by the jobs of one invocation: once the account is paused, the rest are not tried. */
export interface SendRun {
  paused: boolean;
}

/** A fresh run for one invocation. */
export function newSendRun(): SendRun {
  return { paused: false };
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
}

type Recipient = SendJob['recipients'][number];

/** Sends one job. Never throws for a single recipient's failure; throws when the issue cannot be loaded. */
export async function sendJob(deps: SendDeps, job: SendJob, run: SendRun = newSendRun()): Promise<SendJobResult> {
  const counts = { sent: 0, failed: 0, skipped: 0, unsubscribed: 0, remaining: 0 };
  const unknown: string[] = [];
  if (run.paused) return { outcome: 'paused', ...counts, remaining: job.recipients.length, unknown, reason: 'the account is paused' };

  const list = deps.lists.lists.get(job.issue.list);
  if (!list) throw new Error(`list "${job.issue.list}" is not configured`);
  const issue = await loadIssue(deps, job.renderedKey);
  // Read at send time, so that an unsubscribe between planning and sending is honoured.
  const statuses = await deps.subscribers.statuses(job.issue.list, job.recipients.map((r) => r.email));

  let stop: { outcome: 'retry' | 'paused'; reason: string } | undefined;
  const pending = [...job.recipients];

  const deliver = async (recipient: Recipient): Promise<void> => {
    if (statuses.get(recipient.email) !== 'subscribed') {
      counts.unsubscribed++;
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
    await deps.limiter.acquire();
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

  const worker = async (): Promise<void> => {
    for (let next = pending.shift(); next; next = pending.shift()) {
      if (stop) {
        counts.remaining++;
        continue;
      }
      await deliver(next);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(deps.parallelism ?? 16, job.recipients.length)) }, worker));

  if (counts.sent > 0 || counts.failed > 0) await deps.ledger.addCounts(job.issue, { sent: counts.sent, failed: counts.failed });
  const outcome = stop?.outcome ?? 'complete';
  return { outcome, ...counts, unknown, ...(stop ? { reason: stop.reason } : {}) };
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
