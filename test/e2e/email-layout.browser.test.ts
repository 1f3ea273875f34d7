/**
 * The rendered examples in a real browser: no sideways scrolling at phone to desktop widths, readable type
 * on phones, enough contrast, and a dark scheme that really is dark. Needs Debian's chromium; CI installs it.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { contrastRatio } from '../../src/config/colour-contrast.js';
import { renderIssue } from '../../src/render/render-issue.js';
import { fillTemplate } from '../../src/render/slots.js';
import { launchChromium, skipWithoutChromium } from '../support/browser.js';
import { briefText, exampleFiles, KNOWN_LISTS, LISTS, validExample } from '../support/fixtures.js';
import { parseBrief } from '../../src/brief/parse-brief.js';
import { LANGUAGES, type ValidBrief } from '../../src/brief/brief-schema.js';

const reader = {
  firstName: 'Maximiliana-Alexandrina',
  email: 'maximiliana.alexandrina@example.com',
  unsubscribeUrl:
    'https://news.example.com/unsubscribe?t=v1.k1.eyJsIjoid2Vla2x5IiwicyI6InN1Yi0xIn0.abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG',
};

const STRESS = ['../stress/long-words.json'];

async function htmlOf(file: string | ValidBrief): Promise<string> {
  const brief = typeof file === 'string' ? validExample(file) : file;
  return fillTemplate((await renderIssue(brief, LISTS.lists.get(brief.list)!)).html, reader);
}

function briefOf(overrides: Record<string, unknown>): ValidBrief {
  const result = parseBrief(briefText(overrides), { knownLists: KNOWN_LISTS });
  if (!result.ok) throw new Error(JSON.stringify(result.problems));
  return result.brief;
}

/** A logo with dark lettering on a transparent background, and its light variant, served in place of the network. */
const LOGOS: Record<string, string> = {
  'logo.svg':
    '<svg xmlns="http://www.w3.org/2000/svg" width="200" height="48"><text x="0" y="36" font-size="36" font-family="sans-serif" font-weight="800" fill="#1a1a1a">Weekly</text></svg>',
  'logo-dark.svg':
    '<svg xmlns="http://www.w3.org/2000/svg" width="200" height="48"><text x="0" y="36" font-size="36" font-family="sans-serif" font-weight="800" fill="#f2f2f2">Weekly</text></svg>',
};
const LOGO_BANNER = {
  text: 'The Weekly Brief',
  imageUrl: 'https://example.com/logo.svg',
  darkImageUrl: 'https://example.com/logo-dark.svg',
  alt: 'The Weekly Brief',
};

/** What a reader sees of one thing on the page: its words, their size, their colour and what is behind them (#rrggbb). */
interface Seen {
  readonly label: string;
  readonly fontSize: number;
  readonly color: string;
  readonly background: string;
}

/**
 * Runs in the page: every visible text-bearing element (`text`), or each image's alt text as shown when the
 * image did not load (`alt`), with its computed colour and the first opaque background behind it.
 */
function seenOnPage(what: 'text' | 'alt'): Seen[] {
  const hex = (css: string) =>
    `#${(css.match(/[\d.]+/g) ?? [])
      .slice(0, 3)
      .map((n) => Math.round(Number(n)).toString(16).padStart(2, '0'))
      .join('')}`;
  const background = (el: Element | null): string => {
    for (; el; el = el.parentElement) {
      const css = getComputedStyle(el).backgroundColor;
      const rgba = (css.match(/[\d.]+/g) ?? []).map(Number);
      if (rgba.length === 3 || (rgba.length === 4 && rgba[3]! > 0)) return hex(css);
    }
    return '#ffffff';
  };
  const seen = (el: Element, label: string): Seen => {
    const style = getComputedStyle(el);
    return { label, fontSize: parseFloat(style.fontSize), color: hex(style.color), background: background(el) };
  };
  if (what === 'alt') {
    return [...document.images]
      .filter((img) => img.alt && img.getBoundingClientRect().width > 0 && getComputedStyle(img).display !== 'none')
      .map((img) => seen(img, img.alt));
  }
  const results: Seen[] = [];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const el = node.parentElement!;
    const text = node.textContent!.trim();
    if (!text || el.closest('.nb-preheader') || el.closest('style, title')) continue;
    const box = el.getBoundingClientRect();
    if (box.width === 0 || box.height === 0) continue;
    results.push(seen(el, text.slice(0, 40)));
  }
  return results;
}

