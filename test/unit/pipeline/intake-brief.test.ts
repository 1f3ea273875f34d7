import { describe, expect, it } from 'vitest';
import { decodeEventKey, isBriefKey, reportKeyOf } from '../../../src/config/bucket-layout.js';
import { intakeBrief } from '../../../src/pipeline/intake-brief.js';
import { fixtureBrief, memoryWorld } from '../../support/fakes.js';
import { oversizeBriefText } from '../../support/oversize-brief.js';

describe('intakeBrief', () => {
  it('ignores keys outside briefs/ and files that are not JSON', async () => {
    const world = memoryWorld();
    for (const key of ['reports/x.json.problems.json', 'rendered/weekly/x/issue.json', 'briefs/readme.md', 'briefs/']) {
      expect((await intakeBrief(world.intakeDeps, key)).status).toBe('ignored');
    }
    expect(world.queue.planMessages).toEqual([]);
  });

  it('ignores an object deleted before the event arrived', async () => {
    const world = memoryWorld();
    expect(await intakeBrief(world.intakeDeps, 'briefs/gone.json')).toMatchObject({ status: 'ignored', reason: /no longer exists/ });
  });

  it('refuses an invalid brief with a report under reports/ and sends nothing', async () => {
    const world = memoryWorld();
    await world.blobs.put('briefs/2026/bad version.json', fixtureBrief('invalid/bad-version.json'), 'application/json');
    const result = await intakeBrief(world.intakeDeps, 'briefs/2026/bad version.json');
    expect(result).toMatchObject({ status: 'refused', reportKey: 'reports/2026/bad version.json.problems.json' });
    const report = JSON.parse(world.blobs.text('reports/2026/bad version.json.problems.json')!);
    expect(report.problems[0].pointer).toBe('/version');
    expect(report.text).toContain('nothing was sent');
    expect(world.queue.planMessages).toEqual([]);
    expect(world.ledger.issues.size).toBe(0);
  });

  it('refuses a brief whose email Gmail would clip, naming the limit, and sends nothing', async () => {
    const world = memoryWorld();
    await world.blobs.put('briefs/oversize.json', oversizeBriefText(), 'application/json');
    const result = await intakeBrief(world.intakeDeps, 'briefs/oversize.json');
    expect(result).toMatchObject({
      status: 'refused',
      problems: [{ pointer: '/stories', message: expect.stringContaining('Gmail clips emails over 102 KiB') }],
    });
    expect(world.queue.planMessages).toEqual([]);
    expect(world.ledger.issues.size).toBe(0);
  });

  it('renders once, stores the artifacts, claims the issue, publishes it to the archive and enqueues the first plan page', async () => {
    const world = memoryWorld();
    await world.blobs.put('briefs/minimal.json', fixtureBrief('valid/minimal.json'), 'application/json');
    const result = await intakeBrief(world.intakeDeps, 'briefs/minimal.json');
    expect(result).toEqual({
      status: 'accepted',
      key: 'briefs/minimal.json',
      issue: { list: 'weekly', id: 'minimal' },
      renderedKey: 'rendered/weekly/minimal/issue.json',
    });
    expect([...world.blobs.objects.keys()].sort()).toEqual([
      'archive/weekly/feed.xml',
      'archive/weekly/index.html',
      'archive/weekly/minimal.html',
      'briefs/minimal.json',
      'rendered/weekly/archive-index.json',
      'rendered/weekly/minimal/email.html',
      'rendered/weekly/minimal/email.txt',
      'rendered/weekly/minimal/issue.json',
    ]);
    expect(JSON.parse(world.blobs.text('rendered/weekly/minimal/issue.json')!).format).toBe('newsbrief/rendered-issue@1');
    expect(world.queue.planMessages).toEqual([
      {
        format: 'newsbrief/plan-page@1',
        issue: { list: 'weekly', id: 'minimal' },
        renderedKey: 'rendered/weekly/minimal/issue.json',
        page: 0,
      },
    ]);
  });

  it('stops a second event for the same issue before rendering', async () => {
    const world = memoryWorld();
    await world.blobs.put('briefs/minimal.json', fixtureBrief('valid/minimal.json'), 'application/json');
    await intakeBrief(world.intakeDeps, 'briefs/minimal.json');
    const again = await intakeBrief(world.intakeDeps, 'briefs/minimal.json');
    expect(again).toMatchObject({ status: 'duplicate', issue: { list: 'weekly', id: 'minimal' } });
    expect(world.queue.planMessages).toHaveLength(1);
  });

  it('lets exactly one of two concurrent events claim the issue', async () => {
    const world = memoryWorld();
    await world.blobs.put('briefs/minimal.json', fixtureBrief('valid/minimal.json'), 'application/json');
    const results = await Promise.all([
      intakeBrief(world.intakeDeps, 'briefs/minimal.json'),
      intakeBrief(world.intakeDeps, 'briefs/minimal.json'),
    ]);
    expect(results.map((r) => r.status).sort()).toEqual(['accepted', 'duplicate']);
    expect(world.queue.planMessages).toHaveLength(1);
  });

  it('drops the claim when the first plan page cannot be enqueued, so that the retried event starts over', async () => {
    const world = memoryWorld();
    await world.blobs.put('briefs/minimal.json', fixtureBrief('valid/minimal.json'), 'application/json');
    const failing = {
      ...world.intakeDeps,
      queue: { enqueueSendJobs: async () => {}, enqueuePlan: async () => Promise.reject(new Error('SQS down')) },
    };
    await expect(intakeBrief(failing, 'briefs/minimal.json')).rejects.toThrow('SQS down');
    expect(world.ledger.issues.size).toBe(0);
    expect((await intakeBrief(world.intakeDeps, 'briefs/minimal.json')).status).toBe('accepted');
  });
});

describe('S3 event keys', () => {
  it.each([
    ['briefs/My+Brief.json', 'briefs/My Brief.json'],
    ['briefs/a%2Bb.json', 'briefs/a+b.json'],
    ['briefs/caf%C3%A9+%E6%97%A5%E6%9C%AC.json', 'briefs/café 日本.json'],
    ['briefs%2F2026%2Fx.json', 'briefs/2026/x.json'],
  ])('decodes %s as %s', (raw, decoded) => {
    expect(decodeEventKey(raw)).toBe(decoded);
  });

  it('names reports beside the brief, under reports/', () => {
    expect(reportKeyOf('briefs/2026/a b.json')).toBe('reports/2026/a b.json.problems.json');
    expect(isBriefKey(reportKeyOf('briefs/x.json'))).toBe(false);
  });
});
