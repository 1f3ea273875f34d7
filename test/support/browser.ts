/** Debian's Chromium driven by playwright-core: no browser download, flags that suit a closed network. */
import { chromium, type Browser } from 'playwright-core';
import { existsSync } from 'node:fs';

/** Where Chromium lives on these machines (apt-get install chromium). */
export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/** Whether a Chromium binary is present. */
export function chromiumAvailable(): boolean {
  return existsSync(CHROMIUM_PATH);
}

/** Launches headless Chromium; images from the network are blocked by the sandbox, so they show as alt text. */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
}
