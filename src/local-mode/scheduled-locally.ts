/**
 * Scheduled issues in local mode: the studio's timer asks the FileScheduler for the schedules that are due
 * and starts each through the same use-case the AWS start function runs, then drains its plan and sends.
 */
import { InProcessQueue } from './in-process-queue.js';
import type { IssueRef, ScheduledStart } from '../model.js';
import { startScheduledIssue, type StartResult } from '../schedule/start-issue.js';
import { drainLocally, type LocalRunnerDeps, NO_PROGRESS, type SendProgress } from './local-runner.js';

/** How one due schedule ended. */
export interface ScheduledRun {
  readonly issue: IssueRef;
  readonly start: StartResult['status'];
  readonly progress?: SendProgress | undefined;
  /** Why sending stopped early. */
  readonly stopped?: string | undefined;
}

/** Starts every schedule due now, one after another; `onProgress` follows the sending. */
export async function startDueLocally(
  deps: LocalRunnerDeps & { readonly scheduler: { takeDue(nowMs: number): readonly ScheduledStart[] } },
  onProgress: (issue: IssueRef, progress: SendProgress) => void = () => {},
): Promise<ScheduledRun[]> {
  const runs: ScheduledRun[] = [];
  for (const due of deps.scheduler.takeDue(deps.clock.now())) {
    const queue = new InProcessQueue(deps.clock);
    const started = await startScheduledIssue(
      { blobs: deps.blobs, ledger: deps.ledger, queue, lists: deps.lists, clock: deps.clock },
      due.message,
    );
    if (started.status !== 'started') {
      runs.push({ issue: due.message.issue, start: started.status });
      continue;
    }
    const progress = { ...NO_PROGRESS };
    const stopped = await drainLocally(deps, queue, progress, (p) => onProgress(started.issue, p));
    runs.push({ issue: started.issue, start: 'started', progress: { ...progress }, stopped });
  }
  return runs;
}
