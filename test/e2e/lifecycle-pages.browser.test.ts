/**
 * The lifecycle pages in a real browser (Debian Chromium via playwright-core), served by the local studio with
 * the same endpoint as on AWS: a right-to-left list (Arabic) and a left-to-right one in another language than
 * English (German), each through the form, the confirmation mail, the confirm button and the unsubscribe
 * button, plus the page for a link that does not verify. Screenshots (375 px) go to a temporary folder.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { lifecyclePhrasesFor } from '../../src/render/lifecycle-phrases.js';
import { type Studio, startStudio } from '../../src/studio/studio.js';
import { launchChromium, skipWithoutChromium } from '../support/browser.js';
import { patience } from '../support/patience.js';

const SHOTS = process.env.NEWSBRIEF_SCREENSHOTS ?? mkdtempSync(join(tmpdir(), 'newsbrief-lifecycle-shots-'));

/** What the browser sees of the page: its language and direction, and how its heading is laid out. */
interface Layout {
  readonly lang: string;
  readonly dir: string;
  readonly heading: string;
  readonly headingDirection: string;
  /** The heading's text hugs the right edge of its box (right-to-left) or the left (left-to-right). */
  readonly headingSide: 'left' | 'right';
  /** Wider than the viewport: the reader would have to scroll sideways. */
  readonly overflows: boolean;
}

function layoutOf(page: Page): Promise<Layout> {
  return page.evaluate(() => {
    const h1 = document.querySelector('h1')!;
    const box = h1.getBoundingClientRect();
    const range = document.createRange();
    range.selectNodeContents(h1);
    const text = range.getBoundingClientRect();
    return {
      lang: document.documentElement.lang,
      dir: document.documentElement.dir,
      heading: h1.textContent ?? '',
      headingDirection: getComputedStyle(h1).direction,
      headingSide: box.right - text.right < text.left - box.left ? ('right' as const) : ('left' as const),
      overflows: document.documentElement.scrollWidth > document.documentElement.clientWidth,
    };
  });
}

