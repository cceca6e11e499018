/**
 * TV mode at 1920x1080, both themes, in Debian's Chromium against a real `opsdeck demo --rate 600`
 * (seed 8: the critical approval-needed fires within seconds, the other rules soon after): no
 * chrome (no header, no button, no dialog), the alerts full width above the cards, each dashboard
 * on one screen (no scrolling), type large enough to read at 3 m, every page axe-clean. Screenshots go to test-artifacts/ and were looked
 * at (see docs/alerts.md "TV mode").
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { seriousAxeFindings } from './helpers/axeFindings.js';
import {
  artifactPath,
  describeWithChromium,
  launchChromium,
  THEMES,
  type Theme,
} from './helpers/browser.js';
import { openConsolePage } from './helpers/consolePage.js';
import { startOpsdeck, type OpsdeckProcess } from './helpers/opsdeckProcess.js';

let browser: Browser;
let server: OpsdeckProcess;
const WAIT = { timeout: 60_000, interval: 250 };
/** At 1080p on a wall 3 m away, nothing that carries information is smaller than this (CSS px). */
const MIN_TEXT_PX = 18;

function openKiosk(path: string, theme: Theme): Promise<{ page: Page; problems: string[] }> {
  return openConsolePage(browser, `${server.url}${path}`, { width: 1920, height: 1080, theme });
}

/** Font sizes (px) of visible text in `selector`, smallest first. */
function textSizes(
  page: Page,
  selector: string,
): Promise<{ px: number; text: string; where: string }[]> {
  return page.evaluate((sel) => {
    const out: { px: number; text: string; where: string }[] = [];
    for (const root of document.querySelectorAll(sel)) {
      const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
      for (let node = walker.nextNode(); node; node = walker.nextNode()) {
        const text = node.textContent?.trim() ?? '';
        const el = node.parentElement;
        if (!text || !el || el.closest('.sr-only, [aria-hidden="true"], svg')) continue;
        const box = el.getBoundingClientRect();
        if (box.width === 0 || box.height === 0) continue;
        out.push({
          px: parseFloat(getComputedStyle(el).fontSize),
          text: text.slice(0, 40),
          where: `${el.tagName.toLowerCase()}.${[...el.classList].join('.')}`,
        });
      }
    }
    return out.sort((a, b) => a.px - b.px);
  }, selector);
}

beforeAll(async () => {
  browser = await launchChromium();
  server = await startOpsdeck(['demo', '--port', '0', '--rate', '600', '--seed', '8']);
});

afterAll(async () => {
  await browser.close();
  await server.stop();
});

describeWithChromium('console: TV mode at 1920x1080', () => {
  for (const theme of THEMES) {
    it(`no chrome, alerts full width, large type, axe-clean (${theme})`, async () => {
      for (const dashboard of ['floor', 'trends']) {
        const { page, problems } = await openKiosk(`/?kiosk&dashboard=${dashboard}`, theme);
        const main = page.locator('main');
        await expect.poll(() => main.getAttribute('data-dashboard'), WAIT).toBe(dashboard);
        // open-orders-high stays firing at this rate once open orders pile up (about 20 s in).
        await page.getByTestId('alert-open-orders-high').waitFor({ timeout: 60_000 });
        await expect
          .poll(() => page.locator('.card[data-stale="false"]').count(), WAIT)
          .toBeGreaterThan(1);
        await page.mouse.move(960, 540); // then idle: the cursor hides
        await page.screenshot({
          path: artifactPath(`console-kiosk-1920-${theme}-${dashboard}.png`),
        });

        // No chrome: no header, no buttons (table headers sort, they ask nothing), no dialog.
        expect(await page.locator('.app-header').count()).toBe(0);
        expect(await page.locator('button:not(.card button)').count()).toBe(0);
        expect(await page.getByRole('dialog').count()).toBe(0);
        // The alerts span the screen, above the cards.
        // Both read in one task: a live alert may change the strip's height between two reads.
        const { strip, firstCard } = await page.evaluate(() => {
          const box = (selector: string) => {
            const r = document.querySelector(selector)?.getBoundingClientRect();
            return r && { y: r.y, height: r.height, width: r.width };
          };
          return { strip: box('.alert-strip'), firstCard: box('.card') };
        });
        expect(strip?.width).toBe(1920);
        expect((strip?.y ?? 0) + (strip?.height ?? 0)).toBeLessThanOrEqual(firstCard?.y ?? 0);
        // Nobody scrolls a wall screen: the dashboard fits 1080 px; firing alerts push it down.
        const height = await page.evaluate(
          () =>
            document.documentElement.scrollHeight -
            (document.querySelector('.alert-strip')?.getBoundingClientRect().height ?? 0),
        );
        expect(height).toBeLessThanOrEqual(1080);
        // Readable from across the room: strip and cards.
        const small = (await textSizes(page, '.alert-strip, .card')).filter(
          (t) => t.px < MIN_TEXT_PX,
        );
        expect(small).toEqual([]);

        await expect
          .poll(
            () => page.evaluate(() => document.documentElement.classList.contains('cursor-idle')),
            WAIT,
          )
          .toBe(true);
        const serious = await seriousAxeFindings(page);
        expect(serious).toEqual([]);
        expect(problems).toEqual([]);
        await page.context().close();
      }
    });
  }
});
