/**
 * The job queues of local mode: arrays in memory, drained by the local runner in order (plan pages first,
 * so progress has its total early). Losing them in a crash loses nothing: the runner re-plans an issue the
 * ledger shows unfinished, and the delivery claims keep that from sending anyone a second copy.
 */
import type { JobQueue, PlanMessage, SendJob } from '../../ports.js';

/** A JobQueue whose messages wait in memory until `take` hands them out. */
export class InProcessQueue implements JobQueue {
  private readonly plans: PlanMessage[] = [];
  private readonly jobs: SendJob[] = [];

  async enqueueSendJobs(jobs: readonly SendJob[]): Promise<void> {
    this.jobs.push(...jobs);
  }

  async enqueuePlan(message: PlanMessage): Promise<void> {
    this.plans.push(message);
  }

  /** The next message: a plan page if any is waiting, else a send job; undefined when both are empty. */
  take(): { readonly kind: 'plan'; readonly message: PlanMessage } | { readonly kind: 'send'; readonly job: SendJob } | undefined {
    const message = this.plans.shift();
    if (message) return { kind: 'plan', message };
    const job = this.jobs.shift();
    return job ? { kind: 'send', job } : undefined;
  }

  /** Puts a job back at the end (a throttled recipient's retry). */
  requeue(job: SendJob): void {
    this.jobs.push(job);
  }

  /** Send jobs waiting. */
  get pendingJobs(): number {
    return this.jobs.length;
  }
}
