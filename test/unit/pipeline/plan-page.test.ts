import { describe, expect, it } from 'vitest';
import { planPage } from '../../../src/pipeline/plan-page.js';
import type { PlanMessage } from '../../../src/model.js';
import { memoryWorld, seedSubscribers } from '../../support/fakes.js';

const issue = { list: 'weekly', id: 'w1' };
const first: PlanMessage = { format: 'newsbrief/plan-page@1', issue, renderedKey: 'rendered/weekly/w1/issue.json', page: 0 };

async function plannedWorld(subscribers: number) {
  const world = memoryWorld();
  await seedSubscribers(world.subscribers, 'weekly', subscribers);
  await world.subscribers.upsert({ list: 'weekly', email: 'zz-gone@example.org', status: 'unsubscribed' }, '2026-03-01T00:00:00Z');
  await world.ledger.claimIssue(issue, { renderedKey: first.renderedKey, source: 'briefs/w1.json', at: '2026-03-02T09:00:00Z' });
  return world;
}

describe('planPage', () => {
  it('makes jobs of at most 50 subscribed recipients and enqueues its continuation', async () => {
    const world = await plannedWorld(230);
    const result = await planPage(world.planDeps, first, { pageSize: 120 });
    expect(result).toEqual({ status: 'planned', page: 0, recipients: 120, examined: 120, jobs: 3, last: false });
    expect(world.queue.sendJobs.map((j) => j.recipients.length)).toEqual([50, 50, 20]);
    expect(world.queue.planMessages).toEqual([{ ...first, page: 1, cursor: 'reader119@example.org' }]);
  });

  it('walks the whole list page by page, each subscribed member exactly once, skipping the unsubscribed', async () => {
    const world = await plannedWorld(230);
    world.queue.planMessages.push(first);
    for (let m = world.queue.planMessages.shift(); m; m = world.queue.planMessages.shift())
      await planPage(world.planDeps, m, { pageSize: 100 });
    const emails = world.queue.sendJobs.flatMap((j) => j.recipients.map((r) => r.email));
    expect(emails).toHaveLength(230);
    expect(new Set(emails).size).toBe(230);
    expect(emails).not.toContain('zz-gone@example.org');
    const record = await world.ledger.getIssue(issue);
    expect(record).toMatchObject({ planComplete: true, counts: { planned: 230 } });
  });

  it('plans a claimed issue again for the members who had joined by its claim, leaving the page marks alone', async () => {
    const world = await plannedWorld(130);
    world.queue.planMessages.push(first);
    for (let m = world.queue.planMessages.shift(); m; m = world.queue.planMessages.shift())
      await planPage(world.planDeps, m, { pageSize: 100 });
    await world.subscribers.upsert({ list: 'weekly', email: 'late@example.org', status: 'subscribed' }, '2026-03-02T10:00:00Z');
    world.queue.sendJobs.length = 0;
    const marked = await world.ledger.getIssue(issue);

    world.queue.planMessages.push({ ...first, replan: { joinedBy: '2026-03-02T09:00:00Z' } });
    const results = [];
    for (let m = world.queue.planMessages.shift(); m; m = world.queue.planMessages.shift())
      results.push(await planPage(world.planDeps, m, { pageSize: 100 }));

    // The late member takes a place on the first page and is left out of it: 99 + 31.
    expect(results.map((r) => r.status === 'planned' && r.recipients)).toEqual([99, 31]);
    const emails = world.queue.sendJobs.flatMap((j) => j.recipients.map((r) => r.email));
    expect(new Set(emails).size).toBe(130);
    expect(emails).not.toContain('late@example.org');
    expect(await world.ledger.getIssue(issue)).toEqual(marked);
  });

  it('enqueues nothing for a duplicate of a page that was already planned', async () => {
    const world = await plannedWorld(120);
    await planPage(world.planDeps, first, { pageSize: 100 });
    const again = await planPage(world.planDeps, first, { pageSize: 100 });
    expect(again).toEqual({ status: 'already-planned', page: 0, resumed: false });
    expect(world.queue.sendJobs).toHaveLength(2);
    expect(world.queue.planMessages).toHaveLength(1);
  });

  it('lets a needless resume die out at the next page: every member is still planned once', async () => {
    const world = await plannedWorld(250);
    await planPage(world.planDeps, first, { pageSize: 100 });
    await planPage(world.planDeps, first, { pageSize: 100, redelivered: true });
    expect(world.queue.planMessages).toHaveLength(2);
    for (let m = world.queue.planMessages.shift(); m; m = world.queue.planMessages.shift())
      await planPage(world.planDeps, m, { pageSize: 100 });
    expect((await world.ledger.getIssue(issue))?.counts.planned).toBe(250);
    expect(world.queue.sendJobs.length).toBeLessThanOrEqual(5 + 2);
  });

  it('resumes the chain when a page was marked but its continuation never left', async () => {
    const world = await plannedWorld(120);
    // The crash: jobs enqueued and the page marked, then the process died before enqueuing page 1.
    await world.ledger.markPagePlanned(issue, 0, 100, 'reader099@example.org');
    const redelivery = await planPage(world.planDeps, first, { pageSize: 100, redelivered: true });
    expect(redelivery).toEqual({ status: 'already-planned', page: 0, resumed: true });
    expect(world.queue.planMessages).toEqual([{ ...first, page: 1, cursor: 'reader099@example.org' }]);
  });

  it('lets only one of two concurrent copies of a page continue the chain', async () => {
    const world = await plannedWorld(150);
    await Promise.all([planPage(world.planDeps, first, { pageSize: 100 }), planPage(world.planDeps, first, { pageSize: 100 })]);
    expect(world.queue.planMessages).toHaveLength(1);
    expect((await world.ledger.getIssue(issue))?.counts.planned).toBe(100);
  });

  it('plans nothing for an issue the ledger does not know', async () => {
    const world = memoryWorld();
    expect(await planPage(world.planDeps, first)).toEqual({ status: 'unknown-issue', page: 0 });
  });
});
