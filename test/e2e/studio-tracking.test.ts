/**
 * Opens and clicks in local mode, end to end: an issue sent to a list that tracks reaches the local inbox
 * with the studio's pixel and tracked links; fetching them moves the issue's counts through the same
 * parser and counting code as SES's events on AWS; a tampered link is refused and redirects nowhere.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sendBriefLocally } from '../../src/local-mode/local-runner.js';
import { readIssueReport } from '../../src/report/issue-report.js';
import { localReportDeps } from '../../src/wiring/local-report-deps.js';
import type { Studio } from '../../src/studio/studio.js';
import { localInbox } from '../support/local-inbox.js';
import { startTrackingStudio } from '../support/tracking-studio.js';

const ISSUE = { list: 'weekly', id: 'tracked-issue' };
const FILING = 'https://example.com/filing?id=7&src=brief';

describe('engagement tracking in the studio', () => {
  let studio: Studio;
  let close: (() => Promise<void>) | undefined;

  beforeAll(async () => {
    ({ studio, close } = await startTrackingStudio('newsbrief-tracking-', 'weekly'));
    for (const email of ['ada@example.org', 'bo@example.org'])
      await studio.deps.store.upsert({ list: 'weekly', email, status: 'subscribed' }, new Date().toISOString());
  }, 30_000);

  afterAll(async () => {
    await close?.();
  });

  const report = async () =>
    (await readIssueReport(
      localReportDeps({ store: studio.deps.store, lists: studio.deps.lists, clock: studio.deps.clock, blobs: studio.deps.blobs }),
      ISSUE,
    ))!;

  async function mailTo(address: string): Promise<string> {
    const emails = await localInbox(studio.sesEndpoint);
    return emails.find((m) => m.destination.to.some((to) => to.includes(address)))!.body.html;
  }

  it('sends the issue with a pixel and tracked links, and never tracks the unsubscribe link', async () => {
    const brief = {
      version: 1,
      id: ISSUE.id,
      list: 'weekly',
      subject: 'Tracked',
      stories: [
        { headline: 'One', paragraphs: [`Read the [full filing](${FILING}).`] },
        { headline: 'Two', paragraphs: ['And [the second](https://example.com/two).'] },
      ],
    };
    const result = await sendBriefLocally(studio.deps, { bytes: Buffer.from(JSON.stringify(brief)), fileName: 'tracked.json' });
    expect(result).toMatchObject({ status: 'sent' });
    const html = await mailTo('ada@example.org');
    expect(html).toMatch(new RegExp(`<img src="${studio.url}/t/o/[^"]+" width="1" height="1"`));
    expect(html).toContain(`${studio.url}/t/c/`);
    expect(html).not.toContain(`href="${FILING.replace(/&/g, '&amp;')}"`);
    expect(html).toMatch(new RegExp(`href="${studio.url}/unsubscribe\\?t=`));
    expect(html).not.toContain('ses:no-track');
  });

  it('counts an open and a click through the studio, each reader once, and redirects to the link', async () => {
    const before = await report();
    expect(before.engagement).toMatchObject({ opens: { total: 0, unique: 0 }, clicks: { total: 0, unique: 0 } });

    const html = (await mailTo('ada@example.org')).replace(/&amp;/g, '&');
    const pixel = /<img src="([^"]+\/t\/o\/[^"]+)"/.exec(html)![1]!;
    const link = [...html.matchAll(/href="([^"]+\/t\/c\/[^"]+)"/g)]
      .map((m) => m[1]!)
      .find((href) => href.includes(encodeURIComponent(FILING)))!;

    const opened = await fetch(pixel);
    expect([opened.status, opened.headers.get('content-type')]).toEqual([200, 'image/gif']);
    await fetch(pixel);
    const clicked = await fetch(link, { redirect: 'manual' });
    expect([clicked.status, clicked.headers.get('location')]).toEqual([302, FILING]);

    const after = (await report()).engagement!;
    expect(after.opens).toEqual({ total: 2, unique: 1 });
    // Clicked seconds after the send: a link scanner's timing, so it is counted apart, on its link.
    expect(after.clicks.total + after.machineClicks.total).toBe(1);
    const filing = after.links.find((l) => l.url === FILING)!;
    expect(filing).toMatchObject({ text: 'full filing' });
    expect(filing.total + filing.machine).toBe(1);
    expect(after.links.map((l) => l.position)).toEqual(after.links.map((_, i) => i + 1));
  });

  it('refuses a tracked link whose destination was changed (no open redirect), and counts nothing', async () => {
    const html = (await mailTo('bo@example.org')).replace(/&amp;/g, '&');
    const link = /href="([^"]+\/t\/c\/[^"]+)"/.exec(html)![1]!;
    const forged = `${link.split('?')[0]}?u=${encodeURIComponent('https://evil.example/phish')}`;
    const before = (await report()).engagement!;
    const response = await fetch(forged, { redirect: 'manual' });
    expect(response.status).toBe(400);
    expect(response.headers.get('location')).toBeNull();
    const unsigned = await fetch(`${studio.url}/t/c/nothing.at.all?u=${encodeURIComponent(FILING)}`, { redirect: 'manual' });
    expect(unsigned.status).toBe(400);
    expect((await report()).engagement).toEqual(before);
  });
});
