import { describe, expect, it } from 'vitest';
import { MemorySubscriberStore } from '../../../src/adapters/memory/memory-stores.js';
import type { Audience, PlanMessage, SubscriberPage } from '../../../src/model.js';
import { countAudience } from '../../../src/pipeline/count-audience.js';
import { planPage } from '../../../src/pipeline/plan-page.js';
import { expectedPremiumDach, PREMIUM_DACH, population } from '../../support/audience-population.js';
import { memoryWorld } from '../../support/fakes.js';

const N = 10_000;
const PAGE = 1000;
const issue = { list: 'weekly', id: 'audience' };

/** A world with the population, and a record of every page the store handed out. */
async function populated() {
  const world = memoryWorld();
  await world.subscribers.createMany(population('weekly', N), '2026-03-01T00:00:00Z');
  const pages: number[] = [];
  const store = world.subscribers;
  const pageSubscribed = store.pageSubscribed.bind(store);
  // Wrapping the real store (no fake): records how many members each read brought into memory.
  store.pageSubscribed = async (list, cursor, limit): Promise<SubscriberPage> => {
    const page = await pageSubscribed(list, cursor, limit);
    pages.push(page.subscribers.length);
    return page;
  };
  await world.ledger.claimIssue(issue, {
    renderedKey: 'rendered/weekly/audience/issue.json',
    source: 'briefs/a.json',
    at: '2026-03-02T00:00:00Z',
  });
  return { world, pages };
}

/** Runs the plan chain to its end, as the plan queue would. */
async function planAll(world: ReturnType<typeof memoryWorld>, audience: Audience | undefined, fields?: string[]) {
  const first: PlanMessage = {
    format: 'newsbrief/plan-page@1',
    issue,
    renderedKey: 'rendered/weekly/audience/issue.json',
    page: 0,
    ...(audience ? { audience } : {}),
    ...(fields ? { fields } : {}),
  };
  await world.queue.enqueuePlan(first);
  const results = [];
  while (world.queue.planMessages.length > 0)
    results.push(await planPage(world.planDeps, world.queue.planMessages.shift()!, { pageSize: PAGE }));
  return results;
}

describe('planning an audience', () => {
  it('plans exactly the matching subscribed members of 10,000, page by page', async () => {
    const { world, pages } = await populated();
    const started = performance.now();
    const results = await planAll(world, PREMIUM_DACH);
    const ms = performance.now() - started;

    const planned = world.queue.sendJobs.flatMap((job) => job.recipients.map((r) => r.email));
    const expected = expectedPremiumDach('weekly', N);
    expect(new Set(planned)).toEqual(expected);
    expect(planned).toHaveLength(expected.size); // nobody twice
    expect(results).toHaveLength(N / PAGE);
    expect(Math.max(...pages)).toBeLessThanOrEqual(PAGE);
    expect(world.queue.sendJobs.every((job) => job.recipients.length <= 50)).toBe(true);
    const record = await world.ledger.getIssue(issue);
    expect(record).toMatchObject({ planComplete: true, counts: { planned: expected.size } });
    const examined = results.reduce((n, r) => n + (r.status === 'planned' ? r.examined : 0), 0);
    expect(examined).toBe(N - N / 10);
    console.info(
      `audience planning: ${N} members, ${examined} subscribed examined in ${results.length} pages of ≤ ${PAGE}, ${expected.size} matched, ${world.queue.sendJobs.length} jobs, ${ms.toFixed(0)} ms`,
    );
  });

  it('continues over pages where nobody matches, up to the one member who does', async () => {
    const { world } = await populated();
    const results = await planAll(world, { tags: ['rare'] });
    expect(world.queue.sendJobs.flatMap((job) => job.recipients.map((r) => r.email))).toEqual(['member09995@example.org']);
    expect(results.map((r) => (r.status === 'planned' ? r.recipients : -1))).toEqual([0, 0, 0, 0, 0, 0, 0, 0, 0, 1]);
    expect(await world.ledger.getIssue(issue)).toMatchObject({ planComplete: true, counts: { planned: 1 } });
  });

  it('plans every subscribed member when the issue has no audience', async () => {
    const { world } = await populated();
    await planAll(world, undefined);
    expect(world.queue.sendJobs.reduce((n, job) => n + job.recipients.length, 0)).toBe(N - N / 10);
  });

  it('copies into the send jobs only the fields the issue uses', async () => {
    const { world } = await populated();
    await planAll(world, { fields: { country: ['FR'] } }, ['city']);
    const recipients = world.queue.sendJobs.flatMap((job) => job.recipients);
    expect(recipients.length).toBeGreaterThan(0);
    for (const r of recipients) expect(Object.keys(r.attributes ?? {})).toEqual(['city']);
    expect(recipients[0]!.attributes!.city).toMatch(/^City \d+ <b>&$/);
  });

  it('keeps jobs small when recipients bring many long field values', async () => {
    const world = memoryWorld();
    const long = 'x'.repeat(5000);
    const names = Array.from({ length: 20 }, (_, i) => `f${i}`);
    const attributes = Object.fromEntries(names.map((n) => [n, long]));
    await world.subscribers.createMany(
      Array.from({ length: 120 }, (_, i) => ({
        list: 'weekly',
        email: `long${i}@example.org`,
        attributes,
        status: 'subscribed' as const,
      })),
      '2026-03-01T00:00:00Z',
    );
    await world.ledger.claimIssue(issue, { renderedKey: 'r', source: 'b', at: '2026-03-02T00:00:00Z' });
    await planAll(world, undefined, names);
    const jobs = world.queue.sendJobs;
    expect(jobs.reduce((n, j) => n + j.recipients.length, 0)).toBe(120);
    expect(jobs.length).toBeGreaterThan(120 / 50 + 1);
    for (const job of jobs) expect(Buffer.byteLength(JSON.stringify(job))).toBeLessThan(26 * 1024);
    expect(jobs[0]!.recipients[0]!.attributes!.f0).toHaveLength(200);
  });

  it('counts an audience with the store, and stops at the first match when asked', async () => {
    const store = new MemorySubscriberStore();
    await store.createMany(population('weekly', N), '2026-03-01T00:00:00Z');
    expect(await countAudience(store, 'weekly', PREMIUM_DACH)).toEqual({
      matched: expectedPremiumDach('weekly', N).size,
      examined: N - N / 10,
      complete: true,
    });
    const first = await countAudience(store, 'weekly', PREMIUM_DACH, { stopAt: 1 });
    expect(first).toMatchObject({ matched: 1, complete: false });
    expect(first.examined).toBeLessThan(10);
    expect(await countAudience(store, 'weekly', { tags: ['nobody'] })).toEqual({ matched: 0, examined: N - N / 10, complete: true });
  });
});
