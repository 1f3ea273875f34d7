import { simpleParser } from 'mailparser';
import { XMLParser } from 'fast-xml-parser';
import { describe, expect, it } from 'vitest';
import { publishArchive } from '../../../src/archive/publish-archive.js';
import { ARCHIVE_KEYS } from '../../../src/config/bucket-layout.js';
import { planPage } from '../../../src/pipeline/plan-page.js';
import { newSendRun, sendJob } from '../../../src/pipeline/send-job.js';
import type { RenderedIssue } from '../../../src/render/render-issue.js';
import { memoryWorld, ScriptedMailer } from '../../support/fakes.js';
import { renderedFixture, startFixtureIssue } from '../../support/fixtures.js';

const READERS = [
  { email: 'ada.lovelace@example.org', firstName: 'Ada' },
  { email: 'grace+news@example.net', firstName: 'Grace' },
  { email: 'linus@example.com', firstName: undefined },
];

/** A real send of a brief that uses every merge tag, in memory; returns the world and what readers got. */
async function sampleSend(fixture: string, source: string) {
  const mailer = new ScriptedMailer();
  const world = memoryWorld(mailer);
  for (const r of READERS) await world.subscribers.upsert({ list: 'morning-digest', ...r, status: 'subscribed' }, '2026-03-01T00:00:00Z');
  // After the fixture's sendAt, so that it sends at once rather than being scheduled.
  world.clock.ms = Date.parse('2026-12-01T09:00:00Z');
  const started = await startFixtureIssue(world.intakeDeps, fixture, source);
  if (started.status !== 'started') throw new Error(JSON.stringify(started));
  for (let m = world.queue.planMessages.shift(); m; m = world.queue.planMessages.shift()) await planPage(world.planDeps, m);
  for (const job of world.queue.sendJobs.splice(0)) await sendJob(world.sendDeps, job, newSendRun('test'));
  const issue: RenderedIssue = renderedFixture(fixture);
  return { world, mailer, issue };
}

describe('publishArchive', () => {
  it('publishes a page with no subscriber data: no address, no name, no token from the sample send', async () => {
    const { world, mailer, issue } = await sampleSend('digest-three-stories', 'briefs/digest.json');
    expect(mailer.sent).toHaveLength(READERS.length);

    const published = await publishArchive(world.intakeDeps, issue);
    const page = world.blobs.text(published.pageKey)!;

    const secrets = new Set<string>();
    for (const message of mailer.sent) {
      const parsed = await simpleParser(message.raw);
      const html = String(parsed.html);
      const tokens = [...html.matchAll(/[?&](?:amp;)?t=([^"&\s]+)/g)].map((m) => decodeURIComponent(m[1]!));
      expect(tokens.length).toBeGreaterThan(0);
      for (const t of tokens) secrets.add(t);
      secrets.add(message.to);
    }
    for (const r of READERS) {
      secrets.add(r.email);
      if (r.firstName) secrets.add(r.firstName);
    }
    for (const secret of secrets) {
      expect(page).not.toContain(secret);
      expect(page).not.toContain(encodeURIComponent(secret));
    }
    expect(page).not.toContain('?t=');
    expect(page).toContain('Hi there,');
    expect(published.pageKey).toBe(`archive/morning-digest/${issue.id}.html`);
  });

  it("adds each published issue to the index page and feed, newest first, and keeps a republished issue's date", async () => {
    const { world, issue } = await sampleSend('digest-three-stories', 'briefs/digest.json');
    const later: RenderedIssue = { ...issue, id: 'next-week', webUrl: issue.webUrl.replace(issue.id, 'next-week') };

    // Intake published it when the issue started, at the sample send's start.
    const firstPublished = '2026-12-01T09:00:00.000Z';
    await publishArchive(world.intakeDeps, issue);
    world.clock.ms += 7 * 86_400_000;
    await publishArchive(world.intakeDeps, later);
    world.clock.ms += 86_400_000;
    await publishArchive(world.intakeDeps, issue);

    const index = world.blobs.text(ARCHIVE_KEYS.index('morning-digest'))!;
    expect(index.indexOf('next-week.html')).toBeGreaterThan(0);
    expect(index.indexOf('next-week.html')).toBeLessThan(index.indexOf(`${issue.id}.html`));
    const feed = new XMLParser({ isArray: (n) => n === 'entry' }).parse(world.blobs.text(ARCHIVE_KEYS.feed('morning-digest'))!).feed;
    expect(feed.entry.map((e: { id: string }) => e.id.split('/').pop())).toEqual(['next-week.html', `${issue.id}.html`]);
    expect(feed.entry[1].published).toBe(firstPublished);
    expect(world.blobs.objects.get(ARCHIVE_KEYS.feed('morning-digest'))!.contentType).toMatch(/^application\/atom\+xml/);
  });
});
