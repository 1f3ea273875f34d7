/**
 * Screenshots rendered emails at phone and desktop widths, in light and dark colour schemes, so that a
 * person can look at them. Usage: tsx scripts/screenshot.ts OUT_DIR FILE.html...
 */
import { basename, join } from 'node:path';
import { mkdirSync, readFileSync } from 'node:fs';
import { launchChromium } from './launch-chromium.js';

const [outDir, ...files] = process.argv.slice(2);
if (!outDir || files.length === 0) {
  console.error('usage: tsx scripts/screenshot.ts OUT_DIR FILE.html...');
  process.exit(2);
}
mkdirSync(outDir, { recursive: true });
const browser = await launchChromium();
for (const file of files) {
  for (const width of [375, 600]) {
    for (const colorScheme of ['light', 'dark'] as const) {
      const page = await browser.newPage({ viewport: { width, height: 800 }, colorScheme });
      await page.setContent(readFileSync(file, 'utf8'), { waitUntil: 'load' });
      const out = join(outDir, `${basename(file, '.html')}-${width}-${colorScheme}.png`);
      await page.screenshot({ path: out, fullPage: true });
      await page.close();
      console.log(out);
    }
  }
}
await browser.close();
