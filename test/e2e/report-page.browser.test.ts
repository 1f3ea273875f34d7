/**
 * The report pages in a real browser (Debian Chromium via playwright-core), served by the local studio after a
 * real local send: a reader leaves through the issue's unsubscribe link (twice), and the issue's page at 375 and
 * 600 px shows it, with the opens made through the studio's pixel, every chart present and named, no console
 * error (a CSP refusal of the inline stylesheet would be one), and nothing wider than the screen. Also a page of
 * 100,000 opens and clicks, the README's sample issue sent to an audience, and the list page. Screenshots go to
 * NEWSBRIEF_SCREENSHOTS or a temporary folder; scripts/screenshot-report.ts draws the README's copies (docs/report*.png).
 */
import { mkdtempSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_BREAKER_POLICY } from '../../src/config/breaker-policy.js';
import { ZERO_FEEDBACK } from '../../src/feedback/feedback-counts.js';
import { issueReportHtml } from '../../src/report/issue-report-html.js';
import type { Studio } from '../../src/studio/studio.js';
import { launchChromium, skipWithoutChromium } from '../support/browser.js';
import { patience } from '../support/patience.js';
import { sampleIssueReportHtml } from '../support/sample-report.js';
import { startTrackingStudio } from '../support/tracking-studio.js';

const SHOTS = process.env.NEWSBRIEF_SCREENSHOTS ?? mkdtempSync(join(tmpdir(), 'newsbrief-report-shots-'));
const READERS = 'email,firstName\nada@example.com,Ada\ngrace@example.org,Grace\nlin@example.net,Lin\n';
const BRIEF = JSON.stringify({
  version: 1,
  id: '2026-03-02',
  list: 'weekly',
  subject: 'The week in three stories',
  stories: [{ headline: 'Hello {{firstName|friend}}', paragraphs: ['Text.'], link: { text: 'Read more', href: 'https://example.org/a' } }],
});

/** What the browser says about a report page. */
interface Seen {
  readonly charts: readonly { readonly chart: string; readonly name: string; readonly title: string }[];
  readonly overflows: boolean;
  /** What sticks out to the right, if anything (for the failure message). */
  readonly wide: readonly string[];
  readonly background: string;
  readonly tables: number;
}

function seen(page: Page): Promise<Seen> {
  return page.evaluate(() => ({
    charts: [...document.querySelectorAll('svg[role="img"]')].map((svg) => ({
      chart: svg.getAttribute('data-chart') ?? '',
      name: svg.getAttribute('aria-label') ?? '',
      title: svg.querySelector('title')?.textContent ?? '',
    })),
    overflows: document.documentElement.scrollWidth > document.documentElement.clientWidth,
    wide: [...document.querySelectorAll('body *')]
      .filter((e) => e.getBoundingClientRect().right > document.documentElement.clientWidth + 0.5)
      .map((e) => `${e.tagName}.${e.getAttribute('class') ?? ''} ${Math.round(e.getBoundingClientRect().right)}`)
      .slice(0, 5),
    background: getComputedStyle(document.body).backgroundColor,
    tables: document.querySelectorAll('table').length,
  }));
}

