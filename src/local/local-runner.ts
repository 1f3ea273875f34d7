/**
 * The local runner: what S3 events, SQS and Lambda do on AWS, done in this process. It drops the brief in
 * the local blob store and runs the same use-cases — intakeBrief, planPage, sendJob — draining an
 * in-process queue, and reports progress as it goes.
 */
import type { Problem } from '../brief/problems.js';
import type { ListsConfig } from '../config/lists.js';
import type { Keyring } from '../deliver/tokens.js';
import type { RenderedIssue } from '../render/render-issue.js';
import type { BlobStore, Clock, IssueRef, IssueScheduler, Ledger, Mailer, SendJob, Sleeper, SubscriberStore } from '../ports.js';
import { InProcessQueue } from '../adapters/local/in-process-queue.js';
import { PREFIX } from '../pipeline/blob-keys.js';
import { intakeBrief } from '../pipeline/intake-brief.js';
import { MAX_JOB_SIZE, planPage } from '../pipeline/plan-page.js';
import type { RateLimiter } from '../pipeline/rate-limiter.js';
import { newSendRun, sendJob } from '../pipeline/send-job.js';
import type { SendGateDeps } from '../feedback/send-gate.js';

/** What the local runner needs: the ports of local mode, as src/wiring/local.ts builds them. */
export interface LocalRunnerDeps {
  readonly blobs: BlobStore;
  readonly ledger: Ledger;
  readonly subscribers: SubscriberStore & { members(list: string): Promise<readonly { status: string }[]> };
  readonly mailer: Mailer;
  readonly lists: ListsConfig;
  readonly keyring: Keyring;
  /** The issues' circuit breaker, as on AWS; without it every job sends. */
  readonly gate?: SendGateDeps | undefined;
  readonly clock: Clock;
  readonly sleeper: Sleeper;
  readonly limiter: RateLimiter;
  /** Where issues with a future sendAt are scheduled (the studio's timer starts them). */
  readonly scheduler: IssueScheduler;
}

/** Where a send stands; `total` is known once planning is done. */
export interface SendProgress {
  readonly total: number;
  readonly sent: number;
  /** Already sent before (a second run, or a resumed one). */
  readonly skipped: number;
  /** Unsubscribed, bounced or complained members of the list: never sent to. */
  readonly suppressed: number;
  readonly failed: number;
  /** Claimed earlier without an outcome (a crash mid-send): possibly sent, never sent again. */
  readonly unknown: number;
}

/** How a local send ended. */
export type LocalSendResult =
  | { readonly status: 'refused'; readonly problems: readonly Problem[] }
  /** Its sendAt is ahead: rendered and scheduled; `replaced` names the earlier upload this one replaced. */
  | { readonly status: 'scheduled'; readonly issue: IssueRef; readonly at: string; readonly replaced?: { readonly previousSource: string; readonly previousAt: string } | undefined }
  /** `again`: the issue had been claimed before, so only what was missing was sent. */
  | { readonly status: 'sent'; readonly issue: IssueRef; readonly again: boolean; readonly progress: SendProgress }
  | { readonly status: 'stopped'; readonly issue: IssueRef; readonly reason: string; readonly progress: SendProgress };

const MAX_RETRIES_PER_JOB = 8;

/** Sends a brief file's issue to its list through the local pipeline. */
export async function sendBriefLocally(
  deps: LocalRunnerDeps,
  brief: { readonly bytes: Uint8Array; readonly fileName: string },
  onProgress: (progress: SendProgress) => void = () => {},
): Promise<LocalSendResult> {
  const queue = new InProcessQueue();
  const key = `${PREFIX.briefs}${brief.fileName}`;
  await deps.blobs.put(key, brief.bytes, 'application/json');
  const intake = await intakeBrief({ blobs: deps.blobs, ledger: deps.ledger, queue, lists: deps.lists, clock: deps.clock, scheduler: deps.scheduler }, key);
  if (intake.status === 'refused') return { status: 'refused', problems: intake.problems };
  if (intake.status === 'scheduled') return { status: 'scheduled', issue: intake.issue, at: intake.at, replaced: intake.replaced };
  if (intake.status === 'ignored') throw new Error(`${brief.fileName}: ${intake.reason}`);
  const issue = intake.issue;

  const members = await deps.subscribers.members(issue.list);
  const progress = { total: 0, sent: 0, skipped: 0, suppressed: members.filter((m) => ['unsubscribed', 'bounced', 'complained'].includes(m.status)).length, failed: 0, unknown: 0 };
  const again = intake.status === 'duplicate';
  if (again) {
    // Claimed before: on AWS the queue still holds any unfinished jobs; here they died with the process,
    // so the members the issue was meant for (subscribed by the time it started) are planned again and the
    // delivery claims skip whoever already has it. Someone who joined later does not get an old issue.
    const record = await deps.ledger.getIssue(issue);
    if (!record) throw new Error(`issue ${issue.list}/${issue.id} vanished from the ledger`);
    await planAll(deps.subscribers, queue, issue, record.renderedKey, record.claimedAt, progress);
  }

  const stopped = await drainLocally(deps, queue, progress, onProgress);
  if (stopped) return { status: 'stopped', issue, reason: stopped, progress };
  return { status: 'sent', issue, again, progress };
}

