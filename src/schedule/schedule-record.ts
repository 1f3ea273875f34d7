/**
 * What the system remembers about a scheduled issue, in the bucket beside its rendered copy (never public):
 * the record per issue, and a pointer per brief key so that deleting the brief finds its issue.
 */
import type { IssueRef } from '../model.js';

/** Where a scheduled issue stands. `started` is also in the ledger; the record says when it was scheduled for. */
export type ScheduleState = 'scheduled' | 'cancelled' | 'started';

/** The record of an issue's schedule. */
export interface ScheduleRecord {
  readonly format: 'newsbrief/schedule@1';
  readonly issue: IssueRef;
  readonly state: ScheduleState;
  /** ISO 8601 UTC: when it starts. */
  readonly at: string;
  /** The brief object that scheduled it (the newest upload wins). */
  readonly source: string;
  readonly renderedKey: string;
  /** Changes with every upload; the start message carries it. */
  readonly version: string;
  /** ISO 8601: when this version was scheduled (or cancelled, or started). */
  readonly updatedAt: string;
}

/** Parses a stored record; undefined when absent or not a record. */
export function parseScheduleRecord(bytes: Uint8Array | undefined): ScheduleRecord | undefined {
  if (!bytes) return undefined;
  try {
    const value = JSON.parse(Buffer.from(bytes).toString('utf8')) as ScheduleRecord;
    return value.format === 'newsbrief/schedule@1' ? value : undefined;
  } catch {
    return undefined;
  }
}

/** Parses a source pointer; undefined when absent. */
export function parseSourcePointer(bytes: Uint8Array | undefined): IssueRef | undefined {
  if (!bytes) return undefined;
  try {
    const value = JSON.parse(Buffer.from(bytes).toString('utf8')) as { issue?: IssueRef };
    return typeof value.issue?.list === 'string' && typeof value.issue.id === 'string' ? value.issue : undefined;
  } catch {
    return undefined;
  }
}
