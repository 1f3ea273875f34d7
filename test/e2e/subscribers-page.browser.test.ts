/**
 * The studio's Subscribers pages in a real browser at phone width (375 px, Debian Chromium via playwright-core)
 * over 2,100 members: no sideways scrolling, a labelled search form that finds one address, table headers, a
 * Next link that leads on, a person's page, no console errors (CSP included). Screenshots go to a temporary
 * folder (printed) for people to look at.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Studio } from '../../src/studio/studio.js';
import { launchChromium, skipWithoutChromium } from '../support/browser.js';
import { population } from '../support/audience-population.js';
import { patience } from '../support/patience.js';
import { startTrackingStudio } from '../support/tracking-studio.js';

const SHOTS = process.env.NEWSBRIEF_SCREENSHOTS ?? mkdtempSync(join(tmpdir(), 'newsbrief-subscribers-shots-'));

const overflows = (page: Page) => page.evaluate(() => document.documentElement.scrollWidth > document.documentElement.clientWidth);

describe.skipIf(skipWithoutChromium())('the Subscribers pages at 375 px', () => {
  let studio: Studio;
  let close: (() => Promise<void>) | undefined;
  let browser: Browser;
  let page: Page;
  const errors: string[] = [];

  beforeAll(async () => {
    // Opens and clicks tracked for weekly, so that a person's page has those columns.
    ({ studio, close } = await startTrackingStudio('newsbrief-subscribers-browser-', 'weekly'));
    await studio.deps.store.createMany(
      [
        ...population('weekly', 2_100),
        {
          list: 'weekly',
          email: 'a.very.long.address.for.a.small.screen@subdomain.example.org',
          firstName: '<b>Bold</b> & "quoted"',
          attributes: { tags: 'premium;vip', country: 'DE', city: 'München' },
          status: 'subscribed',
        },
      ],
      new Date().toISOString(),
    );
    browser = await launchChromium();
    page = await browser.newPage({ viewport: { width: 375, height: 812 } });
    // Failed loads are judged by their URL (the browser's own favicon request is the studio's only 404).
    page.on('console', (message) => {
      if (message.type() === 'error' && !message.text().startsWith('Failed to load resource')) errors.push(message.text());
    });
    page.on('response', (response) => {
      if (response.status() >= 400 && new URL(response.url()).pathname !== '/favicon.ico')
        errors.push(`${response.status()} ${response.url()}`);
    });
    page.on('pageerror', (error) => errors.push(error.message));
    console.log(`subscribers screenshots: ${SHOTS}`);
  }, patience(60_000));

  afterAll(async () => {
    await browser?.close();
    await close?.();
  });

  it('shows the lists with their counts by status without sideways scrolling', async () => {
    await page.goto(`${studio.url}/subscribers`);
    await expect.poll(() => page.locator('[data-testid="lists"] tbody tr').count()).toBeGreaterThan(0);
    expect(await page.locator('[data-testid="lists"] thead th').first().textContent()).toBe('List');
    expect(await overflows(page)).toBe(false);
    await page.screenshot({ path: join(SHOTS, 'subscribers-lists-375.png'), fullPage: true });
  });

  it('shows a page of 50 members with headers and counts, readable without sideways scrolling', async () => {
    await page.goto(`${studio.url}/subscribers/weekly`);
    await expect.poll(() => page.locator('[data-testid="members"] tbody tr').count()).toBe(50);
    expect(await page.locator('[data-testid="members"] thead th').allTextContents()).toEqual(['Email', 'Name', 'Status', 'Tags']);
    expect(await page.locator('[data-testid="counts"]').textContent()).toContain('2,101 members: 1,891 subscribed');
    expect(await overflows(page)).toBe(false);
    await page.screenshot({ path: join(SHOTS, 'subscribers-375.png'), fullPage: true });
    await page.getByRole('link', { name: /Next 50/ }).click();
    await expect.poll(() => page.locator('[data-testid="members"] tbody tr').first().textContent()).toContain('member00049@example.org');
  });

  it('searches by a labelled field and filters by a labelled select', async () => {
    await page.goto(`${studio.url}/subscribers/weekly`);
    await page.getByLabel('Address starts with').fill('A.VERY.long');
    await page.getByLabel('Status').selectOption('subscribed');
    await page.getByRole('button', { name: 'Search' }).click();
    await expect.poll(() => page.locator('[data-testid="members"] tbody tr').count()).toBe(1);
    expect(new URL(page.url()).searchParams.get('q')).toBe('A.VERY.long');
    expect(await overflows(page)).toBe(false);
    await page.screenshot({ path: join(SHOTS, 'subscribers-search-375.png'), fullPage: true });
  });

  it("shows a person's page with data, tags and fields, escaped and readable", async () => {
    // Two issues in the ledger as a send leaves them (the store's own claims): one opened, one left through.
    const store = studio.deps.store;
    const member = (await store.get('weekly', 'a.very.long.address.for.a.small.screen@subdomain.example.org'))!;
    for (const [n, id] of ['2026-11-24-weekly-digest', '2026-12-01-weekly-digest'].entries()) {
      const issue = { list: 'weekly', id };
      const at = `2026-12-0${n + 1}T08:00:00.000Z`;
      await store.claimIssue(issue, { renderedKey: `rendered/${id}.json`, source: `${id}.json`, at });
      await store.claimDelivery(issue, member.id, { at, nowMs: Date.parse(at), holder: 'test', until: Date.parse(at) + 60_000 });
      await store.completeDelivery(issue, member.id, { status: 'sent', messageId: `m-${n}` }, at);
      await store.claimEngagement(issue, `engagement#reader#open#${n === 0 ? 'human' : 'machine'}#${member.id}`);
      if (n === 0) await store.claimEngagement(issue, `engagement#reader#click#machine#${member.id}`);
    }
    await page.getByRole('link', { name: 'a.very.long.address.for.a.small.screen@subdomain.example.org' }).click();
    await expect.poll(() => page.locator('[data-testid="person-email"]').textContent()).toContain('a.very.long.address');
    expect(await page.locator('dl.facts dd').nth(1).textContent()).toBe('<b>Bold</b> & "quoted"');
    expect(await page.locator('[data-testid="person-tags"] .chip').allTextContents()).toEqual(['premium', 'vip']);
    expect(await page.locator('[data-testid="person-fields"] tbody th').allTextContents()).toEqual(['country', 'city']);
    const issues = page.locator('[data-testid="person-issues"] tbody tr');
    expect(await issues.count()).toBe(2);
    expect(await issues.first().locator('td').allTextContents()).toEqual([expect.stringContaining('sent'), 'machine open only', 'no']);
    expect(await issues.last().locator('td').allTextContents()).toEqual([expect.stringContaining('sent'), 'yes', 'scanner only']);
    expect(await overflows(page)).toBe(false);
    await page.screenshot({ path: join(SHOTS, 'subscriber-person-375.png'), fullPage: true });
    expect(errors).toEqual([]);
  });
});