describe.skipIf(skipWithoutChromium())('lifecycle pages in the list language, in a browser', () => {
  let root: string;
  let studio: Studio;
  let browser: Browser;
  let page: Page;

  beforeAll(async () => {
    root = mkdtempSync(join(tmpdir(), 'newsbrief-lifecycle-'));
    mkdirSync(join(root, 'briefs'));
    // The example lists (the first one English), plus a German one.
    const lists = JSON.parse(readFileSync(new URL('../../config/lists.json', import.meta.url), 'utf8')) as {
      lists: Record<string, unknown>[];
    };
    const weekly = lists.lists.find((l) => l.id === 'weekly')!;
    lists.lists.push({
      ...weekly,
      id: 'wochenbrief',
      displayName: 'Der Wochenbrief',
      locale: 'de',
      from: 'Der Wochenbrief <woche@news.example.com>',
    });
    const listsFile = join(root, 'lists.json');
    writeFileSync(listsFile, JSON.stringify(lists));
    studio = await startStudio({ briefsDir: join(root, 'briefs'), stateDir: join(root, 'state'), port: 0, seedCsv: null, listsFile });
    browser = await launchChromium();
    page = await browser.newPage({ viewport: { width: 375, height: 800 } });
    console.log(`lifecycle screenshots: ${SHOTS}`);
  }, patience(60_000));

  afterAll(async () => {
    await browser?.close();
    await studio?.close();
    rmSync(root, { recursive: true, force: true });
  });

  /** The newest confirmation mail to `to`, once it is in the local inbox. */
  async function mailTo(to: string): Promise<{ subject: string; html: string }> {
    let found: { subject: string; body: { html: string } } | undefined;
    await expect
      .poll(
        async () => {
          const { emails } = (await (await fetch(`${studio.sesEndpoint}/store`)).json()) as {
            emails: { subject: string; body: { html: string }; destination: { to: string[] } }[];
          };
          found = emails.filter((m) => m.destination.to.some((t) => t.includes(to))).at(-1);
          return found !== undefined;
        },
        { timeout: patience(10_000) },
      )
      .toBe(true);
    return { subject: found!.subject, html: found!.body.html };
  }

  const linkIn = (html: string, path: string) => {
    const href = new RegExp(`href="([^"]*/${path}\\?t=[^"]+)"`).exec(html)?.[1];
    if (!href) throw new Error(`no ${path} link in the mail`);
    return href.replace(/&amp;/g, '&');
  };

  it.each([
    { list: 'arabic-weekly', locale: 'ar', dir: 'rtl', side: 'right', name: 'الموجز الأسبوعي' },
    { list: 'wochenbrief', locale: 'de', dir: 'ltr', side: 'left', name: 'Der Wochenbrief' },
  ] as const)('takes a $locale reader from the form to confirmed and out again, every page in $locale ($dir)', async (c) => {
    const words = lifecyclePhrasesFor(c.locale);
    const expectPage = async (heading: string, shot?: string) => {
      const layout = await layoutOf(page);
      expect(layout).toEqual({ lang: c.locale, dir: c.dir, heading, headingDirection: c.dir, headingSide: c.side, overflows: false });
      if (shot) await page.screenshot({ path: join(SHOTS, shot), fullPage: true });
    };
    const plain = (text: string) => text.replace(/[\u2068\u2069]/g, '');

    await page.goto(`${studio.url}/subscribe?list=${c.list}`);
    await expectPage(words.text('subscribeTitle'), `${c.locale}-subscribe-375.png`);
    expect(await page.locator('label', { hasText: words.text('emailLabel') }).count()).toBe(1);

    // A wrong address first: the problem in the list's language, next to its field.
    const email = `reader.${c.locale}@example.org`;
    await page.fill('input[name=email]', 'not-an-address');
    await page.evaluate(() => document.querySelector('form')!.setAttribute('novalidate', ''));
    await page.click('button[type=submit]');
    await expectPage(words.text('checkFormTitle'), `${c.locale}-form-problem-375.png`);
    expect(plain((await page.locator('#email-problem').textContent()) ?? '')).toBe(
      plain(words.text('emailLooksWrong', { example: 'name@example.com' })),
    );

    await page.fill('input[name=email]', email);
    await page.click('button[type=submit]');
    await expectPage(words.text('checkInboxTitle'));
    expect(await page.locator('main p').first().textContent()).toBe(plain(words.text('checkInboxMessage', { list: c.name })));

    // The confirmation mail: the list's language and direction, no web copy.
    const mail = await mailTo(email);
    expect(mail.subject).toBe(words.text('confirmMailSubject', { list: c.name }));
    const mailPage = await browser.newPage({ viewport: { width: 375, height: 800 } });
    await mailPage.setContent(mail.html);
    expect(await mailPage.evaluate(() => [document.documentElement.lang, document.documentElement.dir])).toEqual([c.locale, c.dir]);
    expect(await mailPage.locator('text=View in browser').count()).toBe(0);
    if (c.locale === 'ar') await mailPage.screenshot({ path: join(SHOTS, 'ar-confirmation-mail-375.png'), fullPage: true });
    await mailPage.close();

    // The confirm link asks first; its button confirms.
    await page.goto(linkIn(mail.html, 'confirm'));
    await expectPage(plain(words.text('confirmAskTitle', { list: c.name })), `${c.locale}-confirm-375.png`);
    await page.click(`button:has-text("${words.text('confirmButton')}")`);
    await expectPage(words.text('confirmedTitle'));
    await expect.poll(async () => (await studio.deps.store.get(c.list, email))?.status).toBe('subscribed');

    // The mail's unsubscribe link, then its button.
    await page.goto(linkIn(mail.html, 'unsubscribe'));
    await expectPage(plain(words.text('unsubscribeAskTitle', { list: c.name })), `${c.locale}-unsubscribe-375.png`);
    expect(await page.locator('main p bdi').count()).toBe(c.dir === 'rtl' ? 2 : 0);
    await page.click(`button:has-text("${words.text('unsubscribeButton')}")`);
    await expectPage(words.text('unsubscribedTitle'));
    expect((await studio.deps.store.get(c.list, email))!.status).toBe('unsubscribed');
  });

  it('answers a link that does not verify in every language of the lists, each block in its own direction', async () => {
    const response = await page.goto(`${studio.url}/confirm?t=v1.forged`);
    expect(response!.status()).toBe(400);
    const blocks = await page.evaluate(() =>
      [...document.querySelectorAll('main > section')].map((s) => ({
        lang: s.getAttribute('lang') ?? document.documentElement.lang,
        direction: getComputedStyle(s).direction,
        heading: s.querySelector('h1')!.textContent,
      })),
    );
    expect(blocks).toEqual([
      { lang: 'en', direction: 'ltr', heading: 'This link is not valid' },
      { lang: 'ar', direction: 'rtl', heading: lifecyclePhrasesFor('ar').text('invalidLinkTitle') },
      { lang: 'de', direction: 'ltr', heading: lifecyclePhrasesFor('de').text('invalidLinkTitle') },
    ]);
    await page.screenshot({ path: join(SHOTS, 'invalid-link-375.png'), fullPage: true });
  });
});
