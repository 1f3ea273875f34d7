/**
 * The rendered examples in a real browser: no sideways scrolling at phone to desktop widths, readable type
 * on phones, enough contrast, and a dark scheme that really is dark. Needs Debian's chromium; CI installs it.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { renderIssue } from '../../src/render/render-issue.js';
import { fillTemplate } from '../../src/render/slots.js';
import { launchChromium, skipWithoutChromium } from '../support/browser.js';
import { exampleFiles, LISTS, validExample } from '../support/fixtures.js';

const reader = { firstName: 'Maximiliana-Alexandrina', email: 'maximiliana.alexandrina@example.com', unsubscribeUrl: 'https://news.example.com/unsubscribe?t=v1.k1.eyJsIjoid2Vla2x5IiwicyI6InN1Yi0xIn0.abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG' };

const STRESS = ['../stress/long-words.json'];

async function htmlOf(file: string): Promise<string> {
  const brief = validExample(file);
  return fillTemplate((await renderIssue(brief, LISTS.lists.get(brief.list)!)).html, reader);
}

/** Runs in the page: every visible text-bearing element with its font size and contrast against its background. */
function measureText(): { text: string; fontSize: number; contrast: number }[] {
  const parse = (c: string) => (c.match(/[\d.]+/g) ?? []).map(Number);
  const luminance = ([r, g, b]: number[]) => {
    const f = (v: number) => ((v /= 255) <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4);
    return 0.2126 * f(r!) + 0.7152 * f(g!) + 0.0722 * f(b!);
  };
  const background = (el: Element | null): number[] => {
    for (; el; el = el.parentElement) {
      const rgba = parse(getComputedStyle(el).backgroundColor);
      if (rgba.length === 3 || (rgba.length === 4 && rgba[3]! > 0)) return rgba.slice(0, 3);
    }
    return [255, 255, 255];
  };
  const results: { text: string; fontSize: number; contrast: number }[] = [];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const el = node.parentElement!;
    const text = node.textContent!.trim();
    if (!text || el.closest('.nb-preheader') || el.closest('style, title')) continue;
    const box = el.getBoundingClientRect();
    if (box.width === 0 || box.height === 0) continue;
    const style = getComputedStyle(el);
    const [l1, l2] = [luminance(parse(style.color)), luminance(background(el))];
    results.push({ text: text.slice(0, 40), fontSize: parseFloat(style.fontSize), contrast: (Math.max(l1, l2) + 0.05) / (Math.min(l1, l2) + 0.05) });
  }
  return results;
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
      const { scrollWidth, innerWidth } = await page.evaluate(() => ({ scrollWidth: document.documentElement.scrollWidth, innerWidth: window.innerWidth }));
      await page.close();
      expect(scrollWidth).toBeLessThanOrEqual(innerWidth);
    });

    it.each(['light', 'dark'] as const)('is readable on a phone in the %s scheme: text ≥ 14 px, contrast ≥ 4.5:1', async (colorScheme) => {
      const page = await browser.newPage({ viewport: { width: 375, height: 700 }, colorScheme });
      await page.setContent(await htmlOf(file));
      const texts = await page.evaluate(measureText);
      await page.close();
      expect(texts.length).toBeGreaterThan(3);
      expect(texts.filter((t) => t.fontSize < 14)).toEqual([]);
      expect(texts.filter((t) => t.contrast < 4.5)).toEqual([]);
    });
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
