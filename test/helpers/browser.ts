import { existsSync } from 'node:fs';
import { chromium, type Browser, type ConsoleMessage, type Page } from 'playwright-core';
import { describe } from 'vitest';
import { inCi } from './services.js';

/** Debian's Chromium (apt-get install chromium); playwright-core never downloads a browser. */
export const CHROMIUM = process.env.OPSDECK_CHROMIUM ?? '/usr/bin/chromium';

/**
 * A describe block that needs Chromium: skipped with the reason printed where it is missing,
 * a failure in CI (where .ci/run installs it).
 */
export function describeWithChromium(title: string, fn: () => void): void {
  const ok = existsSync(CHROMIUM);
  if (!ok) {
    const reason = `Chromium not found at ${CHROMIUM} (apt-get install chromium, or set OPSDECK_CHROMIUM)`;
    if (inCi()) throw new Error(`${title}: ${reason} (CI is set, so this fails)`);
    console.warn(`skipping "${title}": ${reason}`);
  }
  describe.skipIf(!ok)(title, fn);
}

export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
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

/** Collects page errors, console errors and CSP violations, which a healthy console never has. */
export function watchProblems(page: Page): string[] {
  const problems: string[] = [];
  page.on('pageerror', (error) => problems.push(`pageerror: ${error.message}`));
  page.on('console', (message: ConsoleMessage) => {
    if (message.type() !== 'error') return;
    const text = message.text();
    // Expected while a test has stopped the server on purpose.
    if (/ERR_CONNECTION_REFUSED|WebSocket connection to .* failed/.test(text)) return;
    problems.push(`console: ${text}`);
  });
  return problems;
}
