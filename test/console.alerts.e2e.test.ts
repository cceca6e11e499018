/**
 * Alerts, dashboards and TV mode in Debian's Chromium against a real `opsdeck demo --rate 600`
 * (its rules open-orders-high, big-order and the critical approval-needed fire and resolve within
 * seconds on that floor): an alert shows in the strip and the tab title counts it, its card is
 * marked, it resolves into the history; the desktop console (a fake window.opsdeck) reports the
 * loud alerts to the main process and focuses a card when a notification is clicked; the dashboard tabs switch by click and by key and follow the URL; `?kiosk&rotate=2s`
 * has no chrome and rotates. axe-core finds no serious or critical violation with the strip
 * showing. Screenshots (1920x1080 kiosk, 1440 and 390 in both themes) go to test-artifacts/.
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { seriousAxeFindings } from './helpers/axeFindings.js';
import {
  artifactPath,
  describeWithChromium,
  launchChromium,
  THEMES,
  watchProblems,
} from './helpers/browser.js';
import { openConsolePage, type ConsolePageOptions } from './helpers/consolePage.js';
import { fakeDesktopApiScript } from './helpers/fakeDesktopApi.js';
import { startOpsdeck, type OpsdeckProcess } from './helpers/opsdeckProcess.js';

let browser: Browser;
let server: OpsdeckProcess;
const WAIT = { timeout: 60_000, interval: 250 };

async function open(path: string, options: ConsolePageOptions = {}): Promise<Page> {
  return (await openConsolePage(browser, `${server.url}${path}`, options)).page;
}

const firingItems = (page: Page) => page.locator('.alert-list > li');

beforeAll(async () => {
  browser = await launchChromium();
  server = await startOpsdeck(['demo', '--port', '0', '--rate', '600', '--seed', '13']);
});

afterAll(async () => {
  await browser.close();
  await server.stop();
});

describeWithChromium('console: alerts, dashboards and TV mode', () => {
  it('shows a firing alert in the strip, counts it in the title, marks its card, then resolves it', async () => {
    const page = await open('/');
    const problems = watchProblems(page);
    await expect.poll(() => firingItems(page).count(), WAIT).toBeGreaterThan(0);
    const first = firingItems(page).first();
    const id = (await first.getAttribute('data-testid'))?.replace(/^alert-/, '') ?? '';
    const severity = {
      'open-orders-high': /warning/i,
      'big-order': /info/i,
      'approval-needed': /critical/i,
    };
    expect(Object.keys(severity)).toContain(id);
    expect(await first.innerText()).toMatch(severity[id as keyof typeof severity]);
    // The title counts the firing alerts, and the card of the alerted section says which.
    await expect.poll(() => page.title(), WAIT).toMatch(/^\(\d\) Opsdeck$/);
    const section = id === 'open-orders-high' ? 'kpis' : 'recent';
    await expect.poll(() => page.getByTestId(`section-${section}`).innerText(), WAIT).toContain(id);
    // Resolution reaches the history (the demo floor's rules fire and resolve all the time).
    await page.getByRole('button', { name: /^History/ }).click();
    await expect
      .poll(() => page.getByTestId('alert-history').innerText(), WAIT)
      .toMatch(/Resolved — was “/);
    // Acknowledged: still listed but quiet (unless it resolved meanwhile).
    await expect
      .poll(() => page.getByRole('button', { name: 'Acknowledge' }).count(), WAIT)
      .toBeGreaterThan(0);
    const loud = page.locator('.alert-list > li[data-quiet="false"]').first();
    const acked = (await loud.getAttribute('data-testid')) ?? '';
    await loud.getByRole('button', { name: 'Acknowledge' }).click();
    await expect
      .poll(async () => {
        const item = page.getByTestId(acked);
        return (await item.count()) === 0 ? 'resolved' : await item.getAttribute('data-quiet');
      }, WAIT)
      .toMatch(/^(true|resolved)$/);
    expect(problems).toEqual([]);
    await page.context().close();
  });

  it('desktop console: reports the loud alerts to the main process; a notification click focuses the card', async () => {
    const context = await browser.newContext({ viewport: { width: 1440, height: 900 } });
    await context.addInitScript({ content: fakeDesktopApiScript(server.url) });
    const page = await context.newPage();
    const problems = watchProblems(page);
    await page.goto(`${server.url}/?dashboard=trends`);
    type Report = { loud: { id: string; section: string; sectionTitle: string }[] };
    const reports = () =>
      page.evaluate(
        () => (window as unknown as { __opsdeckAlertReports: Report[] }).__opsdeckAlertReports,
      );
    // open-orders-high stays firing at this rate once it fires (the others come and go in a second).
    const loudHigh = async () =>
      (await reports()).at(-1)?.loud.find((a) => a.id === 'open-orders-high');
    await expect.poll(loudHigh, WAIT).toBeDefined();
    const alert = (await loudHigh())!;
    expect(alert).toMatchObject({ section: 'kpis', sectionTitle: 'Today' });
    // The section is on the Sales floor page, not on Trends: the click switches pages too.
    await page.evaluate(
      (focus) =>
        (
          window as unknown as { __opsdeckAlertFocus: ((f: unknown) => void)[] }
        ).__opsdeckAlertFocus.forEach((listener) => listener(focus)),
      { id: alert.id, section: alert.section },
    );
    await expect
      .poll(() => page.evaluate(() => document.activeElement?.getAttribute('data-testid')), WAIT)
      .toBe(`section-${alert.section}`);
    // Acknowledged: no longer loud, so the main process hears it is gone.
    await page
      .getByTestId(`alert-${alert.id}`)
      .getByRole('button', { name: 'Acknowledge' })
      .click();
    await expect
      .poll(async () => (await reports()).at(-1)?.loud.some((a) => a.id === alert.id), WAIT)
      .toBe(false);
    expect(problems).toEqual([]);
    await context.close();
  });

  it('switches dashboards by click and by key, and keeps the URL in sync', async () => {
    const page = await open('/');
    await page.getByTestId('dashboard-tab-trends').click();
    await page.getByTestId('section-sales').waitFor();
    expect(await page.getByTestId('section-kpis').count()).toBe(0);
    expect(new URL(page.url()).searchParams.get('dashboard')).toBe('trends');
    expect(await page.getByTestId('dashboard-tab-trends').getAttribute('aria-selected')).toBe(
      'true',
    );
    await page.keyboard.press('2'); // 1 = All sections, 2 = Sales floor
    await page.getByTestId('section-recent').waitFor();
    expect(await page.getByTestId('section-sales').count()).toBe(0);
    expect(new URL(page.url()).searchParams.get('dashboard')).toBe('floor');
    await page.keyboard.press('1');
    await page.getByTestId('section-agents').waitFor();
    expect(new URL(page.url()).searchParams.has('dashboard')).toBe(false);
    await page.context().close();

    const trends = await open('/?dashboard=trends');
    await trends.getByTestId('section-agents').waitFor();
    expect(await trends.locator('main').getAttribute('data-dashboard')).toBe('trends');
    expect(await trends.getByTestId('section-recent').count()).toBe(0);
    await trends.context().close();
  });

  it('kiosk: no chrome, rotates the dashboards, hides the idle cursor (1920x1080)', async () => {
    const page = await open('/?kiosk&rotate=2s', { width: 1920, height: 1080 });
    const main = page.locator('main');
    await page.getByTestId('section-kpis').waitFor();
    expect(await main.getAttribute('data-dashboard')).toBe('floor');
    await expect.poll(() => main.getAttribute('data-dashboard'), WAIT).toBe('trends');
    await expect.poll(() => main.getAttribute('data-dashboard'), WAIT).toBe('floor');
    expect(await page.locator('.app-header').count()).toBe(0);
    // No chrome: no button anywhere but the tables' own column headers (sorting, not a question).
    expect(await page.locator('button:not(.card button)').count()).toBe(0);
    expect(await page.getByRole('dialog').count()).toBe(0);
    await page.mouse.move(200, 200);
    await expect
      .poll(
        () => page.evaluate(() => document.documentElement.classList.contains('cursor-idle')),
        WAIT,
      )
      .toBe(true);
    // Both pages with an alert showing, full width.
    for (const name of ['floor', 'trends']) {
      await expect.poll(() => main.getAttribute('data-dashboard'), WAIT).toBe(name);
      await expect.poll(() => firingItems(page).count(), WAIT).toBeGreaterThan(0);
      const strip = await page.locator('.alert-strip').boundingBox();
      expect(strip?.width).toBe(1920);
      await page.screenshot({ path: artifactPath(`console-kiosk-1920-${name}.png`) });
    }
    await page.context().close();
  });

  it('kiosk: a dead server shows plainly (banner, alerts not confirmed, title), no buttons', async () => {
    const own = await startOpsdeck(['demo', '--port', '0', '--rate', '600', '--seed', '14']);
    try {
      const context = await browser.newContext({ viewport: { width: 1920, height: 1080 } });
      const page = await context.newPage();
      await page.goto(`${own.url}/?kiosk`);
      await expect.poll(() => firingItems(page).count(), WAIT).toBeGreaterThan(0);
      await own.stop();
      const banner = page.getByTestId('connection-banner');
      await banner.waitFor({ timeout: 10_000 });
      expect(await banner.isVisible()).toBe(true);
      await expect.poll(() => page.locator('.alert.is-stale').count(), WAIT).toBeGreaterThan(0);
      expect(await page.locator('.alert-list > li:not(.is-stale)').count()).toBe(0);
      expect(await page.locator('.alert-list').first().innerText()).not.toMatch(/since/);
      expect(await page.title()).toMatch(/disconnected$/);
      expect(await page.locator('button:not(.card button)').count()).toBe(0);
      await expect
        .poll(() => page.getByTestId('section-kpis').getAttribute('data-stale'), WAIT)
        .toBe('true');
      await page.screenshot({ path: artifactPath('console-kiosk-1920-stale.png') });
      await context.close();
    } finally {
      await own.stop();
    }
  });

  for (const theme of THEMES) {
    it(`with the strip showing: no serious axe violation, screenshots (${theme}, 1440 and 390)`, async () => {
      for (const width of [1440, 390]) {
        const page = await open('/?dashboard=floor', { width, theme });
        await page.getByTestId('section-recent').waitFor();
        await expect.poll(() => firingItems(page).count(), WAIT).toBeGreaterThan(0);
        const serious = await seriousAxeFindings(page);
        await page.screenshot({ path: artifactPath(`console-alerts-${theme}-${width}.png`) });
        expect(serious).toEqual([]);
        await page.context().close();
      }
    });
  }
});
