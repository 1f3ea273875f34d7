/**
 * The local runner: what S3 events, SQS and Lambda do on AWS, done in this process. It drops the brief in
 * the local blob store and runs the same use-cases — intakeBrief, planPage, sendJob — draining an
 * in-process queue, and reports progress as it goes.
 */
import { planScopeOf } from '../schedule/plan-scope.js';
import type { Problem } from '../config/problems.js';
import type { ListsConfig } from '../config/lists.js';
import type { Keyring } from '../deliver/tokens.js';
import type { RenderedIssue } from '../render/render-issue.js';
import type { BlobStore, Clock, IssueScheduler, Ledger, Mailer, Sleeper, SubscriberStore } from '../ports.js';
import type { IssueRef, SubscriberStatus } from '../model.js';
import { InProcessQueue } from './in-process-queue.js';
import { withSmallOldGeneration } from './with-small-old-generation.js';
import { PREFIX } from '../config/bucket-layout.js';
import { intakeBrief } from '../pipeline/intake-brief.js';
import { planPage } from '../pipeline/plan-page.js';
import type { RateLimiter } from '../pipeline/rate-limiter.js';
import { type DeliveryPolicy, type SendRun, sendJob } from '../pipeline/send-job.js';
import type { SendGateDeps } from '../feedback/send-gate.js';

/** What the local runner needs: the ports of local mode, as src/wiring/local.ts builds them. */
export interface LocalRunnerDeps {
  readonly blobs: BlobStore;
  readonly ledger: Ledger;
  readonly subscribers: SubscriberStore & { countByStatus(list: string): Promise<Readonly<Record<SubscriberStatus, number>>> };
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
  /** Who this process is, on its delivery claims (see process-holder.ts). */
  readonly holder: string;
  /** Leases, grace and retries of local sends. */
  readonly policy: Partial<DeliveryPolicy>;
  /** Messages in flight at once. */
  readonly parallelism?: number;
  /** Set by Ctrl-C or SIGTERM: sends take no new token, finish what is in flight and stop. */
  readonly stop: StopSignal;
}

/** A stop asked for by a signal, seen by every send of this process. */
export interface StopSignal {
  readonly requested: boolean;
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
  /** Sent again: an earlier run stopped mid-send without knowing whether SES had them. */
  readonly resent: number;
  /** Sent with no answer (a reset, a timeout): sent again unless SES can be shown to have them. */
  readonly unknown: number;
}

/** Progress before anything happened. */
export const NO_PROGRESS: SendProgress = { total: 0, sent: 0, skipped: 0, suppressed: 0, failed: 0, resent: 0, unknown: 0 };

type MutableProgress = { -readonly [K in keyof SendProgress]: SendProgress[K] };

/** How a local send ended. */
export type LocalSendResult =
  | { readonly status: 'refused'; readonly problems: readonly Problem[] }
  /** Its sendAt is ahead: rendered and scheduled; `replaced` names the earlier upload this one replaced. */
  | {
      readonly status: 'scheduled';
      readonly issue: IssueRef;
      readonly at: string;
      readonly replaced?: { readonly previousSource: string; readonly previousAt: string } | undefined;
    }
  /** `again`: the issue had been claimed before, so only what was missing was sent. */
  | { readonly status: 'sent'; readonly issue: IssueRef; readonly again: boolean; readonly progress: SendProgress }
  | { readonly status: 'stopped'; readonly issue: IssueRef; readonly reason: string; readonly progress: SendProgress };

/** Jobs in a row that made no progress at all before the run gives up (each waits for its continuation's delay). */
const MAX_IDLE_ROUNDS = 50;

