import type { Browser, Page } from 'playwright-core';
import { watchProblems, type Theme } from './browser.js';

export interface ConsolePageOptions {
  /** Viewport in CSS px: 1440 x 900 unless told. */
  width?: number;
  height?: number;
  /** The console's theme, chosen before the first paint (default dark). */
  theme?: Theme;
  /** An IANA time zone for the page's clock (default: the machine's). */
  timezoneId?: string;
  /** Downloads allowed (the inspect panel's exports). */
  acceptDownloads?: boolean;
}

/**
 * The console at `url` in a new browser context: en-US, reduced motion (no transition between a
 * change and a screenshot), the theme in localStorage where the console keeps it (App.tsx), and
 * the page's problems (watchProblems) collected from before the first request.
 */
export async function openConsolePage(
  browser: Browser,
  url: string,
  options: ConsolePageOptions = {},
): Promise<{ page: Page; problems: string[] }> {
  const context = await browser.newContext({
    viewport: { width: options.width ?? 1440, height: options.height ?? 900 },
    locale: 'en-US',
    reducedMotion: 'reduce',
    ...(options.timezoneId ? { timezoneId: options.timezoneId } : {}),
    ...(options.acceptDownloads ? { acceptDownloads: true } : {}),
  });
  await context.addInitScript(
    (t) => localStorage.setItem('opsdeck.theme', t),
    options.theme ?? 'dark',
  );
  const page = await context.newPage();
  const problems = watchProblems(page);
  await page.goto(url);
  return { page, problems };
}
