/** Schedules in memory, for tests: what is scheduled, and which are due at a given time. */
import type { IssueScheduler } from '../../ports.js';
import type { ScheduledStart } from '../../model.js';

/** An IssueScheduler that only records; `takeDue` plays the part of the clock firing them. */
export class MemoryScheduler implements IssueScheduler {
  readonly schedules = new Map<string, ScheduledStart>();

  async upsert(start: ScheduledStart): Promise<'created' | 'replaced'> {
    const existed = this.schedules.has(start.name);
    this.schedules.set(start.name, start);
    return existed ? 'replaced' : 'created';
  }

  async cancel(name: string): Promise<boolean> {
    return this.schedules.delete(name);
  }

  /** Removes and returns the schedules due at `nowMs` (deleted after use, like ActionAfterCompletion DELETE). */
  takeDue(nowMs: number): ScheduledStart[] {
    const due = [...this.schedules.values()].filter((s) => Date.parse(s.at) <= nowMs);
    for (const s of due) this.schedules.delete(s.name);
    return due;
  }
}
