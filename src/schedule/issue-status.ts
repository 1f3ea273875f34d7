/** Where an issue stands, from the ledger and its schedule record: for `newsbrief status` and the studio. */
import type { BlobStore, IssueCounts, IssueRef, Ledger } from '../ports.js';
import { parseScheduleRecord, SCHEDULE_KEYS } from './schedule-record.js';

/** An issue's state with its times (ISO 8601). */
export type IssueStatus =
  | { readonly state: 'unknown'; readonly issue: IssueRef }
  | { readonly state: 'scheduled' | 'cancelled'; readonly issue: IssueRef; readonly at: string; readonly source: string; readonly updatedAt: string }
  | {
      readonly state: 'sending' | 'sent';
      readonly issue: IssueRef;
      readonly startedAt: string;
      /** When it was scheduled for, if it was. */
      readonly scheduledFor?: string | undefined;
      readonly counts: IssueCounts;
    };

/** Reads an issue's status. `sent`: every planned delivery has an outcome. */
export async function issueStatus(deps: { readonly blobs: BlobStore; readonly ledger: Ledger }, issue: IssueRef): Promise<IssueStatus> {
  const [record, schedule] = await Promise.all([deps.ledger.getIssue(issue), deps.blobs.get(SCHEDULE_KEYS.record(issue)).then(parseScheduleRecord)]);
  if (record) {
    const { planned, sent, failed, unknown } = record.counts;
    const done = record.planComplete && sent + failed + unknown >= planned;
    return { state: done ? 'sent' : 'sending', issue, startedAt: record.claimedAt, scheduledFor: schedule?.state === 'started' ? schedule.at : undefined, counts: record.counts };
  }
  if (schedule && (schedule.state === 'scheduled' || schedule.state === 'cancelled')) {
    return { state: schedule.state, issue, at: schedule.at, source: schedule.source, updatedAt: schedule.updatedAt };
  }
  return { state: 'unknown', issue };
}

/** One line for people, relative times from `nowMs`. */
export function describeStatus(status: IssueStatus, nowMs: number): string {
  const name = `${status.issue.list}/${status.issue.id}`;
  switch (status.state) {
    case 'unknown':
      return `${name}: unknown (never started or scheduled)`;
    case 'scheduled':
      return `${name}: scheduled for ${status.at} (in ${countdown(Date.parse(status.at) - nowMs)}), from ${status.source}, last upload ${status.updatedAt}`;
    case 'cancelled':
      return `${name}: cancelled (it was scheduled for ${status.at}; ${status.source} was deleted at ${status.updatedAt})`;
    case 'sending':
    case 'sent': {
      const c = status.counts;
      return `${name}: ${status.state}, started ${status.startedAt}${status.scheduledFor ? ` (scheduled for ${status.scheduledFor})` : ''}; ${c.sent} sent, ${c.failed} failed, ${c.unknown} unknown of ${c.planned} planned`;
    }
  }
}

/** `2d 3h`, `4h 05m`, `12m 30s`, `45s`; zero or less is `now`. */
export function countdown(ms: number): string {
  if (ms <= 0) return 'now';
  const s = Math.ceil(ms / 1000);
  const d = Math.floor(s / 86400), h = Math.floor((s % 86400) / 3600), m = Math.floor((s % 3600) / 60), sec = s % 60;
  if (d > 0) return `${d}d ${h}h`;
  if (h > 0) return `${h}h ${String(m).padStart(2, '0')}m`;
  if (m > 0) return `${m}m ${String(sec).padStart(2, '0')}s`;
  return `${sec}s`;
}
