import { describe, expect, it } from 'vitest';
import { intakeBrief } from '../../../src/pipeline/intake-brief.js';
import { planPage } from '../../../src/pipeline/plan-page.js';
import { PREMIUM_DACH, population } from '../../support/audience-population.js';
import { memoryWorld } from '../../support/fakes.js';

const brief = (extra: object) =>
  JSON.stringify({ version: 1, list: 'weekly', subject: 'For you', stories: [{ headline: 'Hello {{fields.city|there}}' }], ...extra });

async function world() {
  const w = memoryWorld();
  await w.subscribers.createMany(population('weekly', 200), '2026-03-01T00:00:00Z');
  return w;
}

describe('intake of a brief with an audience', () => {
  it('refuses an audience that matches no subscribed member, with its pointer, and sends nothing', async () => {
    const w = await world();
    await w.blobs.put('briefs/nobody.json', brief({ audience: { tags: ['premium'], fields: { country: ['JP'] } } }), 'application/json');
    const result = await intakeBrief(w.intakeDeps, 'briefs/nobody.json');
    expect(result).toMatchObject({
      status: 'refused',
      problems: [
        {
          pointer: '/audience',
          message: expect.stringContaining('matches none of the 180 subscribed members of "weekly" (tag premium, country JP)'),
        },
      ],
    });
    expect(JSON.parse(w.blobs.text('reports/nobody.json.problems.json')!).text).toContain('nothing was sent');
    expect(w.queue.planMessages).toEqual([]);
    expect(w.ledger.issues.size).toBe(0);
  });

  it('refuses an audience on a list where only members who left match', async () => {
    const w = memoryWorld();
    await w.subscribers.createMany(
      [{ list: 'weekly', email: 'gone@example.org', attributes: { tags: 'premium' }, status: 'unsubscribed' }],
      '2026-03-01T00:00:00Z',
    );
    await w.blobs.put('briefs/gone.json', brief({ audience: { tags: ['premium'] } }), 'application/json');
    expect(await intakeBrief(w.intakeDeps, 'briefs/gone.json')).toMatchObject({ status: 'refused', problems: [{ pointer: '/audience' }] });
  });

  it('starts an issue whose audience matches, carrying the audience and the used fields into its plan', async () => {
    const w = await world();
    await w.blobs.put('briefs/dach.json', brief({ audience: PREMIUM_DACH }), 'application/json');
    expect(await intakeBrief(w.intakeDeps, 'briefs/dach.json')).toMatchObject({ status: 'accepted' });
    expect(w.queue.planMessages).toEqual([expect.objectContaining({ page: 0, audience: PREMIUM_DACH, fields: ['city'] })]);
    const result = await planPage(w.planDeps, w.queue.planMessages.shift()!);
    expect(result).toMatchObject({ status: 'planned', examined: 180, last: true });
    const recipients = w.queue.sendJobs.flatMap((j) => j.recipients);
    expect(recipients.length).toBe(result.status === 'planned' ? result.recipients : -1);
    expect(recipients.every((r) => r.attributes?.city?.startsWith('City '))).toBe(true);
  });

  it('plans the whole list for a brief without an audience, and copies no fields when none are used', async () => {
    const w = await world();
    await w.blobs.put(
      'briefs/all.json',
      JSON.stringify({ version: 1, list: 'weekly', subject: 'All', stories: [{ headline: 'Hi' }] }),
      'application/json',
    );
    await intakeBrief(w.intakeDeps, 'briefs/all.json');
    expect(w.queue.planMessages[0]).not.toHaveProperty('audience');
    expect(w.queue.planMessages[0]).not.toHaveProperty('fields');
    await planPage(w.planDeps, w.queue.planMessages.shift()!);
    const recipients = w.queue.sendJobs.flatMap((j) => j.recipients);
    expect(recipients).toHaveLength(180);
    expect(recipients.some((r) => 'attributes' in r)).toBe(false);
  });

  it('refuses a brief that fills more than 20 different fields (its send jobs would outgrow SQS)', async () => {
    const w = await world();
    const paragraphs = Array.from({ length: 21 }, (_, i) => `Value {{fields.f${i}}}`);
    await w.blobs.put(
      'briefs/many.json',
      JSON.stringify({ version: 1, list: 'weekly', subject: 'S', stories: [{ headline: 'H', paragraphs }] }),
      'application/json',
    );
    expect(await intakeBrief(w.intakeDeps, 'briefs/many.json')).toMatchObject({
      status: 'refused',
      problems: [{ pointer: '', message: expect.stringContaining('uses 21 different {{fields.…}} merge tags; at most 20') }],
    });
    expect(w.queue.planMessages).toEqual([]);
  });
});
