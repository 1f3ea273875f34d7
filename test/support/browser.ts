/** Debian's Chromium (found by the test setup: CHROMIUM_PATH or PATH) driven by playwright-core: no browser download, flags that suit a closed network. */
import { chromium, type Browser } from 'playwright-core';
import { patience } from './patience.js';
import { skipWithout, toolPath } from './test-tools.js';

/** Whether the browser tests skip here: Chromium missing and CI not set (the one line says `apt-get install chromium`). */
export function skipWithoutChromium(): boolean {
  return skipWithout('chromium');
}

/** Launches headless Chromium; images from the network are blocked by the sandbox, so they show as alt text. */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: toolPath('chromium'),
    // Playwright gives a browser 30 s to start; a busy machine gets proportionally longer.
    timeout: patience(30_000),
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}
