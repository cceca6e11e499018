/**
 * The console's layout keeps what it shows readable and in place, in Debian's Chromium against real
 * `opsdeck serve` and `opsdeck demo` processes: a card whose query fails keeps its last good data
 * readable (axe colour contrast, both themes); TV mode fits the screen without scrolling, connected
 * and disconnected, with no sort buttons and no text under 19 px at 1920x1080; at 390 px the
 * header's degraded words are not cut, the selected dashboard tab is in view, and a KPI delta that
 * grows does not move the cards below; the page keeps its main landmark. See docs/alerts.md
 * ("TV mode") and docs/console.md.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import type { Browser, Page } from 'playwright-core';
import { expect, it } from 'vitest';
import { seriousAxeFindings } from './helpers/axeFindings.js';
import { consoleSuiteHooks, describeWithChromium, sectionCard, THEMES } from './helpers/browser.js';
import { openConsolePage, type ConsolePageOptions } from './helpers/consolePage.js';
import { startOpsdeck, type OpsdeckProcess } from './helpers/opsdeckProcess.js';
import { writeServeConfig } from './helpers/serveConfig.js';

const dir = mkdtempSync(join(tmpdir(), 'opsdeck-layout-'));
let browser: Browser;
const servers: OpsdeckProcess[] = [];
const WAIT = { timeout: 60_000, interval: 250 };
/** docs/alerts.md: nothing in the strip or the cards below 19 px at 1920x1080. */
const MIN_KIOSK_PX = 19;

const open = (url: string, options: ConsolePageOptions) => openConsolePage(browser, url, options);

/** Visible text under `selector` (SVG text too: chart axes) smaller than `px`. */
function smallText(page: Page, selector: string, px: number): Promise<string[]> {
  return page.evaluate(
    ([sel, min]) => {
      const out = new Set<string>();
      for (const root of document.querySelectorAll(sel)) {
        const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
        for (let node = walker.nextNode(); node; node = walker.nextNode()) {
          const text = node.textContent?.trim() ?? '';
          const el = node.parentElement;
          if (!text || !el || el.closest('.sr-only, [aria-hidden="true"]')) continue;
          const box = el.getBoundingClientRect();
          const size = parseFloat(getComputedStyle(el).fontSize);
          if (box.width > 0 && size < min)
            out.add(`${size}px ${el.tagName} "${text.slice(0, 30)}"`);
        }
      }
      return [...out];
    },
    [selector, px] as const,
  );
}

const overflow = (page: Page) =>
  page.evaluate(() => document.documentElement.scrollHeight - window.innerHeight);

