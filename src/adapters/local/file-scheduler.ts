/**
 * IssueScheduler for local mode: each schedule is a file in the state folder, so that a schedule made by
 * `newsbrief send` is kept by a studio started later, and survives restarts. The studio's timer asks for
 * the due ones every second and removes them as it takes them (as Scheduler's ActionAfterCompletion DELETE).
 */
import { mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { IssueScheduler } from '../../ports.js';
import type { ScheduledStart } from '../../model.js';

/** Schedules as JSON files in one folder. */
export class FileScheduler implements IssueScheduler {
  constructor(readonly folder: string) {}

  async upsert(start: ScheduledStart): Promise<'created' | 'replaced'> {
    mkdirSync(this.folder, { recursive: true });
    const path = this.pathOf(start.name);
    const existed = this.read(path) !== undefined;
    const temporary = `${path}.${process.pid}.tmp`;
    writeFileSync(temporary, JSON.stringify(start));
    renameSync(temporary, path);
    return existed ? 'replaced' : 'created';
  }

  async cancel(name: string): Promise<boolean> {
    const path = this.pathOf(name);
    if (this.read(path) === undefined) return false;
    rmSync(path, { force: true });
    return true;
  }

  /** Every pending schedule, soonest first. */
  pending(): ScheduledStart[] {
    let names: string[];
    try {
      names = readdirSync(this.folder).filter((n) => n.endsWith('.json'));
    } catch {
      return [];
    }
    return names
      .map((n) => this.read(join(this.folder, n)))
      .filter((s): s is ScheduledStart => s !== undefined)
      .sort((a, b) => Date.parse(a.at) - Date.parse(b.at));
  }

  /** Removes and returns the schedules due at `nowMs`. */
  takeDue(nowMs: number): ScheduledStart[] {
    const due = this.pending().filter((s) => Date.parse(s.at) <= nowMs);
    for (const s of due) rmSync(this.pathOf(s.name), { force: true });
    return due;
  }

  private pathOf(name: string): string {
    if (!/^[0-9A-Za-z._-]{1,64}$/.test(name) || name.startsWith('.')) throw new Error(`schedule name "${name}" is not allowed`);
    return join(this.folder, `${name}.json`);
  }

  private read(path: string): ScheduledStart | undefined {
    try {
      return JSON.parse(readFileSync(path, 'utf8')) as ScheduledStart;
    } catch {
      return undefined;
    }
  }
}
