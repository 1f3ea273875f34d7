/**
 * The studio's Subscribers pages at list scale, over real HTTP against the local SQLite store: 2,100+ members
 * paged 50 at a time by cursor (no overlap, nothing lost, Previous leads back), search by address prefix,
 * filters by status, tag and field that return exactly the matching members (worked out from the population's
 * numbering, not by the code under test), a hostile name escaped. Then the studio end to end of an audience
 * send: the confirm step counts the audience, Send reaches exactly it, an open and a click from the local
 * inbox move the report page, and the person's page shows what they received, opened and clicked.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { localReportDeps } from '../../src/wiring/local-report-deps.js';
import type { SubscriberInput } from '../../src/model.js';
import { readIssueReport } from '../../src/report/issue-report.js';
import type { Studio } from '../../src/studio/studio.js';
import { population, populationMember } from '../support/audience-population.js';
import { addressOf, localInbox } from '../support/local-inbox.js';
import { patience } from '../support/patience.js';
import { startTrackingStudio } from '../support/tracking-studio.js';
import { until } from '../support/until.js';

const N = 2_100;
const LIST = 'weekly';
const HOSTILE_NAME = '<script>alert("x")</script>';
const HOSTILE_CITY = '"><img src=x onerror=alert(1)>';
const SPECIALS: SubscriberInput[] = [
  { list: LIST, email: 'insider1@example.net', firstName: 'Ins One', attributes: { tags: 'insider', country: 'DE' }, status: 'subscribed' },
  { list: LIST, email: 'Insider2@Example.net', attributes: { tags: 'insider;premium', country: 'de' }, status: 'subscribed' },
  { list: LIST, email: 'insider-fr@example.net', attributes: { tags: 'insider', country: 'FR' }, status: 'subscribed' },
  { list: LIST, email: 'insider-gone@example.net', attributes: { tags: 'insider', country: 'DE' }, status: 'unsubscribed' },
  {
    list: LIST,
    email: 'mallory@example.net',
    firstName: HOSTILE_NAME,
    attributes: { tags: 'insider', country: 'DE', city: HOSTILE_CITY },
    status: 'subscribed',
  },
];
const AUDIENCE_ADDRESSES = ['insider1@example.net', 'Insider2@Example.net', 'mallory@example.net'];
const LINK = 'https://example.com/insider-story?id=1';

/** The population's addresses whose number passes `keep`. */
const expected = (keep: (i: number) => boolean) =>
  new Set(
    Array.from({ length: N }, (_, i) => i)
      .filter(keep)
      .map((i) => populationMember(LIST, i).email),
  );

