/**
 * Scheduling and cancelling: a brief whose sendAt is ahead is validated and rendered at intake (problems
 * are reported at once, not at 7 a.m.), then one schedule per issue starts it at its time. Uploading the
 * issue again before then replaces the rendered copy and the schedule; deleting the brief cancels it.
 * An issue the ledger has claimed has started, and nothing here touches it again.
 */
import type { BlobStore, Clock, IssueScheduler, Ledger } from '../ports.js';
import type { IssueRef } from '../model.js';
import { scheduleNameOf } from './decide-start.js';
import { parseScheduleRecord, parseSourcePointer, type ScheduleRecord } from './schedule-record.js';
import { SCHEDULE_KEYS } from '../config/bucket-layout.js';

/** What scheduling needs. */
export interface ScheduleDeps {
  readonly blobs: BlobStore;
  readonly ledger: Ledger;
  readonly scheduler: IssueScheduler;
  readonly clock: Clock;
}

/** How scheduling ended. */
export type ScheduleResult =
  /** `replaced`: an earlier upload's schedule (from `previousSource`, for `previousAt`) was replaced by this one. */
  | {
      readonly status: 'scheduled';
      readonly issue: IssueRef;
      readonly at: string;
      readonly scheduleName: string;
      readonly replaced?: { readonly previousSource: string; readonly previousAt: string };
    }
  /** The issue has started (claimed in the ledger): it is never scheduled or started again. */
  | { readonly status: 'already-started'; readonly issue: IssueRef };

/** Schedules (or re-schedules) an issue whose rendered copy is already stored at `renderedKey`. */
export async function scheduleIssue(
  deps: ScheduleDeps,
  input: { issue: IssueRef; renderedKey: string; source: string; at: string },
): Promise<ScheduleResult> {
  const { issue } = input;
  if (await deps.ledger.getIssue(issue)) return { status: 'already-started', issue };
  const previous = parseScheduleRecord(await deps.blobs.get(SCHEDULE_KEYS.record(issue)));
  const now = new Date(deps.clock.now()).toISOString();
  const version = `${now}|${input.source}`;
  const record: ScheduleRecord = {
    format: 'newsbrief/schedule@1',
    issue,
    state: 'scheduled',
    at: input.at,
    source: input.source,
    renderedKey: input.renderedKey,
    version,
    updatedAt: now,
  };
  // The record first: a schedule that fires always finds the version it carries, or a newer one and stops.
  await deps.blobs.put(SCHEDULE_KEYS.record(issue), JSON.stringify(record), 'application/json');
  await deps.blobs.put(SCHEDULE_KEYS.bySource(input.source), JSON.stringify({ issue }), 'application/json');
  const scheduleName = scheduleNameOf(issue);
  await deps.scheduler.upsert({
    name: scheduleName,
    at: input.at,
    message: { format: 'newsbrief/start-issue@1', issue, renderedKey: input.renderedKey, version },
  });
  const replaced = previous?.state === 'scheduled' ? { previousSource: previous.source, previousAt: previous.at } : undefined;
  return { status: 'scheduled', issue, at: input.at, scheduleName, ...(replaced ? { replaced } : {}) };
}

/** How a deleted brief ended. */
export type CancelResult =
  | { readonly status: 'cancelled'; readonly issue: IssueRef; readonly at: string }
  /** The brief scheduled nothing, or a newer upload of its issue owns the schedule now. */
  | { readonly status: 'not-scheduled'; readonly key: string }
  | { readonly status: 'already-started'; readonly issue: IssueRef };

/** Cancels the schedule a deleted brief made, unless the issue has started or a newer upload took it over. */
export async function cancelScheduledBrief(deps: ScheduleDeps, key: string): Promise<CancelResult> {
  const issue = parseSourcePointer(await deps.blobs.get(SCHEDULE_KEYS.bySource(key)));
  if (!issue) return { status: 'not-scheduled', key };
  const record = parseScheduleRecord(await deps.blobs.get(SCHEDULE_KEYS.record(issue)));
  if (!record || record.source !== key || record.state !== 'scheduled') return { status: 'not-scheduled', key };
  if (await deps.ledger.getIssue(issue)) return { status: 'already-started', issue };
  const now = new Date(deps.clock.now()).toISOString();
  // Cancelled in the record before the schedule goes: a schedule firing in between finds the record and stops.
  await deps.blobs.put(SCHEDULE_KEYS.record(issue), JSON.stringify({ ...record, state: 'cancelled', updatedAt: now }), 'application/json');
  await deps.scheduler.cancel(scheduleNameOf(issue));
  return { status: 'cancelled', issue, at: record.at };
}

/** Retires an issue's schedule after it started another way (a re-upload that sends now): never leave one behind. */
export async function retireSchedule(deps: ScheduleDeps, issue: IssueRef): Promise<void> {
  const record = parseScheduleRecord(await deps.blobs.get(SCHEDULE_KEYS.record(issue)));
  if (record?.state !== 'scheduled') return;
  await deps.scheduler.cancel(scheduleNameOf(issue));
  await deps.blobs.put(
    SCHEDULE_KEYS.record(issue),
    JSON.stringify({ ...record, state: 'started', updatedAt: new Date(deps.clock.now()).toISOString() }),
    'application/json',
  );
}
