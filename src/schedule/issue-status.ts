/** Where an issue stands, from the ledger and its schedule record: for `newsbrief status` and the studio. */
import type { BlobStore, Ledger } from '../ports.js';
import type { IssueCounts, IssuePause, IssueRef } from '../model.js';
import { parseScheduleRecord } from './schedule-record.js';
import { SCHEDULE_KEYS } from '../config/bucket-layout.js';

/**
 * How long after its time a scheduled issue may still be unstarted before it counts as missed: Scheduler fires
 * within a minute and Lambda's async retries of a failing start take a few more; 15 minutes is well past both.
 */
export const MISSED_START_GRACE_MS = 15 * 60_000;

/** Where to look when a scheduled start was missed: the deployed stack, or the local studio. */
export type MissedStartHint = 'aws' | 'local';

/**
 * An issue's state with its times (ISO 8601). `missed`: its schedule's time is more than MISSED_START_GRACE_MS
 * past and it was never claimed (started): the schedule did not fire, or the start failed.
 */
export type IssueStatus =
  | { readonly state: 'unknown'; readonly issue: IssueRef }
  | {
      readonly state: 'scheduled' | 'cancelled' | 'missed';
      readonly issue: IssueRef;
      readonly at: string;
      readonly source: string;
      readonly updatedAt: string;
    }
  | {
      readonly state: 'sending' | 'sent';
      readonly issue: IssueRef;
      readonly startedAt: string;
      /** When it was scheduled for, if it was. */
      readonly scheduledFor?: string | undefined;
      readonly counts: IssueCounts;
      /** Set while its sending is paused (quota, account, or by hand: `newsbrief issue pause`). */
      readonly pause?: IssuePause | undefined;
      /** ISO 8601: set once it was cancelled (`newsbrief issue cancel`): nothing more is sent. */
      readonly cancelledAt?: string | undefined;
    };

/**
 * Reads an issue's status. `sent`: every planned delivery has an outcome. With `nowMs`, a scheduled issue whose
 * time is long past and that never started is `missed` (see markMissedStart).
 */
export async function issueStatus(
  deps: { readonly blobs: BlobStore; readonly ledger: Ledger },
  issue: IssueRef,
  nowMs?: number,
): Promise<IssueStatus> {
  const status = await readStatus(deps, issue);
  return nowMs === undefined ? status : markMissedStart(status, nowMs);
}

/** True when a start scheduled `at` (ISO 8601) should have happened more than MISSED_START_GRACE_MS before `nowMs`. */
export function isMissedStart(at: string, nowMs: number): boolean {
  const atMs = Date.parse(at);
  return !Number.isNaN(atMs) && nowMs - atMs > MISSED_START_GRACE_MS;
}

/** A `scheduled` status whose time is past the grace becomes `missed` (only an unclaimed issue is ever `scheduled`); others are unchanged. */
export function markMissedStart(status: IssueStatus, nowMs: number): IssueStatus {
  return status.state === 'scheduled' && isMissedStart(status.at, nowMs) ? { ...status, state: 'missed' } : status;
}

async function readStatus(deps: { readonly blobs: BlobStore; readonly ledger: Ledger }, issue: IssueRef): Promise<IssueStatus> {
  const [record, schedule] = await Promise.all([
    deps.ledger.getIssue(issue),
    deps.blobs.get(SCHEDULE_KEYS.record(issue)).then(parseScheduleRecord),
  ]);
  if (record) {
    const { planned, sent, failed, unknown } = record.counts;
    const done = record.planComplete && sent + failed + unknown >= planned;
    return {
      state: done ? 'sent' : 'sending',
      issue,
      startedAt: record.claimedAt,
      scheduledFor: schedule?.state === 'started' ? schedule.at : undefined,
      counts: record.counts,
      ...(record.pause ? { pause: record.pause } : {}),
      ...(record.cancelledAt ? { cancelledAt: record.cancelledAt } : {}),
    };
  }
  if (schedule && (schedule.state === 'scheduled' || schedule.state === 'cancelled')) {
    return { state: schedule.state, issue, at: schedule.at, source: schedule.source, updatedAt: schedule.updatedAt };
  }
  return { state: 'unknown', issue };
}

/** What to do about a missed start, by where the issue lives. */
const MISSED_START_ADVICE: Record<MissedStartHint, string> = {
  aws: 'see the ScheduleDeadLetter and StartDeadLetter queues (stack outputs ScheduleDeadLetterQueueUrl, StartDeadLetterQueueUrl; alarms ScheduleDeadLetters, StartDeadLetters) and the start function\'s logs; docs/deploy.md, "When something fails"',
  local: 'local schedules start only while the studio runs (`npm start`); it starts every overdue schedule when it comes up',
};

/** One line for people, relative times from `nowMs`; a missed start says where to look (`hint`, default the AWS stack). */
export function describeStatus(input: IssueStatus, nowMs: number, hint: MissedStartHint = 'aws'): string {
  const status = markMissedStart(input, nowMs);
  const name = `${status.issue.list}/${status.issue.id}`;
  switch (status.state) {
    case 'unknown':
      return `${name}: unknown (never started or scheduled)`;
    case 'scheduled': {
      const untilMs = Date.parse(status.at) - nowMs;
      const when = untilMs > 0 ? `in ${countdown(untilMs)}` : `due ${countdown(-untilMs)} ago, starting`;
      return `${name}: scheduled for ${status.at} (${when}), from ${status.source}, last upload ${status.updatedAt}`;
    }
    case 'missed':
      return `${name}: missed: scheduled for ${status.at} (${countdown(nowMs - Date.parse(status.at))} ago), not started; ${MISSED_START_ADVICE[hint]}`;
    case 'cancelled':
      return `${name}: cancelled (it was scheduled for ${status.at}; ${status.source} was deleted at ${status.updatedAt})`;
    case 'sending':
    case 'sent': {
      const c = status.counts;
      const p = status.pause;
      // A cancelled issue sends nothing more, so its pause no longer matters; one cancelled after its last send is sent.
      const state = status.cancelledAt
        ? status.state === 'sending'
          ? `cancelled at ${status.cancelledAt} (nothing more is sent)`
          : `sent (cancelled at ${status.cancelledAt})`
        : p
          ? `${status.state} (paused${p.kind === 'manual' ? '' : ` (${p.kind})`} since ${p.at}${p.until ? `, looking again at ${p.until}` : ''}: ${p.reason})`
          : status.state;
      return `${name}: ${state}, started ${status.startedAt}${status.scheduledFor ? ` (scheduled for ${status.scheduledFor})` : ''}; ${c.sent} sent, ${c.failed} failed, ${c.unknown} unknown of ${c.planned} planned`;
    }
  }
}

/** `2d 3h`, `4h 05m`, `12m 30s`, `45s`; zero or less is `now`. */
export function countdown(ms: number): string {
  if (ms <= 0) return 'now';
  const s = Math.ceil(ms / 1000);
  const d = Math.floor(s / 86400),
    h = Math.floor((s % 86400) / 3600),
    m = Math.floor((s % 3600) / 60),
    sec = s % 60;
  if (d > 0) return `${d}d ${h}h`;
  if (h > 0) return `${h}h ${String(m).padStart(2, '0')}m`;
  if (m > 0) return `${m}m ${String(sec).padStart(2, '0')}s`;
  return `${sec}s`;
}