/** Sends a brief file's issue to its list through the local pipeline. */
export async function sendBriefLocally(
  deps: LocalRunnerDeps,
  brief: { readonly bytes: Uint8Array; readonly fileName: string },
  onProgress: (progress: SendProgress) => void = () => {},
): Promise<LocalSendResult> {
  const queue = new InProcessQueue(deps.clock);
  const key = `${PREFIX.briefs}${brief.fileName}`;
  await deps.blobs.put(key, brief.bytes, 'application/json');
  const intake = await intakeBrief(
    {
      blobs: deps.blobs,
      ledger: deps.ledger,
      queue,
      lists: deps.lists,
      clock: deps.clock,
      scheduler: deps.scheduler,
      subscribers: deps.subscribers,
    },
    key,
  );
  if (intake.status === 'refused') return { status: 'refused', problems: intake.problems };
  if (intake.status === 'scheduled') return { status: 'scheduled', issue: intake.issue, at: intake.at, replaced: intake.replaced };
  if (intake.status === 'ignored') throw new Error(`${brief.fileName}: ${intake.reason}`);
  const issue = intake.issue;

  // Counted, not read: a million-member list is never loaded whole.
  const counts = await deps.subscribers.countByStatus(issue.list);
  const progress: MutableProgress = {
    ...NO_PROGRESS,
    suppressed: counts.unsubscribed + counts.bounced + counts.complained,
  };
  const again = intake.status === 'duplicate';
  if (again) {
    // Claimed before: on AWS the queue still holds any unfinished jobs; here they died with the process,
    // so the members the issue was meant for (subscribed by the time it started) are planned again: the
    // delivery claims skip whoever has it, and resolve the claims a killed run left (its process is gone).
    // Someone who joined later does not get an old issue.
    const record = await deps.ledger.getIssue(issue);
    if (!record) throw new Error(`issue ${issue.list}/${issue.id} vanished from the ledger`);
    await queue.enqueuePlan({
      format: 'newsbrief/plan-page@1',
      issue,
      renderedKey: record.renderedKey,
      page: 0,
      replan: { joinedBy: record.claimedAt },
      // The audience and fields, as the first run's plan had them: a replan never widens to the whole list.
      ...planScopeOf(await readRendered(deps.blobs, record.renderedKey)),
    });
  }

  const stopped = await drainLocally(deps, queue, progress, onProgress);
  if (stopped) return { status: 'stopped', issue, reason: stopped, progress };
  return { status: 'sent', issue, again, progress };
}

/**
 * Runs an in-process queue to the end, as SQS and the plan and send functions do on AWS: plan pages, then
 * send jobs and their continuations (each when its delay is up). Updates `progress`; returns why it
 * stopped, or undefined when every recipient is resolved.
 */
export function drainLocally(
  deps: LocalRunnerDeps,
  queue: InProcessQueue,
  progress: MutableProgress,
  onProgress: (progress: SendProgress) => void = () => {},
): Promise<string | undefined> {
  return withSmallOldGeneration(() => drain(deps, queue, progress, onProgress));
}

async function drain(
  deps: LocalRunnerDeps,
  queue: InProcessQueue,
  progress: MutableProgress,
  onProgress: (progress: SendProgress) => void,
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
  const sendDeps = { ...deps, mailer, queue, issues: new Map<string, Promise<RenderedIssue>>() };
  const run: SendRun = {
    holder: deps.holder,
    get stopping() {
      return deps.stop.requested;
    },
  };
  let idle = 0;
  onProgress({ ...progress });
  for (let next = queue.take(); next; next = queue.take()) {
    if (deps.stop.requested) return 'stopped';
    if (next.kind === 'wait') {
      // Short naps, so that Ctrl-C is answered at once.
      await deps.sleeper.sleep(Math.min(next.ms, 250));
      continue;
    }
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
    progress.resent += result.resent;
    progress.unknown += result.unknown;
    onProgress({ ...progress });
    if (result.outcome === 'paused') return result.reason ?? 'sending is paused';
    if (result.held) return result.reason ?? 'the circuit breaker holds this issue';
    if (result.cancelled) return result.reason ?? 'the issue was cancelled';
    if (deps.stop.requested) return 'stopped';
    idle = result.sent + result.failed + result.skipped + result.unsubscribed > 0 ? 0 : idle + 1;
    if (idle > MAX_IDLE_ROUNDS) return result.reason ?? 'no progress';
  }
  return undefined;
}

/** The summary line of the CLI and the studio. */
export function summarize(progress: SendProgress): string {
  const parts = [
    `${progress.sent} sent`,
    `${progress.skipped} skipped as already sent`,
    `${progress.suppressed} suppressed`,
    `${progress.failed} failed`,
  ];
  if (progress.resent > 0) parts.push(`${progress.resent} re-sent (left open by a run that stopped mid-send)`);
  if (progress.unknown > 0) parts.push(`${progress.unknown} sent without an answer from SES (sent again)`);
  return parts.join(', ');
}

/** The rendered issue stored at `key` (a replan takes its audience and fields from it). */
async function readRendered(blobs: BlobStore, key: string): Promise<RenderedIssue> {
  const bytes = await blobs.get(key);
  if (!bytes) throw new Error(`the rendered issue ${key} does not exist`);
  return JSON.parse(Buffer.from(bytes).toString('utf8')) as RenderedIssue;
}