/**
 * Runs an in-process queue to the end, as SQS and the plan and send functions do on AWS: plan pages, then
 * send jobs, retrying a job that asks for it. Updates `progress`; returns why it stopped, or undefined.
 */
export async function drainLocally(
  deps: LocalRunnerDeps,
  queue: InProcessQueue,
  progress: { total: number; sent: number; skipped: number; suppressed: number; failed: number; unknown: number },
  onProgress: (progress: SendProgress) => void = () => {},
): Promise<string | undefined> {
  // Jobs report when they end; counting accepted messages as they go lets progress move within a job.
  let inJob = 0;
  const mailer: Mailer = {
    send: async (message) => {
      const receipt = await deps.mailer.send(message);
      inJob++;
      onProgress({ ...progress, sent: progress.sent + inJob });
      return receipt;
    },
  };
  const sendDeps = { ...deps, mailer, issues: new Map<string, Promise<RenderedIssue>>() };
  const run = newSendRun();
  const retries = new Map<SendJob, number>();
  onProgress({ ...progress });
  for (let next = queue.take(); next; next = queue.take()) {
    if (next.kind === 'plan') {
      const planned = await planPage({ subscribers: deps.subscribers, ledger: deps.ledger, queue }, next.message);
      if (planned.status === 'planned') progress.total += planned.recipients;
      onProgress({ ...progress });
      continue;
    }
    inJob = 0;
    const result = await sendJob(sendDeps, next.job, run);
    inJob = 0;
    progress.sent += result.sent;
    progress.skipped += result.skipped;
    progress.suppressed += result.unsubscribed;
    progress.failed += result.failed;
    progress.unknown += result.unknown.length;
    onProgress({ ...progress });
    if (result.outcome === 'paused') return result.reason ?? 'sending is paused';
    if (result.held) return result.reason ?? 'the circuit breaker holds this issue';
    if (result.outcome === 'retry') {
      const tries = (retries.get(next.job) ?? 0) + 1;
      if (tries > MAX_RETRIES_PER_JOB) return result.reason ?? 'too many retries';
      retries.set(next.job, tries);
      // Only the recipients not yet done come back; the claims make re-running the whole job safe.
      await deps.sleeper.sleep(Math.min(5_000, 100 * 2 ** tries));
      queue.requeue(next.job);
    }
  }
  return undefined;
}

/** The summary line of the CLI and the studio. */
export function summarize(progress: SendProgress): string {
  const parts = [`${progress.sent} sent`, `${progress.skipped} skipped as already sent`, `${progress.suppressed} suppressed`, `${progress.failed} failed`];
  if (progress.unknown > 0) parts.push(`${progress.unknown} unknown (claimed by a run that stopped mid-send; not re-sent)`);
  return parts.join(', ');
}

async function planAll(
  subscribers: SubscriberStore,
  queue: InProcessQueue,
  issue: IssueRef,
  renderedKey: string,
  startedAt: string,
  progress: { total: number },
): Promise<void> {
  let cursor: string | undefined;
  do {
    const page = await subscribers.pageSubscribed(issue.list, cursor, 1000);
    // ISO 8601 timestamps in UTC compare as strings.
    const meantFor = page.subscribers.filter((s) => s.createdAt <= startedAt);
    for (let i = 0; i < meantFor.length; i += MAX_JOB_SIZE) {
      const recipients = meantFor.slice(i, i + MAX_JOB_SIZE).map((s) => ({ id: s.id, email: s.email, firstName: s.firstName }));
      await queue.enqueueSendJobs([{ format: 'newsbrief/send-job@1', issue, renderedKey, recipients }]);
    }
    progress.total += meantFor.length;
    cursor = page.next;
  } while (cursor !== undefined);
}
