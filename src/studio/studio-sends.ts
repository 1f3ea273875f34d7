/**
 * The sends the studio has started: at most one per brief file, each reporting its progress to the open
 * pages until it ends. The studio waits for them on shutdown.
 */
import { NO_PROGRESS, summarize, type LocalSendResult, type SendProgress } from '../local-mode/local-runner.js';
import type { LiveEvents, ProgressEvent } from './live-events.js';

/** Sends a brief file's issue through the local pipeline (the same runner as `newsbrief send`). */
export type SendBriefFn = (file: string, onProgress: (progress: SendProgress) => void) => Promise<LocalSendResult>;

/** The running sends, by brief file. */
export class StudioSends {
  private readonly jobs = new Map<string, Promise<void>>();

  constructor(
    private readonly sendBrief: SendBriefFn,
    private readonly live: LiveEvents,
  ) {}

  /** Whether a send of this file is running. */
  isRunning(file: string): boolean {
    return this.jobs.has(file);
  }

  /** Every running send, to wait for. */
  running(): Promise<void>[] {
    return [...this.jobs.values()];
  }

  /** Starts sending a file's issue; progress and the outcome go to the open pages. */
  start(file: string): void {
    const emit = (progress: SendProgress, phase: ProgressEvent['phase'], extra: Partial<ProgressEvent> = {}) =>
      this.live.broadcast('progress', { file, phase, done: phase === 'done', ...progress, ...extra });
    emit(NO_PROGRESS, 'start');
    const job = this.sendBrief(file, (progress) => emit(progress, 'progress'))
      .then(
        (result) => {
          if (result.status === 'refused') emit(NO_PROGRESS, 'done', { error: `${result.problems.length} problem(s) in the brief` });
          else if (result.status === 'scheduled')
            emit(NO_PROGRESS, 'done', {
              summary: `scheduled for ${result.at}${result.replaced ? ' (replacing the earlier upload: the newest version wins)' : ''}`,
            });
          else if (result.status === 'stopped')
            emit(result.progress, 'done', { error: result.reason, summary: summarize(result.progress) });
          else emit(result.progress, 'done', { summary: summarize(result.progress) });
        },
        (error: unknown) => emit(NO_PROGRESS, 'done', { error: (error as Error).message }),
      )
      .finally(() => this.jobs.delete(file));
    this.jobs.set(file, job);
  }
}
