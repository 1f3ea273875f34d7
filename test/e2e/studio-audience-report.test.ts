/**
 * The issue's "done when" on a laptop, over the studio's HTTP: an editor sends an issue to "tag premium, country
 * DE or AT", one reader opens it and, past the link scanners' first seconds, clicks its second story in the local
 * inbox; the report page then names the audience with how many matched and shows sent, opened and which link
 * was clicked, and the Subscribers page shows who got it, who opened it and what they clicked, and nothing for
 * a member outside the audience.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SCANNER_WINDOW_MS } from '../../src/engagement/machine-signals.js';
import type { SubscriberInput } from '../../src/model.js';
import type { Studio } from '../../src/studio/studio.js';
import { addressOf, localInbox } from '../support/local-inbox.js';
import { patience } from '../support/patience.js';
import { startTrackingStudio } from '../support/tracking-studio.js';
import { until } from '../support/until.js';

const LIST = 'weekly';
const ISSUE_ID = 'premium-dach-1';
const FIRST = 'https://example.com/first-story';
const SECOND = 'https://example.com/second-story?id=2';
const MEMBERS: SubscriberInput[] = [
  { list: LIST, email: 'de-premium@example.org', firstName: 'Dora', attributes: { tags: 'premium', country: 'DE' }, status: 'subscribed' },
  { list: LIST, email: 'at-vip@example.org', attributes: { tags: 'premium;vip', country: 'at' }, status: 'subscribed' },
  { list: LIST, email: 'fr-premium@example.org', attributes: { tags: 'premium', country: 'FR' }, status: 'subscribed' },
  { list: LIST, email: 'de-free@example.org', attributes: { tags: 'free', country: 'DE' }, status: 'subscribed' },
  { list: LIST, email: 'at-gone@example.org', attributes: { tags: 'premium', country: 'AT' }, status: 'unsubscribed' },
  { list: LIST, email: 'plain@example.org', status: 'subscribed' },
];

describe('an issue for "tag premium, country DE or AT", sent, opened and clicked in the studio', () => {
  let root: string;
  let studio: Studio;
  let close: (() => Promise<void>) | undefined;
  const get = async (path: string) => {
    const response = await fetch(`${studio.url}${path}`);
    return { status: response.status, body: await response.text() };
  };
  const inbox = () => localInbox(studio.sesEndpoint);
  const reportPage = async () => (await get(`/reports/${LIST}/${ISSUE_ID}`)).body;
  const funnel = (page: string) => /aria-label="(Funnel: [^"]+)"/.exec(page)?.[1] ?? '';
  /** A member's page in the studio, found by the Subscribers page's address search. */
  const personPage = async (address: string) => {
    const list = await get(`/subscribers/${LIST}?q=${encodeURIComponent(address)}`);
    const href = /<td class="mono addr"><a href="([^"]+)">/.exec(list.body)?.[1];
    expect(href, `no row for ${address}`).toBeDefined();
    return (await get(href!.replace(/&amp;/g, '&'))).body;
  };

  beforeAll(async () => {
    ({ root, studio, close } = await startTrackingStudio('newsbrief-audience-report-', LIST, { ratePerSecond: 500 }));
    await studio.deps.store.createMany(MEMBERS, new Date().toISOString());
    writeFileSync(
      join(root, 'briefs', 'premium.json'),
      JSON.stringify({
        version: 1,
        id: ISSUE_ID,
        list: LIST,
        subject: 'For premium readers in DE and AT',
        audience: { tags: ['premium'], fields: { country: ['DE', 'AT'] } },
        stories: [
          { headline: 'Hello {{firstName|reader}}', paragraphs: [`Read [the first story](${FIRST}).`] },
          { headline: 'Second', paragraphs: [`Then [the second story](${SECOND}).`] },
        ],
      }),
    );
  }, patience(60_000));

  afterAll(async () => {
    await close?.();
  });

  it(
    'matches two members, sends to them, and the report and Subscribers page show who got it, opened it and clicked what',
    async () => {
      const brief = await until(
        () => get('/brief/premium.json'),
        (p) => p.status === 200 && p.body.includes('send-confirm'),
      );
      expect(brief.body).toMatch(/<input type="hidden" name="recipients" value="2">/);
      const sent = await fetch(`${studio.url}/brief/premium.json/send`, {
        method: 'POST',
        headers: { 'x-newsbrief-studio': '1', 'content-type': 'application/x-www-form-urlencoded' },
        body: `list=${LIST}&recipients=2&start=now`,
      });
      expect(sent.status, await sent.clone().text()).toBe(202);
      const mail = await until(inbox, (emails) => emails.length >= 2);
      await until(reportPage, (page) => funnel(page).includes('Sent 2 ('));
      const sentBy = Date.now();
      expect(mail.flatMap((m) => m.destination.to.map(addressOf)).sort()).toEqual(['at-vip@example.org', 'de-premium@example.org']);

      // Dora opens the issue (the studio's pixel stands in for SES's) and clicks the second story once a person
      // could have: a click within SCANNER_WINDOW_MS of the send is a link scanner's by timing.
      const html = mail.find((m) => m.destination.to.map(addressOf).includes('de-premium@example.org'))!.body.html.replace(/&amp;/g, '&');
      expect((await fetch(/<img src="([^"]+\/t\/o\/[^"]+)"/.exec(html)![1]!)).status).toBe(200);
      const second = [...html.matchAll(/href="([^"]+\/t\/c\/[^"]+)"/g)]
        .map((m) => m[1]!)
        .find((h) => h.includes(encodeURIComponent(SECOND)))!;
      await until(
        () => Date.now(),
        (now) => now - sentBy > SCANNER_WINDOW_MS,
      );
      const clicked = await fetch(second, { redirect: 'manual' });
      expect([clicked.status, clicked.headers.get('location')]).toEqual([302, SECOND]);

      const page = await reportPage();
      expect(page).toContain('Audience: <strong>tagged premium, and country DE or AT</strong> — 2 matched');
      expect(funnel(page)).toMatch(/^Funnel: Matched 2; Sent 2 \(100 %\); Delivered 2 \(100 %\); Opened 1 \(50 %\); Clicked 1 \(50 %\)\.$/);
      // Clicked what: the second story's link, by its position and text, with one reader; the first with none.
      const links = /aria-label="(Top links by readers who clicked: [^"]+)"/.exec(page)?.[1] ?? '';
      expect(links).toMatch(/#\d+, the second story: 1;/);
      expect(links).toMatch(/#\d+, the first story: 0\b/);

      const dora = await personPage('de-premium');
      const row = /<tr data-issue="premium-dach-1">([\s\S]*?)<\/tr>/.exec(dora)?.[1] ?? '';
      expect(row).toMatch(/<td data-label="Received">sent /);
      expect(row).toContain('<td data-label="Opened">yes</td>');
      expect(row).toMatch(/<td data-label="Clicked"><ul class="plain"><li>#\d+ the second story<\/li><\/ul><\/td>/);
      const other = /<tr data-issue="premium-dach-1">([\s\S]*?)<\/tr>/.exec(await personPage('at-vip'))?.[1] ?? '';
      expect(other).toMatch(/<td data-label="Received">sent /);
      expect(other).toContain('<td data-label="Opened">no</td>');
      expect(other).toContain('<td data-label="Clicked">no</td>');
      for (const outside of ['fr-premium', 'de-free', 'at-gone', 'plain'])
        expect(await personPage(outside), outside).toContain('data-testid="person-issues-none"');
    },
    patience(90_000),
  );
});
