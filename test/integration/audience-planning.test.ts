/**
 * Planning an audience over DynamoDB's subscriber store on dynalite (in-process DynamoDB over HTTP): 10,000
 * members with mixed tags and fields, planned page by page (each page a filtered Query) down to exactly the
 * members who match; intake refusing an audience that matches nobody, counted with the same table.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DynamoSubscriberStore } from '../../src/adapters/aws/dynamo-subscriber-store.js';
import type { PlanMessage, SubscriberPage } from '../../src/model.js';
import { countAudience } from '../../src/pipeline/count-audience.js';
import { intakeBrief } from '../../src/pipeline/intake-brief.js';
import { planPage } from '../../src/pipeline/plan-page.js';
import { expectedPremiumDach, PREMIUM_DACH, population } from '../support/audience-population.js';
import type { Emulator } from '../support/emulators.js';
import { memoryWorld } from '../support/fakes.js';
import { dynaliteSubscriberStore } from '../support/newsbrief-tables.js';

const N = 10_000;
const PAGE = 1000;

describe('audience planning on DynamoDB', () => {
  let dynalite: Emulator;
  let store: DynamoSubscriberStore;
  const pages: number[] = [];

  beforeAll(async () => {
    ({ dynalite, store } = await dynaliteSubscriberStore());
    const started = performance.now();
    await store.createMany(population('weekly', N), '2026-03-01T00:00:00Z');
    console.info(`audience planning on dynalite: ${N} members written in ${(performance.now() - started).toFixed(0)} ms`);
    const pageSubscribed = store.pageSubscribed.bind(store);
    // The real adapter, wrapped only to record how many members each Query brought into memory.
    store.pageSubscribed = async (list, cursor, limit): Promise<SubscriberPage> => {
      const page = await pageSubscribed(list, cursor, limit);
      pages.push(page.subscribers.length);
      return page;
    };
  }, 300_000);
  afterAll(async () => dynalite?.stop());

  it('plans exactly the matching subscribed members of 10,000, in pages', async () => {
    pages.length = 0;
    const world = memoryWorld();
    const issue = { list: 'weekly', id: 'dach' };
    await world.ledger.claimIssue(issue, {
      renderedKey: 'rendered/weekly/dach/issue.json',
      source: 'briefs/dach.json',
      at: '2026-03-02T00:00:00Z',
    });
    const first: PlanMessage = {
      format: 'newsbrief/plan-page@1',
      issue,
      renderedKey: 'rendered/weekly/dach/issue.json',
      page: 0,
      audience: PREMIUM_DACH,
      fields: ['city'],
    };
    await world.queue.enqueuePlan(first);
    const started = performance.now();
    let planMessages = 0;
    while (world.queue.planMessages.length > 0) {
      // Each continuation goes through JSON, as on SQS: the cursor and the audience must survive it.
      const message = JSON.parse(JSON.stringify(world.queue.planMessages.shift())) as PlanMessage;
      expect(message.audience).toEqual(PREMIUM_DACH);
      await planPage({ ...world.planDeps, subscribers: store }, message, { pageSize: PAGE });
      planMessages++;
    }
    const ms = performance.now() - started;

    const planned = world.queue.sendJobs.flatMap((job) => job.recipients);
    const expected = expectedPremiumDach('weekly', N);
    expect(new Set(planned.map((r) => r.email))).toEqual(expected);
    expect(planned).toHaveLength(expected.size);
    expect(planned.every((r) => Object.keys(r.attributes ?? {}).join() === 'city')).toBe(true);
    expect(Math.max(...pages)).toBeLessThanOrEqual(PAGE);
    expect(planMessages).toBeGreaterThanOrEqual(N / PAGE);
    expect(await world.ledger.getIssue(issue)).toMatchObject({ planComplete: true, counts: { planned: expected.size } });
    console.info(
      `audience planning on dynalite: ${planMessages} plan pages (≤ ${PAGE} examined each, largest returned ${Math.max(...pages)}), ${expected.size} of ${N} matched, ${world.queue.sendJobs.length} jobs, ${ms.toFixed(0)} ms`,
    );
  }, 300_000);

  it('counts the audience with the table', async () => {
    const count = await countAudience(store, 'weekly', PREMIUM_DACH);
    expect(count).toEqual({ matched: expectedPremiumDach('weekly', N).size, examined: N - N / 10, complete: true });
  }, 120_000);

  it('refuses at intake a brief whose audience matches nobody in the table, and plans nothing', async () => {
    const world = memoryWorld();
    const brief = {
      version: 1,
      list: 'weekly',
      subject: 'S',
      stories: [{ headline: 'H' }],
      audience: { tags: ['premium'], fields: { country: ['JP'] } },
    };
    await world.blobs.put('briefs/jp.json', JSON.stringify(brief), 'application/json');
    const result = await intakeBrief({ ...world.intakeDeps, subscribers: store }, 'briefs/jp.json');
    expect(result).toMatchObject({
      status: 'refused',
      problems: [{ pointer: '/audience', message: expect.stringContaining(`none of the ${N - N / 10} subscribed members`) }],
    });
    expect(world.queue.planMessages).toEqual([]);
    expect(world.ledger.issues.size).toBe(0);
  }, 120_000);
});
