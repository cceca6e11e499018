import { existsSync } from 'node:fs';
import { chromium, type Browser, type Page } from 'playwright-core';
import type { Scope } from './scope.js';

/** Debian's Chromium (playwright-core never downloads a browser); OPSDECK_CHROMIUM overrides. */
export const CHROMIUM = process.env.OPSDECK_CHROMIUM ?? '/usr/bin/chromium';

export async function launchChromium(scope: Scope): Promise<Browser> {
  if (!existsSync(CHROMIUM)) {
    throw new Error(
      `Chromium not found at ${CHROMIUM} (apt-get install chromium, or set OPSDECK_CHROMIUM)`,
    );
  }
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-quic',
      '--no-first-run',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
  scope.defer('close Chromium', () => browser.close());
  return browser;
}

/** JS heap of the page after forced garbage collection (Chrome DevTools Protocol). */
export async function pageHeapAfterGc(page: Page): Promise<number> {
  const cdp = await page.context().newCDPSession(page);
  try {
    let best = Infinity;
    for (let i = 0; i < 3; i++) {
      await cdp.send('HeapProfiler.collectGarbage');
      await new Promise((r) => setTimeout(r, 100));
      await cdp.send('HeapProfiler.collectGarbage');
      const usage = await cdp.send('Runtime.getHeapUsage');
      best = Math.min(best, usage.usedSize);
      await new Promise((r) => setTimeout(r, 200));
    }
    return best;
  } finally {
    await cdp.detach();
  }
}