/** The page's visible text with its size and contrast (the same WCAG rule the lists file's accents are held to). */
async function measureText(page: Page): Promise<{ text: string; fontSize: number; contrast: number }[]> {
  return (await page.evaluate(seenOnPage, 'text' as const)).map((s) => ({
    text: s.label,
    fontSize: s.fontSize,
    contrast: contrastRatio(s.color, s.background),
  }));
}

/** The page's images' alt text, as shown when they did not load, with its size and contrast. */
async function measureAltText(page: Page): Promise<{ alt: string; fontSize: number; contrast: number }[]> {
  return (await page.evaluate(seenOnPage, 'alt' as const)).map((s) => ({
    alt: s.label,
    fontSize: s.fontSize,
    contrast: contrastRatio(s.color, s.background),
  }));
}

describe.skipIf(skipWithoutChromium())('rendered emails in Chromium', () => {
  let browser: Browser;
  beforeAll(async () => {
    browser = await launchChromium();
  });
  afterAll(async () => browser?.close());

  describe.each([...exampleFiles('valid'), ...STRESS])('%s', (file) => {
    it.each([320, 375, 600, 800])('has no horizontal overflow at %i px', async (width) => {
      const page = await browser.newPage({ viewport: { width, height: 700 } });
      await page.setContent(await htmlOf(file));
      const { scrollWidth, innerWidth } = await page.evaluate(() => ({
        scrollWidth: document.documentElement.scrollWidth,
        innerWidth: window.innerWidth,
      }));
      await page.close();
      expect(scrollWidth).toBeLessThanOrEqual(innerWidth);
    });

    it.each(['light', 'dark'] as const)('is readable on a phone in the %s scheme: text ≥ 14 px, contrast ≥ 4.5:1', async (colorScheme) => {
      const page = await browser.newPage({ viewport: { width: 375, height: 700 }, colorScheme });
      await page.setContent(await htmlOf(file));
      const texts = await measureText(page);
      await page.close();
      expect(texts.length).toBeGreaterThan(3);
      expect(texts.filter((t) => t.fontSize < 14)).toEqual([]);
      expect(texts.filter((t) => t.contrast < 4.5)).toEqual([]);
    });
  });

  describe.each([...exampleFiles('valid'), ...STRESS])('%s', (file) => {
    it('gives the footer links tap targets at least 44 px tall', async () => {
      const page = await browser.newPage({ viewport: { width: 375, height: 700 } });
      await page.setContent(await htmlOf(file));
      const heights = await page.evaluate(() => [...document.querySelectorAll('.nb-muted a')].map((a) => a.getBoundingClientRect().height));
      await page.close();
      expect(heights.length).toBeGreaterThanOrEqual(2);
      for (const height of heights) expect(height).toBeGreaterThanOrEqual(44);
    });
  });

  it("keeps the button's rounded corners in the dark scheme: nothing square is painted behind it", async () => {
    const page = await browser.newPage({ viewport: { width: 375, height: 700 }, colorScheme: 'dark' });
    await page.setContent(await htmlOf('digest-three-stories.json'));
    const painted = await page.evaluate(() =>
      [...document.querySelectorAll('.nb-button, .nb-button *')]
        .map((el) => ({
          tag: el.tagName,
          background: getComputedStyle(el).backgroundColor,
          radius: parseFloat(getComputedStyle(el).borderTopLeftRadius),
        }))
        .filter((el) => !/rgba\(0, 0, 0, 0\)|transparent/.test(el.background)),
    );
    await page.close();
    expect(painted.length).toBeGreaterThan(0);
    expect(painted.filter((el) => el.radius < 6)).toEqual([]);
  });

  it.each(['light', 'dark'] as const)(
    'shows legible alt text with images blocked in the %s scheme: ≥ 14 px, contrast ≥ 4.5:1',
    async (colorScheme) => {
      const page = await browser.newPage({ viewport: { width: 375, height: 700 }, colorScheme });
      await page.route('**/*', (route) => (route.request().resourceType() === 'image' ? route.abort() : route.continue()));
      for (const brief of [
        validExample('digest-three-stories.json'),
        briefOf({ banner: LOGO_BANNER, stories: [{ headline: 'h', image: { url: 'https://example.com/a.png', alt: 'A picture' } }] }),
      ]) {
        await page.setContent(await htmlOf(brief), { waitUntil: 'load' });
        const alts = await measureAltText(page);
        expect(alts.map((a) => a.alt)).toContain(brief.banner!.alt);
        expect(alts.filter((a) => a.fontSize < 14 || a.contrast < 4.5)).toEqual([]);
      }
      await page.close();
    },
  );

  it.each(['light', 'dark'] as const)(
    'shows the logo made for the %s scheme, and a dark logo without a variant on a light plate',
    async (colorScheme) => {
      const page = await browser.newPage({ viewport: { width: 375, height: 700 }, colorScheme });
      await page.route('https://example.com/*.svg', (route) =>
        route.fulfill({ contentType: 'image/svg+xml', body: LOGOS[route.request().url().split('/').pop()!]! }),
      );
      await page.setContent(await htmlOf(briefOf({ banner: LOGO_BANNER })), { waitUntil: 'load' });
      const shown = await page.evaluate(() =>
        [...document.images].filter((img) => img.getBoundingClientRect().height > 0 && img.naturalWidth > 0).map((img) => img.src),
      );
      expect(shown).toEqual([colorScheme === 'dark' ? LOGO_BANNER.darkImageUrl : LOGO_BANNER.imageUrl]);
      await page.setContent(await htmlOf(briefOf({ banner: { ...LOGO_BANNER, darkImageUrl: undefined } })), { waitUntil: 'load' });
      const plate = await page.evaluate(() => getComputedStyle(document.querySelector('.nb-logo-plate')!).backgroundColor);
      await page.close();
      expect(plate).toBe(colorScheme === 'dark' ? 'rgb(242, 243, 245)' : 'rgba(0, 0, 0, 0)');
    },
  );

  it.each(LANGUAGES)('keeps the full stop of the footer sentence beside its last word in %s', async (locale) => {
    const page = await browser.newPage({ viewport: { width: 375, height: 700 } });
    await page.setContent(await htmlOf(briefOf({ locale })));
    const gap = await page.evaluate(() => {
      const p = document.querySelector('.nb-muted p')!;
      const node = [...p.childNodes].filter((n) => n.nodeType === Node.TEXT_NODE).pop()!;
      const text = node.textContent!;
      const end = text.trimEnd().length;
      const box = (from: number) => {
        const range = document.createRange();
        range.setStart(node, from);
        range.setEnd(node, from + 1);
        return range.getBoundingClientRect();
      };
      const [stop, before] = [box(end - 1), box(end - 2)];
      return getComputedStyle(p).direction === 'rtl' ? before.left - stop.right : stop.left - before.right;
    });
    await page.close();
    expect(Math.abs(gap)).toBeLessThan(3);
  });

  it('turns the page dark in the dark scheme', async () => {
    const page = await browser.newPage({ viewport: { width: 600, height: 700 }, colorScheme: 'dark' });
    await page.setContent(await htmlOf('oracle-tiktok.json'));
    const colours = await page.evaluate(() => ({
      page: getComputedStyle(document.body).backgroundColor,
      headline: getComputedStyle(document.querySelector('h1')!).color,
    }));
    await page.close();
    expect(colours.page).toBe('rgb(18, 18, 18)');
    expect(colours.headline).toBe('rgb(232, 232, 232)');
  });
});