describe.skipIf(skipWithoutChromium())('report pages in a browser', () => {
  let studio: Studio;
  let close: (() => Promise<void>) | undefined;
  let browser: Browser;
  const errors: string[] = [];

  async function open(width: number, url?: string, content?: string): Promise<Page> {
    const page = await browser.newPage({ viewport: { width, height: 900 } });
    page.on('console', (m) => {
      if (m.type() === 'error' || m.type() === 'warning') errors.push(`${width}px ${m.text()}`);
    });
    page.on('pageerror', (e) => errors.push(`${width}px ${e.message}`));
    if (url) expect((await page.goto(url))!.status()).toBe(200);
    if (content) await page.setContent(content);
    return page;
  }

  beforeAll(async () => {
    // The three readers and the brief are there from the start, with opens and clicks tracked on weekly.
    ({ studio, close } = await startTrackingStudio('newsbrief-report-page-', 'weekly', {
      readersCsv: READERS,
      briefs: { 'issue.json': BRIEF },
      ratePerSecond: 500,
    }));
    browser = await launchChromium();
    console.log(`report screenshots: ${SHOTS}`);
  }, patience(60_000));

  afterAll(async () => {
    await browser?.close();
    await close?.();
  });

  it('counts an unsubscribe on the issue whose link was used, once per reader', async () => {
    const sent = await fetch(`${studio.url}/brief/issue.json/send`, {
      method: 'POST',
      headers: { 'x-newsbrief-studio': '1', 'content-type': 'application/x-www-form-urlencoded' },
      body: 'list=weekly&recipients=3&start=now',
    });
    expect(sent.status, await sent.clone().text()).toBe(202);
    let mails: { body: { html: string }; destination: { to: string[] } }[] = [];
    await expect
      .poll(
        async () => {
          mails = ((await (await fetch(`${studio.sesEndpoint}/store`)).json()) as { emails: typeof mails }).emails;
          return mails.length;
        },
        { timeout: patience(15_000) },
      )
      .toBe(3);
    const htmlOf = (address: string) =>
      mails.find((m) => m.destination.to.some((t) => t.includes(address)))!.body.html.replace(/&amp;/g, '&');
    const link = /href="([^"]*\/unsubscribe\?t=[^"]+)"/.exec(htmlOf('ada@example.com'))![1]!;
    // Two readers open it (the studio's pixel stands in for SES's open tracking).
    for (const address of ['ada@example.com', 'grace@example.org']) {
      const pixel = /<img src="([^"]+\/t\/o\/[^"]+)"/.exec(htmlOf(address))![1]!;
      expect((await fetch(pixel)).status).toBe(200);
    }

    // The mail client's one-click, then the reader's own click on the page's button: one reader, one count.
    expect((await fetch(link, { method: 'POST', body: 'List-Unsubscribe=One-Click' })).status).toBe(200);
    expect((await fetch(link, { method: 'POST', body: '' })).status).toBe(200);

    const html = await (await fetch(`${studio.url}/reports/weekly/2026-03-02`)).text();
    expect(html).toMatch(/Unsubscribed 1\b/);
    expect(html).toContain('Opened 2 (66.7 %)');
    expect(html).toContain('The week in three stories');
    // The brief's page links to the report once it was sent.
    expect(await (await fetch(`${studio.url}/brief/issue.json`)).text()).toContain('href="/reports/weekly/2026-03-02"');
  });

  it.each([375, 600])('shows the issue at %i px: every chart named with its figures, styled, no console error', async (width) => {
    const url = `${studio.url}/reports/weekly/2026-03-02`;
    const response = await fetch(url);
    expect(response.headers.get('content-security-policy')).toMatch(/^default-src 'none'; style-src 'sha256-/);
    const page = await open(width, url);
    const s = await seen(page);
    expect(s.charts.map((c) => c.chart)).toEqual(['funnel', 'dropped', 'hourly', 'links', 'bounces', 'breaker']);
    for (const chart of s.charts) {
      expect(chart.name).toMatch(/\d/);
      expect(chart.title).toBe(chart.name);
    }
    expect(s.charts[0]!.name).toMatch(
      /^Funnel: Matched 3; Sent 3 \(100 %\); Delivered \d+\b.*; Opened 2 \(66\.7 %\); Clicked 0 \(0 %\)\.$/,
    );
    expect(s.charts[1]!.name).toContain('Unsubscribed 1 (33.3 %)');
    expect(s.charts[2]!.name).toBe('Opens and clicks in the first 48 hours: 2 opens and 0 clicks; most opens in hour 0 (2).');
    expect(s.overflows, s.wide.join(', ')).toBe(false);
    expect(s.background).toBe('rgb(247, 247, 245)'); // the inline stylesheet applied under the CSP
    expect(s.tables).toBe(4); // the funnel's, the hours' and the bounces' figures for screen readers, and the links
    await page.screenshot({ path: join(SHOTS, `issue-report-light-${width}.png`), fullPage: true });
    await page.emulateMedia({ colorScheme: 'dark' });
    expect((await seen(page)).background).toBe('rgb(20, 21, 24)');
    await page.screenshot({ path: join(SHOTS, `issue-report-dark-${width}.png`), fullPage: true });
    await page.close();
    expect(errors).toEqual([]);
  });

  it('draws 100,000 opens and clicks over 48 hours at 375 px without an error', async () => {
    const counts = {
      planned: 100_000,
      sent: 100_000,
      failed: 0,
      unknown: 0,
      ...ZERO_FEEDBACK,
      delivered: 99_000,
      bounced: 900,
      softBounced: 100,
      unsubscribed: 240,
    };
    const hourly = Array.from({ length: 48 }, (_, h) => ({ opens: Math.round(20_000 / (h + 1)), clicks: Math.round(6_000 / (h + 1)) }));
    const page = await open(
      375,
      undefined,
      issueReportHtml(
        {
          format: 'newsbrief/issue-report@1',
          list: 'weekly',
          id: 'big',
          generatedAt: '2026-03-04T10:00:00.000Z',
          planComplete: true,
          counts,
          rates: { bounce: 0.009, complaint: 0 },
          breaker: { policy: DEFAULT_BREAKER_POLICY },
        },
        {
          engagement: {
            opened: 100_000 - 58_000,
            clicked: 12_000,
            hourly,
            links: Array.from({ length: 12 }, (_, i) => ({
              position: `story ${i + 1}`,
              text: `A long link text number ${i + 1} that wraps`,
              url: `https://example.org/${i}`,
              clicks: 5000 - i * 300,
            })),
          },
        },
      ),
    );
    const s = await seen(page);
    expect(s.charts.map((c) => c.chart)).toEqual(['funnel', 'dropped', 'hourly', 'links', 'bounces', 'breaker']);
    expect(s.charts[2]!.name).toMatch(
      /^Opens and clicks in the first 48 hours: [\d,]+ opens and [\d,]+ clicks; most opens in hour 0 \(20,000\)\.$/,
    );
    expect(s.overflows, s.wide.join(', ')).toBe(false);
    await page.screenshot({ path: join(SHOTS, 'issue-report-100k-375.png'), fullPage: true });
    await page.close();
    expect(errors).toEqual([]);
  });

  it.each([375, 600])(
    "draws the README's sample issue (sent to an audience) light at %i px: audience and matched shown, nothing too wide",
    async (width) => {
      const page = await open(width, undefined, sampleIssueReportHtml());
      expect(await page.getByTestId('audience').textContent()).toBe(
        'Audience: tagged premium or vip, and country DE or AT — 2,727 matched',
      );
      expect((await seen(page)).charts[0]!.name).toMatch(/^Funnel: Matched 2,727; Sent 2,718 \(99\.7 %\);/);
      expect((await seen(page)).overflows).toBe(false);
      // The README's copies are drawn by scripts/screenshot-report.ts from this same page.
      const file = join(SHOTS, `report-sample-${width}.png`);
      await page.screenshot({ path: file, fullPage: true });
      expect(statSync(file).size).toBeLessThan(250_000);
      await page.close();
      expect(errors).toEqual([]);
    },
  );

  it("compares the list's issues on the list page", async () => {
    const page = await open(375, `${studio.url}/reports/weekly`);
    const s = await seen(page);
    expect(s.charts.map((c) => c.chart)).toEqual(['opens', 'clicks', 'unsubscribes']);
    expect(s.charts[0]!.name).toBe('Open rate per issue: 2026-03-02: 66.7 %.');
    expect(s.charts[2]!.name).toBe('Unsubscribes per issue: 2026-03-02: 1.');
    await page.getByRole('link', { name: '2026-03-02' }).click();
    await page.waitForURL(/\/reports\/weekly\/2026-03-02$/);
    expect(await page.locator('h1').textContent()).toBe('The week in three stories');
    expect(s.overflows, s.wide.join(', ')).toBe(false);
    await page.close();
    expect(errors).toEqual([]);
  });
});
