/**
 * The studio in a real browser (Debian Chromium via playwright-core): the index, an invalid brief's
 * problems, live reload after an edit, light and dark previews, and a send with progress that lands in the
 * local inbox. Screenshots go to a temporary folder (printed) for people to look at.
 */
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startStudio, type Studio } from '../../src/studio/studio.js';
import { launchChromium, skipWithoutChromium } from '../support/browser.js';
import { FIXTURES } from '../support/fixtures.js';
import { patience } from '../support/patience.js';

const SHOTS = process.env.NEWSBRIEF_SCREENSHOTS ?? mkdtempSync(join(tmpdir(), 'newsbrief-studio-shots-'));

describe.skipIf(skipWithoutChromium())('the studio in a browser', () => {
  let root: string;
  let studio: Studio;
  let browser: Browser;
  let page: Page;
  const cspViolations: string[] = [];

  beforeAll(async () => {
    root = mkdtempSync(join(tmpdir(), 'newsbrief-studio-'));
    const briefs = join(root, 'briefs');
    mkdirSync(briefs);
    for (const file of readdirSync(join(FIXTURES, 'valid'))) copyFileSync(join(FIXTURES, 'valid', file), join(briefs, file));
    copyFileSync(join(FIXTURES, 'invalid', 'several-problems.json'), join(briefs, 'several-problems.json'));
    // A modest rate, so that progress has several steps to show.
    studio = await startStudio({ briefsDir: briefs, stateDir: join(root, 'state'), port: 0, ratePerSecond: 30 });
    browser = await launchChromium();
    page = await browser.newPage({ viewport: { width: 1320, height: 900 } });
    // The pages' stylesheet and script are files under a CSP without 'unsafe-inline': anything left inline shows here.
    page.on('console', (message) => {
      if (message.type() === 'error' && /Content Security Policy/i.test(message.text())) cspViolations.push(message.text());
    });
    console.log(`studio screenshots: ${SHOTS}`);
  });

  afterAll(async () => {
    await browser?.close();
    await studio?.close();
    rmSync(root, { recursive: true, force: true });
  });

  it('lists every example brief with its status', async () => {
    await page.goto(`${studio.url}/`);
    const rows = page.locator('[data-testid=briefs] tbody tr');
    await expect.poll(() => rows.count()).toBe(6);
    const files = await rows.evaluateAll((trs) => trs.map((tr) => tr.getAttribute('data-file')));
    expect(files).toEqual([
      'digest-three-stories.json',
      'minimal.json',
      'oracle-tiktok.json',
      'rtl-arabic.json',
      'several-problems.json',
      'special-characters.json',
    ]);
    expect(await page.locator('tr[data-file="several-problems.json"] .badge').textContent()).toBe('invalid');
    expect(await page.locator('tr[data-file="oracle-tiktok.json"] .badge').textContent()).toBe('valid');
    await page.screenshot({ path: join(SHOTS, 'index.png'), fullPage: true });
  });

  it('shows an invalid brief’s problems with their JSON Pointers', async () => {
    await page.goto(`${studio.url}/brief/several-problems.json`);
    const problems = page.locator('[data-testid=problems]');
    const pointers = await problems.locator('td.pointer code').allTextContents();
    expect(pointers).toEqual(['/list', '/subject', '/stories/0/paragraphs/0']);
    expect(await page.locator('#send').count()).toBe(0);
    await page.screenshot({ path: join(SHOTS, 'invalid.png'), fullPage: true });
  });

  it('shows desktop and phone previews, light and dark, and the plain-text part', async () => {
    await page.goto(`${studio.url}/brief/oracle-tiktok.json`);
    const frames = page.locator('.previews iframe');
    expect(await frames.evaluateAll((list) => list.map((f) => f.getAttribute('data-width')))).toEqual(['600', '375']);
    const phone = page.frameLocator('iframe[data-width="375"]');
    await expect.poll(() => phone.locator('h1').first().textContent()).toContain('Oracle confirms');
    expect(await page.locator('[data-testid=text]').textContent()).toMatch(/what does it mean\?/i);
    await page.waitForTimeout(300); // the frames size themselves to their emails on load
    await page.screenshot({ path: join(SHOTS, 'brief-light.png'), fullPage: true });
    await page.screenshot({ path: join(SHOTS, 'studio.png') });

    await page.goto(`${studio.url}/brief/oracle-tiktok.json?scheme=dark`);
    const background = await page
      .frameLocator('iframe[data-width="600"]')
      .locator('body')
      .evaluate((body) => getComputedStyle(body).backgroundColor);
    expect(background).toBe('rgb(18, 18, 18)');
    await page.waitForTimeout(300);
    await page.screenshot({ path: join(SHOTS, 'brief-dark.png'), fullPage: true });
  });

  it('updates the preview within a moment of saving the brief (live reload)', async () => {
    await page.goto(`${studio.url}/brief/minimal.json`);
    await page.waitForFunction(() => document.querySelector('.live')?.classList.contains('on'));
    const file = join(root, 'briefs', 'minimal.json');
    const brief = JSON.parse(readFileSync(file, 'utf8')) as { subject: string; stories: { headline: string }[] };
    brief.subject = 'Edited while the studio watched';
    brief.stories[0]!.headline = 'A headline typed a moment ago';
    const saved = Date.now();
    writeFileSync(file, JSON.stringify(brief, null, 2));
    await page.waitForFunction(() => document.querySelector('h1')?.textContent === 'Edited while the studio watched', undefined, {
      timeout: patience(5_000),
    });
    const desktop = page.frameLocator('iframe[data-width="600"]');
    await expect.poll(() => desktop.locator('h1').first().textContent()).toBe('A headline typed a moment ago');
    console.log(`live reload: page updated ${Date.now() - saved} ms after the save`);

    // Breaking it shows the problems in place of the preview; fixing it brings the preview back.
    writeFileSync(file, JSON.stringify({ ...brief, subject: '' }));
    await page.waitForSelector('[data-testid=problems]', { timeout: patience(5_000) });
    expect(await page.locator('[data-testid=problems] td.pointer code').allTextContents()).toContain('/subject');
    writeFileSync(file, JSON.stringify(brief));
    await page.waitForSelector('.previews', { timeout: patience(5_000) });
  });

  it('sends to the list with progress, and the messages appear in the local inbox', async () => {
    await page.goto(`${studio.url}/brief/oracle-tiktok.json`);
    const seen: string[] = [];
    await page.exposeFunction('recordProgress', (text: string) => seen.push(text));
    await page.evaluate(() => {
      const text = document.getElementById('progress-text')!;
      new MutationObserver(() => (window as unknown as { recordProgress(t: string): void }).recordProgress(text.textContent ?? '')).observe(
        text,
        { childList: true, characterData: true, subtree: true },
      );
    });
    await page.click('#send');
    // Send asks first, naming the list and how many subscribers get it; nothing goes out before the answer.
    const confirmBox = page.locator('[data-testid=send-confirm]');
    await confirmBox.waitFor({ state: 'visible' });
    expect(await confirmBox.textContent()).toContain('Send to 6 subscribers of Future 50?');
    expect(await page.locator('#progress-text').textContent()).toBe('');
    await page.click('#send-confirm-yes');
    await page.waitForFunction(() => document.getElementById('progress-title')?.textContent === 'Done', undefined, {
      timeout: patience(20_000),
    });
    expect(await page.locator('#progress-text').textContent()).toContain('6 sent of 6, 0 skipped as already sent, 0 suppressed, 0 failed');
    expect(seen.some((t) => /^[1-5] sent of 6/.test(t))).toBe(true); // progress in between, not only the end
    expect(await page.locator('[data-testid=status]').textContent()).toBe('sent');
    await page.waitForTimeout(400); // the bar's width transition
    await page.screenshot({ path: join(SHOTS, 'sent.png') });

    const inbox = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    await inbox.goto(studio.inboxUrl);
    // biome-ignore lint/performance/useDomNodeTextContent: the text a reader sees (innerText), not hidden markup
    await inbox.waitForFunction(() => document.body.innerText.includes('Oracle confirms Bytedance-TikTok partnership in US'), undefined, {
      timeout: patience(10_000),
    });
    await inbox.screenshot({ path: join(SHOTS, 'inbox.png') });
    await inbox.close();

    await page.goto(`${studio.url}/`);
    expect(await page.locator('tr[data-file="oracle-tiktok.json"] .badge').textContent()).toBe('sent');
  });

  it('shows a scheduled brief’s time in UTC and local time, asks before scheduling it, and cancels the schedule', async () => {
    const at = new Date(Date.now() + 2 * 86_400_000);
    at.setUTCSeconds(0, 0);
    const brief = {
      ...(JSON.parse(readFileSync(join(FIXTURES, 'valid', 'minimal.json'), 'utf8')) as object),
      id: 'later-on',
      sendAt: at.toISOString(),
    };
    await page.goto('about:blank'); // the open index would reload itself when the new brief appears
    writeFileSync(join(root, 'briefs', 'later-on.json'), JSON.stringify(brief));
    await expect.poll(async () => (await fetch(`${studio.url}/brief/later-on.json`)).status).toBe(200);
    await page.goto(`${studio.url}/brief/later-on.json`);
    const utc = `${at.toISOString().slice(0, 10)} ${at.toISOString().slice(11, 16)} UTC`;
    expect(await page.locator('#send').textContent()).toBe(`Schedule for ${utc}`);

    await page.click('#send');
    const confirmBox = page.locator('[data-testid=send-confirm]');
    await confirmBox.waitFor({ state: 'visible' });
    expect(await confirmBox.textContent()).toMatch(new RegExp(`Schedule for \\d+ subscribers? of .+, to go out at ${utc}\\?`));
    // The local time, in the browser's own zone.
    const local = await page.evaluate((iso) => {
      const format = new Intl.DateTimeFormat('en-GB', {
        weekday: 'short',
        day: 'numeric',
        month: 'short',
        year: 'numeric',
        hour: '2-digit',
        minute: '2-digit',
      });
      return `${format.format(new Date(iso))} ${Intl.DateTimeFormat().resolvedOptions().timeZone}`;
    }, at.toISOString());
    expect(await confirmBox.locator('time').textContent()).toBe(local);
    await page.screenshot({ path: join(SHOTS, 'schedule-confirm.png') });

    await page.click('#send-confirm-yes');
    await page.waitForSelector('[data-testid=schedule]', { timeout: 10_000 });
    expect(await page.locator('[data-testid=status]').textContent()).toBe('scheduled');
    expect(studio.deps.scheduler.pending().map((s) => s.message.issue.id)).toEqual(['later-on']);
    await page.screenshot({ path: join(SHOTS, 'scheduled.png') });

    page.once('dialog', (dialog) => void dialog.accept());
    await page.click('[data-issue-action=unschedule]');
    await expect.poll(() => studio.deps.scheduler.pending().length).toBe(0);
    await page.waitForSelector('[data-testid=schedule]', { state: 'detached', timeout: 10_000 });
    expect(cspViolations).toEqual([]);
  });
});
