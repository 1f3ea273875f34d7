import { describe, expect, it } from 'vitest';
import { MemoryScheduler } from '../../../src/adapters/memory/memory-scheduler.js';
import { renderedKeyOf } from '../../../src/config/bucket-layout.js';
import { issueStatus } from '../../../src/schedule/issue-status.js';
import { cancelScheduledBrief, scheduleIssue } from '../../../src/schedule/schedule-issue.js';
import { startIssue, startScheduledIssue } from '../../../src/schedule/start-issue.js';
import { memoryWorld, testLists } from '../../support/fakes.js';
import { renderedFixture } from '../../support/fixtures.js';

const issue = { list: 'weekly', id: 'minimal' };
const renderedKey = renderedKeyOf(issue);
const AT = '2026-03-03T07:00:00Z';

async function world() {
  const w = memoryWorld();
  const scheduler = new MemoryScheduler();
  await w.blobs.put(renderedKey, JSON.stringify(renderedFixture('minimal')), 'application/json');
  const deps = { blobs: w.blobs, ledger: w.ledger, scheduler, clock: w.clock };
  const startDeps = { blobs: w.blobs, ledger: w.ledger, queue: w.queue, lists: testLists, clock: w.clock };
  return { ...w, scheduler, deps, startDeps };
}

describe('scheduleIssue', () => {
  it('creates exactly one schedule, at the time, whose message starts this issue', async () => {
    const w = await world();
    const result = await scheduleIssue(w.deps, { issue, renderedKey, source: 'briefs/minimal.json', at: AT });

    expect(result).toMatchObject({ status: 'scheduled', at: AT, scheduleName: 'weekly.minimal' });
    expect([...w.scheduler.schedules.values()]).toEqual([
      { name: 'weekly.minimal', at: AT, message: { format: 'newsbrief/start-issue@1', issue, renderedKey, version: expect.any(String) } },
    ]);
    expect(await w.ledger.getIssue(issue)).toBeUndefined();
    expect(w.queue.planMessages).toHaveLength(0);
    expect(await issueStatus(w, issue)).toMatchObject({ state: 'scheduled', at: AT });
  });

  it('starts the issue when the schedule fires: claimed, archived, first plan page enqueued', async () => {
    const w = await world();
    await scheduleIssue(w.deps, { issue, renderedKey, source: 'briefs/minimal.json', at: AT });
    w.clock.ms = Date.parse(AT);
    const [due] = w.scheduler.takeDue(w.clock.now());

    const result = await startScheduledIssue(w.startDeps, due!.message);

    expect(result.status).toBe('started');
    expect(await w.ledger.getIssue(issue)).toMatchObject({ renderedKey, source: 'briefs/minimal.json' });
    expect(w.queue.planMessages).toEqual([{ format: 'newsbrief/plan-page@1', issue, renderedKey, page: 0 }]);
    expect(w.blobs.text('archive/weekly/minimal.html')).toContain('Quarterly numbers are in');
    expect(await issueStatus(w, issue)).toMatchObject({ state: 'sending', scheduledFor: AT });
  });

  it('replaces the schedule when the issue is uploaded again before its time: the newest version wins', async () => {
    const w = await world();
    await scheduleIssue(w.deps, { issue, renderedKey, source: 'briefs/minimal.json', at: AT });
    const first = w.scheduler.schedules.get('weekly.minimal')!;
    w.clock.ms += 60_000;

    const again = await scheduleIssue(w.deps, { issue, renderedKey, source: 'briefs/minimal-v2.json', at: '2026-03-03T08:00:00Z' });

    expect(again).toMatchObject({ status: 'scheduled', replaced: { previousSource: 'briefs/minimal.json', previousAt: AT } });
    expect(w.scheduler.schedules.size).toBe(1);
    expect(w.scheduler.schedules.get('weekly.minimal')!.at).toBe('2026-03-03T08:00:00Z');
    // A start from the replaced schedule (had it fired in between) does nothing.
    expect(await startScheduledIssue(w.startDeps, first.message)).toMatchObject({ status: 'stale', reason: 'replaced by a newer upload' });
    expect(await w.ledger.getIssue(issue)).toBeUndefined();
  });

  it('cancels when the brief is deleted, and only for the upload that owns the schedule', async () => {
    const w = await world();
    await scheduleIssue(w.deps, { issue, renderedKey, source: 'briefs/old.json', at: AT });
    await scheduleIssue(w.deps, { issue, renderedKey, source: 'briefs/new.json', at: AT });
    const message = w.scheduler.schedules.get('weekly.minimal')!.message;

    expect(await cancelScheduledBrief(w.deps, 'briefs/old.json')).toEqual({ status: 'not-scheduled', key: 'briefs/old.json' });
    expect(w.scheduler.schedules.size).toBe(1);
    expect(await cancelScheduledBrief(w.deps, 'briefs/new.json')).toEqual({ status: 'cancelled', issue, at: AT });
    expect(w.scheduler.schedules.size).toBe(0);
    expect(await cancelScheduledBrief(w.deps, 'briefs/unknown.json')).toMatchObject({ status: 'not-scheduled' });
    expect(await startScheduledIssue(w.startDeps, message)).toMatchObject({ status: 'stale' });
    expect(await issueStatus(w, issue)).toMatchObject({ state: 'cancelled' });
  });

  it('never starts an issue twice: not by a second firing, not by a re-upload, not by a direct start', async () => {
    const w = await world();
    await scheduleIssue(w.deps, { issue, renderedKey, source: 'briefs/minimal.json', at: AT });
    const { message } = w.scheduler.schedules.get('weekly.minimal')!;
    expect((await startScheduledIssue(w.startDeps, message)).status).toBe('started');

    expect(await startScheduledIssue(w.startDeps, message)).toMatchObject({ status: 'already-started' });
    expect(await scheduleIssue(w.deps, { issue, renderedKey, source: 'briefs/minimal.json', at: AT })).toEqual({
      status: 'already-started',
      issue,
    });
    expect(await startIssue(w.startDeps, { issue, renderedKey, source: 'briefs/minimal.json' })).toEqual({
      status: 'already-started',
      issue,
    });
    expect(w.queue.planMessages).toHaveLength(1);
  });
});
