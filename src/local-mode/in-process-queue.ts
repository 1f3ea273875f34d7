/**
 * The job queues of local mode, its stand-in for SQS: arrays in memory with no I/O, part of the runner
 * rather than an adapter, drained by the local runner in order (plan pages first,
 * so progress has its total early). Losing them in a crash loses nothing: the runner re-plans an issue the
 * ledger shows unfinished, and the delivery claims keep that from sending anyone a second copy.
 */
import type { PlanMessage, SendJob } from '../model.js';
import type { Clock, JobQueue } from '../ports.js';

/** A JobQueue whose messages wait in memory until `take` hands them out (a delayed job once its time has come). */
export class InProcessQueue implements JobQueue {
  private readonly plans: PlanMessage[] = [];
  private readonly jobs: Array<{ readonly job: SendJob; readonly dueAt: number }> = [];

  constructor(private readonly clock: Clock) {}

  async enqueueSendJobs(jobs: readonly SendJob[], options: { readonly delaySeconds?: number } = {}): Promise<void> {
    const dueAt = this.clock.now() + (options.delaySeconds ?? 0) * 1000;
    this.jobs.push(...jobs.map((job) => ({ job, dueAt })));
  }

  async enqueuePlan(message: PlanMessage): Promise<void> {
    this.plans.push(message);
  }

  /**
   * The next message: a plan page if any is waiting, else the first send job that is due, else how long until
   * one is (`wait`, ms); undefined when both are empty.
   */
  take():
    | { readonly kind: 'plan'; readonly message: PlanMessage }
    | { readonly kind: 'send'; readonly job: SendJob }
    | { readonly kind: 'wait'; readonly ms: number }
    | undefined {
    const message = this.plans.shift();
    if (message) return { kind: 'plan', message };
    if (this.jobs.length === 0) return undefined;
    const now = this.clock.now();
    const due = this.jobs.findIndex((entry) => entry.dueAt <= now);
    if (due >= 0) return { kind: 'send', job: this.jobs.splice(due, 1)[0]!.job };
    return { kind: 'wait', ms: Math.min(...this.jobs.map((entry) => entry.dueAt)) - now };
  }

  /** Send jobs waiting. */
  get pendingJobs(): number {
    return this.jobs.length;
  }
}