describeWithChromium('console layout (Chromium)', () => {
  consoleSuiteHooks({ dir, servers, onBrowser: (b) => (browser = b) });

  it('a failing card keeps its last good data readable (axe, both themes, 1440 and 390 px)', async () => {
    const config = writeServeConfig({
      database: { url: 'sqlite:layout.db' },
      watch: { mode: 'poll', intervalMs: 250 },
      sections: [
        {
          id: 'daily',
          title: 'Daily',
          view: { type: 'line', x: 'day', y: ['revenue', 'orders'] },
          sql: 'SELECT day, revenue, orders FROM daily ORDER BY day',
        },
        {
          id: 'latest',
          title: 'Latest',
          view: { type: 'table' },
          sql: 'SELECT id, customer_name, agent_name, status, total, revenue, created_at, region_name FROM daily ORDER BY id DESC LIMIT 8',
        },
      ],
    });
    const db = new Database(join(config.dir, 'layout.db'));
    db.exec(`CREATE TABLE daily (id INTEGER PRIMARY KEY, day TEXT, revenue REAL, orders INTEGER,
      customer_name TEXT, agent_name TEXT, status TEXT, total REAL, created_at TEXT, region_name TEXT)`);
    const insert = db.prepare(
      `INSERT INTO daily (day, revenue, orders, customer_name, agent_name, status, total, created_at, region_name)
       VALUES (?, ?, ?, 'Riverside Veterinary Clinic', 'Kenji Watanabe', 'pending', 123.45, ?, 'North-West Coast')`,
    );
    for (let i = 0; i < 40; i++) {
      const day = new Date(Date.UTC(2026, 0, 1 + i)).toISOString().slice(0, 10);
      insert.run(day, 100_000 + i * 900, 40 + (i % 7), `${day}T10:00:00.000Z`);
    }
    db.close();
    const server = await startOpsdeck(['serve', '--config', config.file, '--port', '0']);
    servers.push(server);
    for (const theme of THEMES) {
      const { page, problems } = await open(server.url, { width: 1440, theme });
      for (const id of ['daily', 'latest']) {
        await expect
          .poll(() => sectionCard(page, id).getAttribute('data-version'), WAIT)
          .not.toBeNull();
      }
      // Values as the server sent them: a status "pending" reads "pending", not "Pending".
      expect(await sectionCard(page, 'latest').locator('.pill').first().innerText()).toBe(
        'pending',
      );
      if (theme === 'dark') {
        execFileSync('sqlite3', [
          join(config.dir, 'layout.db'),
          'ALTER TABLE daily RENAME TO gone;',
        ]);
      }
      for (const width of [1440, 390]) {
        await page.setViewportSize({ width, height: 900 });
        for (const id of ['daily', 'latest']) {
          const card = sectionCard(page, id);
          await expect.poll(() => card.getAttribute('data-healthy'), WAIT).toBe('false');
          await card.locator('.chart-legend, .table-order').first().waitFor();
          // Stale, in words and without colour; never faded.
          expect(
            await card.locator('.card-body').evaluate((el) => getComputedStyle(el).opacity),
          ).toBe('1');
          const findings = await seriousAxeFindings(page, {
            include: `#card-${id}`,
            summaries: true,
          });
          expect(findings, `${theme} ${width} px ${id}`).toEqual([]);
        }
      }
      expect(problems).toEqual([]);
      await page.context().close();
    }

    // At 390 px the degraded words keep "failing" readable: wrapped, not cut.
    const { page } = await open(server.url, { width: 390 });
    const status = page.getByTestId('connection-status');
    await expect.poll(() => status.innerText(), WAIT).toMatch(/2 of 2 failing/);
    // The box that clips its words (overflow hidden) holds them all.
    const words = status.locator('.conn-words');
    expect(await words.evaluate((el) => el.clientWidth > 0)).toBe(true);
    expect(await words.evaluate((el) => el.scrollWidth - el.clientWidth)).toBeLessThanOrEqual(1);
    const pill = await status.locator('.conn-state').boundingBox();
    const header = await page.locator('.app-header').boundingBox();
    const connect = await page.getByRole('button', { name: /^Connect…/ }).boundingBox();
    expect(pill && connect && pill.x + pill.width <= connect.x).toBe(true);
    expect(pill && header && pill.y + pill.height <= header.y + header.height).toBe(true);
    await page.context().close();
    config.remove();
  }, 120_000);

  it('at 390 px: the selected tab is in view, KPI deltas keep their room, one main landmark', async () => {
    const server = await startOpsdeck(['demo', '--port', '0', '--rate', '0']);
    servers.push(server);
    const { page, problems } = await open(`${server.url}/?dashboard=trends`, { width: 390 });
    const tab = page.getByRole('tab', { selected: true });
    await expect.poll(() => tab.innerText(), WAIT).toMatch(/Trends/);
    const inView = () =>
      tab.evaluate((el) => {
        const row = el.parentElement?.getBoundingClientRect();
        const box = el.getBoundingClientRect();
        return !!row && box.left >= row.left && box.right <= row.right;
      });
    await expect.poll(inView).toBe(true);
    expect(await page.getByRole('main').count()).toBe(1);
    expect(await page.getByRole('main').getByRole('tabpanel').count()).toBe(1);

    // A delta that grows from "—" to a long one must not move the cards below it.
    await page.getByRole('tab', { name: /All sections/ }).click();
    const kpis = sectionCard(page, 'kpis');
    await expect.poll(() => kpis.getAttribute('data-version'), WAIT).not.toBeNull();
    const height = () => kpis.evaluate((el) => el.getBoundingClientRect().height);
    const before = await height();
    await kpis
      .locator('.stat-delta')
      .first()
      .evaluate((el) => {
        el.textContent = '▲ 1,204,317.50 since last update';
      });
    expect(Math.abs((await height()) - before)).toBeLessThan(1); // sub-pixel rounding only
    expect(problems).toEqual([]);
    await page.context().close();
  }, 60_000);

  it('TV mode fits the screen, connected and disconnected; no sort buttons, 19 px type', async () => {
    const server = await startOpsdeck(['demo', '--port', '0', '--rate', '600', '--seed', '8']);
    servers.push(server);
    const screens = [
      { path: '/?kiosk&dashboard=trends', width: 1920, height: 1080 },
      { path: '/?kiosk&dashboard=floor', width: 1920, height: 1080 },
      { path: '/?kiosk', width: 1440, height: 900 },
    ];
    const pages: { page: Page; name: string; width: number }[] = [];
    for (const { path, width, height } of screens) {
      const { page } = await open(`${server.url}${path}`, { width, height });
      await page.getByTestId('alert-open-orders-high').waitFor({ timeout: 60_000 });
      await expect
        .poll(() => page.locator('.card[data-stale="false"]').count(), WAIT)
        .toBeGreaterThan(1);
      const name = `${path} at ${width}x${height}`;
      expect(await overflow(page), name).toBeLessThanOrEqual(0);
      // No sort buttons in the DOM; the cards' other tools are hidden (kiosk.css).
      expect(await page.locator('.th-sort').count(), name).toBe(0);
      expect(await page.locator('.card button:visible').count(), name).toBe(0);
      if (width === 1920) {
        expect(await smallText(page, '.alert-strip, .card', MIN_KIOSK_PX), name).toEqual([]);
      }
      pages.push({ page, name, width });
    }
    await server.stop('SIGKILL');
    for (const { page, name, width } of pages) {
      await page.getByTestId('connection-banner').waitFor({ timeout: 30_000 });
      await expect
        .poll(() => page.locator('.card[data-stale="true"]').count(), WAIT)
        .toBeGreaterThan(1);
      expect(await overflow(page), `${name}, disconnected`).toBeLessThanOrEqual(0);
      if (width === 1920) {
        expect(await smallText(page, '.banner, .alert-strip, .card', MIN_KIOSK_PX), name).toEqual(
          [],
        );
      }
      await page.context().close();
    }
  }, 180_000);
});
