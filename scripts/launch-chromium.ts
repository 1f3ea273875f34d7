/**
 * Chromium for the scripts (outside vitest): CHROMIUM_PATH or Debian's /usr/bin/chromium (`apt-get install
 * chromium`), driven by playwright-core. Not test/support/browser.ts: that one asks vitest's global setup where
 * Chromium is, and fails outside a test run.
 */
import { type Browser, chromium } from 'playwright-core';

/** Launches headless Chromium with the flags that suit a closed network. */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking'],
  });
}