describe('the Subscribers pages and an audience send, in the studio', () => {
  let root: string;
  let studio: Studio;
  let close: (() => Promise<void>) | undefined;

  const get = async (path: string) => {
    const response = await fetch(`${studio.url}${path}`);
    return { status: response.status, body: await response.text() };
  };
  /** The member rows of a members page, and its next / previous links. */
  const pageOf = async (path: string) => {
    const { status, body } = await get(path);
    expect(status).toBe(200);
    const table = /<tbody>([\s\S]*?)<\/tbody>/.exec(body.slice(body.indexOf('data-testid="members"')))?.[1] ?? '';
    const rows = [...table.matchAll(/<td class="mono addr"><a href="([^"]+)">([^<]+)<\/a>/g)].map((m) => ({ href: m[1]!, email: m[2]! }));
    const link = (testid: string) => new RegExp(`data-testid="${testid}" href="([^"]+)"`).exec(body)?.[1]?.replace(/&amp;/g, '&');
    return {
      body,
      emails: rows.map((r) => r.email),
      hrefs: rows.map((r) => r.href),
      next: link('next-page'),
      previous: link('previous-page'),
    };
  };
  /** Every member a filtered path leads to, page by page through the Next links. */
  const walk = async (path: string) => {
    const seen: string[] = [];
    let pages = 0;
    for (let at: string | undefined = path; at; pages++) {
      const page = await pageOf(at);
      expect(page.emails.length).toBeLessThanOrEqual(50);
      if (page.next) expect(page.emails).toHaveLength(50);
      seen.push(...page.emails);
      at = page.next;
    }
    expect(new Set(seen).size).toBe(seen.length);
    return { emails: new Set(seen), pages };
  };

  beforeAll(async () => {
    ({ root, studio, close } = await startTrackingStudio('newsbrief-studio-subscribers-', LIST, { ratePerSecond: 500 }));
    await studio.deps.store.createMany([...population(LIST, N), ...SPECIALS], new Date().toISOString());
  }, patience(60_000));

  afterAll(async () => {
    await close?.();
  });

  describe('the Subscribers page at list scale', () => {
    it('shows each list with its counts by status', async () => {
      const { body } = await get('/subscribers');
      const subscribed = N - N / 10 + 4;
      expect(body).toContain(`href="/subscribers/${LIST}"`);
      expect(body).toContain(`<td class="num">${subscribed.toLocaleString('en-US')}</td>`);
      expect(body).toContain(`<td class="num">${(N + SPECIALS.length).toLocaleString('en-US')}</td>`);
    });

    it('pages 50 members at a time by cursor: the next 50 follow without overlap, Previous leads back, and the pages hold everyone once', async () => {
      const first = await pageOf(`/subscribers/${LIST}`);
      expect(first.emails).toHaveLength(50);
      expect(first.previous).toBeUndefined();
      expect(first.body).toContain(`${(N + SPECIALS.length).toLocaleString('en-US')} members`);
      const second = await pageOf(first.next!);
      expect(second.emails).toHaveLength(50);
      expect(second.emails.filter((e) => first.emails.includes(e))).toEqual([]);
      expect(second.emails[0]!.toLowerCase() > first.emails.at(-1)!.toLowerCase()).toBe(true);
      const third = await pageOf(second.next!);
      const back = await pageOf(third.previous!);
      expect(back.emails).toEqual(second.emails);
      expect((await pageOf(back.previous!)).emails).toEqual(first.emails);

      const all = await walk(`/subscribers/${LIST}`);
      expect(all.emails.size).toBe(N + SPECIALS.length);
      expect(all.pages).toBe(Math.ceil((N + SPECIALS.length) / 50));
    });

    it('finds one address by its start, in any case', async () => {
      expect((await pageOf(`/subscribers/${LIST}?q=member01234`)).emails).toEqual(['member01234@example.org']);
      expect((await pageOf(`/subscribers/${LIST}?q=INSIDER2`)).emails).toEqual(['Insider2@Example.net']);
      const ten = await pageOf(`/subscribers/${LIST}?q=Member0123`);
      expect(ten.emails).toEqual(Array.from({ length: 10 }, (_, i) => `member0123${i}@example.org`));
      const none = await pageOf(`/subscribers/${LIST}?q=nobody`);
      expect([none.emails, none.body.includes('No member matches.')]).toEqual([[], true]);
    });

    it('filters by status, tag and field to exactly the matching members, across pages', async () => {
      const unsubscribed = await walk(`/subscribers/${LIST}?status=unsubscribed`);
      expect(unsubscribed.emails).toEqual(new Set([...expected((i) => i % 10 === 9), 'insider-gone@example.net']));

      const vip = await walk(`/subscribers/${LIST}?tag=VIP`);
      expect(vip.emails).toEqual(expected((i) => i % 4 === 2));

      // 'AT' and 'at' are both stored: values compare in any case, as audiences do.
      const austria = await walk(`/subscribers/${LIST}?field=country&value=at`);
      expect(austria.emails).toEqual(expected((i) => i % 11 !== 0 && (i % 5 === 1 || i % 5 === 4)));

      const combined = await walk(`/subscribers/${LIST}?status=subscribed&tag=premium&field=country&value=DE`);
      expect(combined.emails).toEqual(
        new Set([...expected((i) => i % 10 !== 9 && (i % 4 === 0 || i % 4 === 2) && i % 11 !== 0 && i % 5 === 0), 'Insider2@Example.net']),
      );
      expect(combined.pages).toBeGreaterThan(1);
    });

    it('escapes a hostile name and field on the list and on the person page', async () => {
      const row = await pageOf(`/subscribers/${LIST}?q=mallory`);
      expect(row.emails).toEqual(['mallory@example.net']);
      expect(row.body).toContain('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;');
      expect(row.body).not.toContain(HOSTILE_NAME);
      const person = await get(row.hrefs[0]!);
      expect(person.status).toBe(200);
      expect(person.body).toContain('&lt;script&gt;');
      expect(person.body).toContain('&quot;&gt;&lt;img src=x onerror=alert(1)&gt;');
      expect(person.body).not.toContain(HOSTILE_NAME);
      expect(person.body).not.toContain('<img src=x');
    });

    it('answers 404 for an unknown list or member, and refuses a foreign Host like every studio page', async () => {
      expect((await get('/subscribers/no-such-list')).status).toBe(404);
      expect((await get(`/subscribers/${LIST}/member/no-such-id`)).status).toBe(404);
      const { request } = await import('node:http');
      const status = await new Promise<number>((resolve, reject) => {
        const req = request(`${studio.url}/subscribers/${LIST}`, { headers: { host: 'evil.example' } }, (res) => {
          res.resume();
          resolve(res.statusCode!);
        });
        req.on('error', reject);
        req.end();
      });
      expect(status).toBe(421);
    });
  });

  describe('an audience send, end to end in the studio', () => {
    const ISSUE_ID = 'insiders-1';
    const sendHeaders = { 'x-newsbrief-studio': '1', 'content-type': 'application/x-www-form-urlencoded' };
    const inbox = () => localInbox(studio.sesEndpoint);
    const funnel = async () => {
      const { status, body } = await get(`/reports/${LIST}/${ISSUE_ID}`);
      expect(status).toBe(200);
      return /aria-label="(Funnel: [^"]+)"/.exec(body)?.[1] ?? body;
    };
    const stored = async () =>
      (await readIssueReport(
        localReportDeps({ store: studio.deps.store, lists: studio.deps.lists, clock: studio.deps.clock, blobs: studio.deps.blobs }),
        { list: LIST, id: ISSUE_ID },
      ))!;

    it('asks to send to the audience counted, not to the whole list', async () => {
      writeFileSync(
        join(root, 'briefs', 'insiders.json'),
        JSON.stringify({
          version: 1,
          id: ISSUE_ID,
          list: LIST,
          subject: 'For insiders',
          audience: { tags: ['insider'], fields: { country: ['DE'] } },
          stories: [{ headline: 'Hello {{firstName|insider}}', paragraphs: [`Read [the insider story](${LINK}).`] }],
        }),
      );
      const page = await until(
        () => get('/brief/insiders.json'),
        (p) => p.status === 200 && p.body.includes('send-confirm'),
      );
      expect(page.body).toContain('Send to 3 subscribers of The Weekly Brief (tag insider, country DE)?');
      expect(page.body).toMatch(/<input type="hidden" name="recipients" value="3">/);
      expect(page.body).toContain('Send to The Weekly Brief (3 in its audience)');
    });

    it('sends to exactly the audience, and the report moves with an open and a click from the local inbox', async () => {
      const sent = await fetch(`${studio.url}/brief/insiders.json/send`, {
        method: 'POST',
        headers: sendHeaders,
        body: `list=${LIST}&recipients=3&start=now`,
      });
      expect(sent.status).toBe(202);
      const mail = await until(inbox, (emails) => emails.length >= 3);
      await until(
        () => stored(),
        (r) => r.planComplete && r.counts.sent === 3,
      );
      expect(
        mail
          .flatMap((m) => m.destination.to)
          .map(addressOf)
          .sort(),
      ).toEqual(AUDIENCE_ADDRESSES.map(addressOf).sort());
      const before = await funnel();
      // The report names the audience (read from the rendered issue) and calls the 3 planned "matched".
      expect(before).toContain('Matched 3;');
      expect((await get(`/reports/${LIST}/${ISSUE_ID}`)).body).toContain(
        'Audience: <strong>tagged insider, and country DE</strong> — 3 matched',
      );
      expect(before).toContain('Sent 3 (');
      expect(before).toContain('Opened 0');

      const html = mail.find((m) => m.destination.to.map(addressOf).includes('insider1@example.net'))!.body.html.replace(/&amp;/g, '&');
      const pixel = /<img src="([^"]+\/t\/o\/[^"]+)"/.exec(html)![1]!;
      const link = [...html.matchAll(/href="([^"]+\/t\/c\/[^"]+)"/g)].map((m) => m[1]!).find((h) => h.includes(encodeURIComponent(LINK)))!;
      expect((await fetch(pixel)).status).toBe(200);
      const clicked = await fetch(link, { redirect: 'manual' });
      expect([clicked.status, clicked.headers.get('location')]).toEqual([302, LINK]);

      const after = await funnel();
      expect(after).toContain('Opened 1 (');
      // A click seconds after the send is a link scanner's by timing (SCANNER_WINDOW_MS): the studio's clock is
      // not injected, so the stored counters are asserted, human and machine together: exactly one click, on the link.
      const engagement = (await stored()).engagement!;
      expect(engagement.opens).toEqual({ total: 1, unique: 1 });
      expect(engagement.clicks.total + engagement.machineClicks.total).toBe(1);
      const onLink = engagement.links.find((l) => l.url === LINK)!;
      expect(onLink.total + onLink.machine).toBe(1);
      if (engagement.clicks.total === 1) expect(after).toContain('Clicked 1 (');
      else expect(after).toContain('Clicked 0');
    });

    it("shows the person's history: received, opened, clicked; and nothing for someone outside the audience", async () => {
      const insider = await pageOf(`/subscribers/${LIST}?q=insider1`);
      const person = await get(insider.hrefs[0]!);
      const row = /<tr data-issue="insiders-1">([\s\S]*?)<\/tr>/.exec(person.body)?.[1];
      expect(row).toBeDefined();
      expect(row).toContain('sent');
      expect(row).toContain('<td data-label="Opened">yes</td>');
      expect(row).toMatch(/#1 the insider story|scanner only/);
      expect(person.body).toContain('<span class="chip">insider</span>');

      const outsider = await get((await pageOf(`/subscribers/${LIST}?q=insider-fr`)).hrefs[0]!);
      expect(outsider.body).toContain('data-testid="person-issues-none"');
    });

    it('shows how someone left: their status and when, and the issue whose link they used', async () => {
      const html = (await inbox())
        .find((m) => m.destination.to.map(addressOf).includes('insider2@example.net'))!
        .body.html.replace(/&amp;/g, '&');
      const unsubscribe = /href="([^"]+\/unsubscribe\?t=[^"]+)"/.exec(html)![1]!;
      const response = await fetch(unsubscribe, {
        method: 'POST',
        body: 'List-Unsubscribe=One-Click',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
      });
      expect(response.status).toBe(200);
      const person = await get((await pageOf(`/subscribers/${LIST}?q=insider2`)).hrefs[0]!);
      expect(person.body).toMatch(/unsubscribed since <span class="mono">\d{4}-\d\d-\d\dT/);
      expect(person.body).toContain('through the unsubscribe link of issue <code>insiders-1</code>');
    });
  });
});
