import { existsSync, mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser, type ConsoleMessage, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe } from 'vitest';
import { inCi } from './services.js';

/** The console's themes, each of which the e2e tests look at. */
export const THEMES = ['dark', 'light'] as const;
export type Theme = (typeof THEMES)[number];

const ARTIFACTS = new URL('../../test-artifacts/', import.meta.url).pathname;

/** Where screenshot `name` goes: test-artifacts/ (CI keeps it), made on first use. */
export function artifactPath(name: string): string {
  mkdirSync(ARTIFACTS, { recursive: true });
  return join(ARTIFACTS, name);
}

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

/** A section's card in the console, and the version it shows. */
export const sectionCard = (page: Page, id: string) => page.getByTestId(`section-${id}`);
export const shownVersion = async (page: Page, id: string) =>
  Number(await sectionCard(page, id).getAttribute('data-version'));

/**
 * What a CSS colour (`var(--accent)`, say) computes to on the page now, in the form
 * getComputedStyle gives (`rgb(...)`): to compare with an element's computed colour.
 */
export function computedColour(page: Page, colour: string): Promise<string> {
  return page.evaluate((value) => {
    const probe = document.createElement('span');
    probe.style.color = value; // CSSOM: the console's content security policy allows it
    document.body.append(probe);
    const computed = getComputedStyle(probe).color;
    probe.remove();
    return computed;
  }, colour);
}

/**
 * The hooks of a console suite: before its tests the artifacts folder is made and Chromium
 * launched (handed to `onBrowser`); after them Chromium is closed, every server the suite started
 * stopped and its temporary folder removed.
 */
export function consoleSuiteHooks(suite: {
  dir: string;
  servers: { stop(): Promise<unknown> }[];
  onBrowser: (browser: Browser) => void;
}): void {
  let browser: Browser | undefined;
  beforeAll(async () => {
    browser = await launchChromium();
    suite.onBrowser(browser);
  });
  afterAll(async () => {
    await browser?.close();
    for (const s of suite.servers) await s.stop();
    rmSync(suite.dir, { recursive: true, force: true });
  });
}

export interface FocusStop {
  /** Tag and accessible name (aria-label, else the visible text). */
  name: string;
  /** Draws a focus indicator: an outline or a ring (box-shadow). */
  ring: boolean;
  /** The accessible name contains the visible label (WCAG 2.5.3). */
  nameMatches: boolean;
}

/**
 * The element that has the keyboard focus now, as a tab stop: undefined when focus is on the body,
 * outside `within` (a CSS selector), or on an element already seen (the tab order wrapped).
 */
export function focusStop(page: Page, within?: string): Promise<FocusStop | undefined> {
  return page.evaluate((container) => {
    const el = document.activeElement;
    if (!el || el === document.body) return undefined;
    if (container && !el.closest(container)) return undefined;
    const seen = ((window as unknown as { __stops?: WeakSet<Element> }).__stops ??=
      new WeakSet<Element>());
    if (seen.has(el)) return undefined;
    seen.add(el);
    const style = getComputedStyle(el);
    const outline = style.outlineStyle !== 'none' && Number.parseFloat(style.outlineWidth) > 0;
    const ring = style.boxShadow !== 'none' && style.boxShadow !== '';
    const label = el.getAttribute('aria-label');
    const visible = (el as HTMLElement).innerText.trim();
    return {
      name: `${el.tagName.toLowerCase()} ${label ?? (visible.slice(0, 40) || el.tagName)}`,
      ring: outline || ring,
      nameMatches: !label || !visible || label.toLowerCase().includes(visible.toLowerCase()),
    };
  }, within);
}
