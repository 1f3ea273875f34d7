/**
 * Draws the README's pictures of an issue's report page: the sample issue sent to "tagged premium or vip, and
 * country DE or AT" (test/support/sample-report.ts), light, at phone width (375 px → docs/report.png) and at
 * 600 px (docs/report-600.png), in Debian's Chromium. Usage: npx tsx scripts/screenshot-report.ts [OUT_DIR]
 * (default docs/). The browser is CHROMIUM_PATH or /usr/bin/chromium (`apt-get install chromium`).
 */
import { mkdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { launchChromium } from './launch-chromium.js';
import { sampleIssueReportHtml } from '../test/support/sample-report.js';

const outDir = process.argv[2] ?? new URL('../docs', import.meta.url).pathname;
const FILES = { 375: 'report.png', 600: 'report-600.png' } as const;

mkdirSync(outDir, { recursive: true });
const browser = await launchChromium();
try {
  for (const [width, name] of Object.entries(FILES)) {
    const page = await browser.newPage({ viewport: { width: Number(width), height: 800 }, colorScheme: 'light' });
    const problems: string[] = [];
    page.on('console', (m) => void (m.type() === 'error' && problems.push(m.text())));
    await page.setContent(sampleIssueReportHtml(), { waitUntil: 'load' });
    // A picture of a broken page is worse than none: refuse one that scrolls sideways or logged an error.
    const overflows = await page.evaluate(() => document.documentElement.scrollWidth > document.documentElement.clientWidth);
    if (overflows || problems.length > 0)
      throw new Error(`the report at ${width} px ${overflows ? 'is wider than the screen' : problems.join('; ')}`);
    const out = join(outDir, name);
    await page.screenshot({ path: out, fullPage: true });
    await page.close();
    console.log(`${out} (${Math.round(statSync(out).size / 1024)} KiB)`);
  }
} finally {
  await browser.close();
}
