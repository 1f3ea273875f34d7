/**
 * Scheduled sends through intake, on a fake clock: a future sendAt is validated and rendered at once and
 * makes exactly one schedule; the schedule firing starts the issue; re-uploads replace, deletion cancels,
 * and a started issue is never started again.
 */
import { describe, expect, it } from 'vitest';
import { intakeBrief } from '../../../src/pipeline/intake-brief.js';
import { planPage } from '../../../src/pipeline/plan-page.js';
import { newSendRun, sendJob } from '../../../src/pipeline/send-job.js';
import { cancelScheduledBrief } from '../../../src/schedule/schedule-issue.js';
import { startScheduledIssue } from '../../../src/schedule/start-issue.js';
import { issueStatus } from '../../../src/schedule/issue-status.js';
import { memoryWorld, ScriptedMailer, seedSubscribers } from '../../support/fakes.js';

const NOW = Date.parse('2026-03-02T09:00:00Z');
const brief = (subject: string, sendAt?: string) =>
  Buffer.from(
    JSON.stringify({
      version: 1,
      id: 'morning',
      list: 'weekly',
      subject,
      stories: [{ headline: 'Hello {{firstName|there}}' }],
      ...(sendAt ? { sendAt } : {}),
    }),
  );
const issue = { list: 'weekly', id: 'morning' };

async function world() {
  const mailer = new ScriptedMailer();
  const w = memoryWorld(mailer);
  w.clock.ms = NOW;
  await seedSubscribers(w.subscribers, 'weekly', 3);
  const upload = async (key: string, body: Buffer) => {
    await w.blobs.put(key, body, 'application/json');
    return intakeBrief(w.intakeDeps, key);
  };
  // What EventBridge Scheduler, SQS and the functions do once the clock reaches a schedule.
  const runUntil = async (iso: string) => {
    w.clock.ms = Date.parse(iso);
    const started = [];
    for (const due of w.scheduler.takeDue(w.clock.now())) started.push(await startScheduledIssue(w.intakeDeps, due.message));
    for (let m = w.queue.planMessages.shift(); m; m = w.queue.planMessages.shift()) await planPage(w.planDeps, m);
    for (const job of w.queue.sendJobs.splice(0)) await sendJob(w.sendDeps, job, newSendRun('test'));
    return started;
  };
  return { ...w, mailer, upload, runUntil };
}

describe('scheduled sends through intake', () => {
  it('validates and renders a future brief at once, makes exactly one schedule at sendAt for the start, and sends nothing yet', async () => {
    const w = await world();
    const result = await w.upload('briefs/morning.json', brief('Good morning', '2026-03-03T07:00:00+01:00'));

    expect(result).toMatchObject({ status: 'scheduled', issue, at: '2026-03-03T06:00:00Z' });
    expect([...w.scheduler.schedules.values()]).toEqual([
      {
        name: 'weekly.morning',
        at: '2026-03-03T06:00:00Z',
        message: {
          format: 'newsbrief/start-issue@1',
          issue,
          renderedKey: 'rendered/weekly/morning/issue.json',
          version: expect.any(String),
        },
      },
    ]);
    expect(w.blobs.text('rendered/weekly/morning/issue.json')).toContain('Good morning');
    expect(await w.ledger.getIssue(issue)).toBeUndefined();
    expect(w.queue.planMessages).toEqual([]);
    expect(w.blobs.text('archive/weekly/morning.html')).toBeUndefined();

    expect(await w.runUntil('2026-03-03T05:59:59Z')).toEqual([]);
    expect(w.mailer.sent).toHaveLength(0);
    expect(await w.runUntil('2026-03-03T06:00:00Z')).toMatchObject([{ status: 'started' }]);
    expect(w.mailer.sent).toHaveLength(3);
    expect(w.blobs.text('archive/weekly/morning.html')).toContain('Hello there');
    expect(await issueStatus(w, issue)).toMatchObject({ state: 'sent', scheduledFor: '2026-03-03T06:00:00Z' });
  });

  it('reports problems at once, not at the scheduled time', async () => {
    const w = await world();
    const result = await w.upload(
      'briefs/morning.json',
      Buffer.from(JSON.stringify({ version: 1, id: 'morning', list: 'weekly', subject: '', stories: [], sendAt: '2026-03-03T07:00:00Z' })),
    );
    expect(result.status).toBe('refused');
    expect(w.scheduler.schedules.size).toBe(0);
  });

  it('replaces content and schedule on a re-upload before the time: the newest version wins, and says so', async () => {
    const w = await world();
    await w.upload('briefs/morning.json', brief('Typo', '2026-03-03T07:00:00Z'));
    w.clock.ms += 60_000;
    const again = await w.upload('briefs/morning.json', brief('Fixed', '2026-03-03T08:00:00Z'));

    expect(again).toMatchObject({
      status: 'scheduled',
      at: '2026-03-03T08:00:00Z',
      replaced: { previousSource: 'briefs/morning.json', previousAt: '2026-03-03T07:00:00Z' },
    });
    expect(w.scheduler.schedules.size).toBe(1);
    await w.runUntil('2026-03-03T08:00:00Z');
    expect(w.mailer.sent).toHaveLength(3);
    expect(w.mailer.sent.every((m) => m.raw.toString().includes('Subject: Fixed'))).toBe(true);
  });

  it('cancels the schedule when the brief is deleted', async () => {
    const w = await world();
    await w.upload('briefs/morning.json', brief('Good morning', '2026-03-03T07:00:00Z'));
    await w.blobs.put('briefs/morning.json', Buffer.alloc(0), 'application/json'); // (the memory store cannot delete; the event is what counts)

    expect(await cancelScheduledBrief(w.intakeDeps, 'briefs/morning.json')).toMatchObject({ status: 'cancelled', issue });
    expect(w.scheduler.schedules.size).toBe(0);
    await w.runUntil('2026-03-04T00:00:00Z');
    expect(w.mailer.sent).toHaveLength(0);
    expect(await issueStatus(w, issue)).toMatchObject({ state: 'cancelled' });
  });

  it('never starts an issue that has started: a re-upload after the time, or with sendAt removed, sends nothing again', async () => {
    const w = await world();
    await w.upload('briefs/morning.json', brief('Good morning', '2026-03-03T07:00:00Z'));
    await w.runUntil('2026-03-03T07:00:00Z');
    expect(w.mailer.sent).toHaveLength(3);

    w.clock.ms = Date.parse('2026-03-03T06:00:00Z'); // even a clock that went back
    expect(await w.upload('briefs/morning.json', brief('Again', '2026-03-03T07:30:00Z'))).toMatchObject({ status: 'duplicate' });
    expect(await w.upload('briefs/morning.json', brief('Again'))).toMatchObject({ status: 'duplicate' });
    await w.runUntil('2026-03-04T00:00:00Z');
    expect(w.mailer.sent).toHaveLength(3);
    expect(w.scheduler.schedules.size).toBe(0);
  });

  it('a re-upload that sends now retires the earlier schedule', async () => {
    const w = await world();
    await w.upload('briefs/morning.json', brief('Later', '2026-03-03T07:00:00Z'));
    expect(await w.upload('briefs/morning.json', brief('Now'))).toMatchObject({ status: 'accepted' });
    expect(w.scheduler.schedules.size).toBe(0);
    await w.runUntil('2026-03-04T00:00:00Z');
    expect(w.mailer.sent).toHaveLength(3);
  });
});
