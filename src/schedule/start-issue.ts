/**
 * Starting an issue: claim it in the ledger (a conditional write: an issue starts once, ever), publish its
 * web archive page, and enqueue its first plan page. Intake does this for a brief that sends now, the
 * scheduled start for one whose time has come.
 */
import { publishArchive } from '../archive/publish-archive.js';
import { planScopeOf } from './plan-scope.js';
import type { ListsConfig } from '../config/lists.js';
import type { RenderedIssue } from '../render/render-issue.js';
import type { BlobStore, Clock, JobQueue, Ledger } from '../ports.js';
import type { IssueRef, StartMessage } from '../model.js';
import { parseScheduleRecord } from './schedule-record.js';
import { SCHEDULE_KEYS } from '../config/bucket-layout.js';

/** What starting needs. */
export interface StartDeps {
  readonly blobs: BlobStore;
  readonly ledger: Ledger;
  readonly queue: JobQueue;
  readonly lists: ListsConfig;
  readonly clock: Clock;
}

/** How a start ended. */
export type StartResult =
  | { readonly status: 'started'; readonly issue: IssueRef; readonly renderedKey: string; readonly archiveUrl: string }
  /** Claimed before: it started already and is never started again. */
  | { readonly status: 'already-started'; readonly issue: IssueRef }
  /** A scheduled start whose schedule was cancelled or replaced by a newer upload. */
  | { readonly status: 'stale'; readonly issue: IssueRef; readonly reason: string };

/** Claims, publishes and starts planning an issue whose rendered copy is stored at `renderedKey`. */
export async function startIssue(deps: StartDeps, input: { issue: IssueRef; renderedKey: string; source: string }): Promise<StartResult> {
  const { issue, renderedKey } = input;
  const at = new Date(deps.clock.now()).toISOString();
  if (!(await deps.ledger.claimIssue(issue, { renderedKey, source: input.source, at }))) return { status: 'already-started', issue };
  try {
    const bytes = await deps.blobs.get(renderedKey);
    if (!bytes) throw new Error(`the rendered issue ${renderedKey} does not exist`);
    const rendered = JSON.parse(Buffer.from(bytes).toString('utf8')) as RenderedIssue;
    const published = await publishArchive(deps, rendered);
    await deps.queue.enqueuePlan({ format: 'newsbrief/plan-page@1', issue, renderedKey, page: 0, ...planScopeOf(rendered) });
    return { status: 'started', issue, renderedKey, archiveUrl: published.url };
  } catch (error) {
    // Without its first plan page a claimed issue would never be sent: drop the claim so a retry starts over.
    await deps.ledger.releaseIssue(issue);
    throw error;
  }
}

/** Starts a scheduled issue when its schedule fires, if the schedule is still the current one. */
export async function startScheduledIssue(deps: StartDeps, message: StartMessage): Promise<StartResult> {
  const { issue } = message;
  const record = parseScheduleRecord(await deps.blobs.get(SCHEDULE_KEYS.record(issue)));
  if (!record) return { status: 'stale', issue, reason: 'no schedule record' };
  if (record.version !== message.version) return { status: 'stale', issue, reason: 'replaced by a newer upload' };
  if (record.state === 'cancelled') return { status: 'stale', issue, reason: 'cancelled (the brief was deleted)' };
  const result = await startIssue(deps, { issue, renderedKey: record.renderedKey, source: record.source });
  if (result.status === 'started') {
    await deps.blobs.put(
      SCHEDULE_KEYS.record(issue),
      JSON.stringify({ ...record, state: 'started', updatedAt: new Date(deps.clock.now()).toISOString() }),
      'application/json',
    );
  }
  return result;
}
