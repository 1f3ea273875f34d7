import { describe, expect, it } from 'vitest';
import { renderedKeyOf } from '../../../src/config/bucket-layout.js';
import {
  countdown,
  describeStatus,
  type IssueStatus,
  isMissedStart,
  issueStatus,
  markMissedStart,
  MISSED_START_GRACE_MS,
} from '../../../src/schedule/issue-status.js';
import { scheduleIssue } from '../../../src/schedule/schedule-issue.js';
import { memoryWorld } from '../../support/fakes.js';

const issue = { list: 'weekly', id: 'monday' };
const AT = '2026-03-03T07:00:00Z';
const atMs = Date.parse(AT);
const minute = 60_000;
const scheduled: IssueStatus = { state: 'scheduled', issue, at: AT, source: 'briefs/monday.json', updatedAt: '2026-03-01T10:00:00Z' };

describe('isMissedStart', () => {
  it('is false before the time and during the 15 minutes after it, true after', () => {
    expect(MISSED_START_GRACE_MS).toBe(15 * minute);
    expect(isMissedStart(AT, atMs - minute)).toBe(false);
    expect(isMissedStart(AT, atMs)).toBe(false);
    expect(isMissedStart(AT, atMs + 15 * minute)).toBe(false);
    expect(isMissedStart(AT, atMs + 15 * minute + 1)).toBe(true);
    expect(isMissedStart(AT, atMs + 3 * 86_400_000)).toBe(true);
  });

  it('never calls an unreadable time missed', () => {
    expect(isMissedStart('not a time', atMs)).toBe(false);
  });
});

describe('markMissedStart', () => {
  it('turns an overdue scheduled status into missed, keeping its times', () => {
    expect(markMissedStart(scheduled, atMs + 16 * minute)).toEqual({ ...scheduled, state: 'missed' });
    expect(markMissedStart(scheduled, atMs + 14 * minute)).toBe(scheduled);
  });

  it('leaves every other state alone, however late', () => {
    const late = atMs + 86_400_000;
    const others: IssueStatus[] = [
      { ...scheduled, state: 'cancelled' },
      { state: 'unknown', issue },
      { state: 'sending', issue, startedAt: AT, scheduledFor: AT, counts: { planned: 2, sent: 1, failed: 0, unknown: 0 } },
    ];
    for (const status of others) expect(markMissedStart(status, late)).toBe(status);
  });
});

describe('describeStatus', () => {
  it('counts down to a scheduled start', () => {
    expect(describeStatus(scheduled, atMs - 90 * minute)).toBe(
      'weekly/monday: scheduled for 2026-03-03T07:00:00Z (in 1h 30m), from briefs/monday.json, last upload 2026-03-01T10:00:00Z',
    );
  });

  it('says a start just due is starting, never a negative countdown', () => {
    const line = describeStatus(scheduled, atMs + 2 * minute);
    expect(line).toContain('(due 2m 00s ago, starting)');
    expect(line).not.toMatch(/in -|in now/);
  });

  it('says a start more than 15 minutes overdue was missed, and where to look on AWS', () => {
    const line = describeStatus(scheduled, atMs + 20 * minute);
    expect(line).toMatch(/^weekly\/monday: missed: scheduled for 2026-03-03T07:00:00Z \(20m 00s ago\), not started; /);
    for (const where of [
      'ScheduleDeadLetter',
      'StartDeadLetter',
      'ScheduleDeadLetterQueueUrl',
      'StartDeadLetterQueueUrl',
      'docs/deploy.md',
    ]) {
      expect(line).toContain(where);
    }
    expect(line).not.toMatch(/ scheduled for .* \(in /);
  });

  it('describes a status already marked missed the same way', () => {
    const now = atMs + 20 * minute;
    expect(describeStatus(markMissedStart(scheduled, now), now)).toBe(describeStatus(scheduled, now));
  });

  it('points local users at the studio, which starts overdue schedules', () => {
    const line = describeStatus(scheduled, atMs + 2 * 86_400_000, 'local');
    expect(line).toMatch(/^weekly\/monday: missed: scheduled for 2026-03-03T07:00:00Z \(2d 0h ago\), not started; /);
    expect(line).toContain('npm start');
    expect(line).not.toContain('DeadLetter');
  });
});

describe('issueStatus with the current time', () => {
  async function scheduledWorld() {
    const w = memoryWorld();
    const renderedKey = renderedKeyOf(issue);
    await scheduleIssue(
      { blobs: w.blobs, ledger: w.ledger, scheduler: w.scheduler, clock: w.clock },
      { issue, renderedKey, source: 'briefs/monday.json', at: AT },
    );
    return { w, renderedKey };
  }

  it('is missed when the time is long past and the ledger never claimed the issue', async () => {
    const { w } = await scheduledWorld();
    expect(await issueStatus(w, issue, atMs + 10 * minute)).toMatchObject({ state: 'scheduled', at: AT });
    expect(await issueStatus(w, issue, atMs + 16 * minute)).toMatchObject({ state: 'missed', at: AT, source: 'briefs/monday.json' });
    // Without a time it reports what is stored, as before.
    expect(await issueStatus(w, issue)).toMatchObject({ state: 'scheduled' });
  });

  it('is never missed once the issue was claimed, however late it started', async () => {
    const { w, renderedKey } = await scheduledWorld();
    // Claimed three hours late (a redriven start): the ledger has it, so it is sending, not missed.
    await w.ledger.claimIssue(issue, { renderedKey, source: 'briefs/monday.json', at: new Date(atMs + 3 * 3_600_000).toISOString() });
    expect((await issueStatus(w, issue, atMs + 86_400_000)).state).toBe('sending');
  });
});

describe('countdown', () => {
  it('stays "now" for zero or less (callers say "ago" themselves)', () => {
    expect(countdown(0)).toBe('now');
    expect(countdown(-5000)).toBe('now');
  });
});
