/**
 * What changed, the change log, pause and chart windows, end to end in Debian's Chromium against
 * real `opsdeck demo` processes: rows written by another process (the sqlite3 shell) show as an
 * added row and a changed cell with its previous value on hover, the change log lists the
 * versions with their counts, a paused card counts newer versions and resume shows the latest, a
 * chart's window changes its point count; axe-core finds no serious or critical violation with
 * all of it on screen, in both themes at 1440 and 390 px. Screenshots go to test-artifacts/.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { expect, it } from 'vitest';
import { contrastResults, seriousAxeFindings } from './helpers/axeFindings.js';
import {
  artifactPath,
  computedColour,
  consoleSuiteHooks,
  describeWithChromium,
  sectionCard as section,
  shownVersion as version,
  THEMES,
  type Theme,
} from './helpers/browser.js';
import { openConsolePage } from './helpers/consolePage.js';
import { startOpsdeck, type OpsdeckProcess } from './helpers/opsdeckProcess.js';

const SECTIONS = ['kpis', 'sales', 'agents', 'recent'];
const WAIT = { timeout: 20_000 };
const dir = mkdtempSync(join(tmpdir(), 'opsdeck-changes-'));
let browser: Browser;
const servers: OpsdeckProcess[] = [];

async function demo(args: string[]): Promise<OpsdeckProcess> {
  const server = await startOpsdeck(['demo', '--port', '0', '--seed', 'changes', ...args]);
  servers.push(server);
  return server;
}

async function open(
  url: string,
  width = 1440,
  theme: Theme = 'dark',
): Promise<{ page: Page; problems: string[] }> {
  const { page, problems } = await openConsolePage(browser, url, {
    width,
    theme,
    timezoneId: 'Europe/Berlin',
  });
  for (const id of SECTIONS) {
    await expect.poll(() => version(page, id), WAIT).toBeGreaterThan(0);
  }
  return { page, problems };
}

/** One commit through the sqlite3 shell: another process writing, as a user would. */
function sql(db: string, statements: string): void {
  execFileSync('sqlite3', [db, `PRAGMA busy_timeout=5000; BEGIN; ${statements} COMMIT;`]);
}

describeWithChromium('what changed, pause and windows in Chromium', () => {
  consoleSuiteHooks({ dir, servers, onBrowser: (b) => (browser = b) });

  it('shows an added row, a changed cell with its previous value, and the change log', async () => {
    const db = join(dir, 'changes.db');
    const server = await demo(['--rate', '0', '--db', db]);
    const { page, problems } = await open(server.url);
    const recent = section(page, 'recent');
    await expect.poll(() => recent.locator('tbody tr').count(), WAIT).toBe(10);
    const first = recent.locator('tbody tr').first();
    const id = Number(await first.locator('td').first().innerText());
    const oldName = await first.locator('td').nth(1).innerText();
    const before = await version(page, 'recent');

    // "Since I looked" on the KPI tiles: marked now, so the new order is the whole delta.
    const kpis = section(page, 'kpis');
    await kpis.getByLabel('Change').selectOption('looked');
    await kpis.getByRole('button', { name: 'Mark as seen' }).click();

    const at = new Date().toISOString();
    sql(
      db,
      `UPDATE orders SET customer_name = 'Renamed Trading' WHERE id = ${id};
       INSERT INTO orders (agent_id, customer_name, total, status, created_at)
       VALUES (1, 'Changes Test Bakery', 321.5, 'open', '${at}');`,
    );
    await expect.poll(() => version(page, 'recent'), WAIT).toBeGreaterThan(before);

    const added = recent.locator('tbody tr[data-change="added"]');
    await expect.poll(() => added.count(), WAIT).toBe(1);
    expect(await added.innerText()).toContain('Changes Test Bakery');
    const cell = recent.locator('tbody td.cell-changed');
    await expect.poll(() => cell.count(), WAIT).toBe(1);
    expect(await cell.innerText()).toContain('Renamed Trading');
    await cell.hover();
    expect(await cell.getAttribute('title')).toBe(`Changed: was ${oldName}`);
    // The previous value is in the cell's text for screen readers too.
    expect(await cell.locator('.sr-only').textContent()).toBe(` (changed, was ${oldName})`);

    const summary = recent.getByTestId('change-summary');
    expect(await summary.locator('[data-kind="added"]').getAttribute('data-count')).toBe('1');
    expect(await summary.locator('[data-kind="removed"]').getAttribute('data-count')).toBe('1');
    expect(await summary.locator('[data-kind="changed"]').getAttribute('data-count')).toBe('1');

    await recent.getByTestId('change-log-toggle').click();
    const log = recent.getByTestId('change-log');
    await log.waitFor();
    const rows = log.locator('tbody tr');
    expect(await rows.count()).toBeGreaterThanOrEqual(2);
    const latest = await version(page, 'recent');
    expect(await rows.first().getAttribute('data-version')).toBe(String(latest));
    const cells = await rows.first().locator('td').allInnerTexts();
    // time, version, rows, added, removed, changed
    expect(cells.slice(1)).toEqual([`on screen ${latest}`, '10', '1', '1', '1']);
    expect(await rows.nth(1).getAttribute('data-version')).toBe(String(before));
    const details = await recent.getByTestId('change-details').innerText();
    expect(details).toContain(`ID ${id}: Customer name ${oldName} → Renamed Trading`);

    await expect
      .poll(() => kpis.getByTestId('stat-delta-orders_today').innerText(), WAIT)
      .toMatch(/1 since I looked/);

    await page.screenshot({ path: artifactPath('changes-log-dark-1440.png'), fullPage: true });
    expect(problems).toEqual([]);
    await page.context().close();
  }, 90_000);

  it('new and changed rows are marked without their text ever reading below 4.5:1 (axe checks every cell, every moment of the flash, both themes)', async () => {
    const db = join(dir, 'flash.db');
    const server = await demo(['--rate', '0', '--db', db]);
    for (const theme of THEMES) {
      const { page, problems } = await open(server.url, 1440, theme);
      const recent = section(page, 'recent');
      const before = await version(page, 'recent');
      const id = Number(await recent.locator('tbody tr td').first().innerText());
      sql(
        db,
        `UPDATE orders SET status = CASE status WHEN 'open' THEN 'closed' ELSE 'open' END, customer_name = 'Flash ${theme} Ltd' WHERE id = ${id};
         INSERT INTO orders (agent_id, customer_name, total, status, created_at)
         VALUES (1, 'Flash ${theme}', 12.5, 'open', '${new Date().toISOString()}');`,
      );
      await expect.poll(() => version(page, 'recent'), WAIT).toBeGreaterThan(before);
      await expect.poll(() => recent.locator('tbody tr[data-change]').count(), WAIT).toBe(2);
      await expect.poll(() => recent.locator('td.cell-changed').count(), WAIT).toBeGreaterThan(0);
      await recent.locator('tbody').scrollIntoViewIfNeeded();
      // Each moment of the flash, held still: started again, paused that far in (CSSOM: the
      // console's content security policy refuses inline style sheets).
      for (const ms of [0, 300, 600, 1000, 1500, 2000, 2500]) {
        await recent.locator('tbody tr, tbody td').evaluateAll((elements, t) => {
          for (const element of elements as HTMLElement[]) {
            element.style.setProperty('animation-name', 'none', 'important');
            getComputedStyle(element).getPropertyValue('animation-name'); // applies it
            element.style.removeProperty('animation-name');
            element.style.setProperty('animation-play-state', 'paused', 'important');
            element.style.setProperty('animation-delay', `-${t}ms`, 'important');
          }
        }, ms);
        if (ms === 0) {
          // The marks are drawn: the row's ring, the bar under the changed cell.
          const ring = await recent
            .locator('tbody tr[data-change="added"]')
            .evaluate((row) => getComputedStyle(row).outlineColor);
          expect(ring).toBe(await computedColour(page, 'var(--accent)'));
          const bar = await recent
            .locator('td.cell-changed')
            .first()
            .evaluate((cell) => getComputedStyle(cell).boxShadow);
          expect(bar).toMatch(/inset/);
        }
        const contrast = await contrastResults(page, '[data-testid="section-recent"] tbody');
        // Every cell was measured (none left undecided, as an overlay once made them all) ...
        expect({ theme, ms, undecided: contrast.incomplete }).toEqual({ theme, ms, undecided: [] });
        expect(contrast.passed).toBeGreaterThanOrEqual(10);
        // ... and reads at 4.5:1 or more.
        expect({ theme, ms, failing: contrast.violations }).toEqual({ theme, ms, failing: [] });
      }
      expect(problems).toEqual([]);
      await page.context().close();
    }
  }, 120_000);

  it('a paused card keeps receiving, says so, and resume shows the latest', async () => {
    const server = await demo(['--rate', '600', '--db', join(dir, 'pause.db')]);
    const { page, problems } = await open(server.url);
    const kpis = section(page, 'kpis');
    await kpis.getByTestId('pause-toggle').click();
    expect(await kpis.getAttribute('data-paused')).toBe('true');
    const held = await version(page, 'kpis');
    const chip = kpis.getByTestId('card-paused');
    await expect
      .poll(async () => Number(/(\d+) newer/.exec(await chip.innerText())?.[1] ?? 0), WAIT)
      .toBeGreaterThanOrEqual(3);
    expect(await chip.innerText()).toMatch(/^paused · \d+ newer versions$/);
    expect(await version(page, 'kpis')).toBe(held);
    expect(await kpis.getByTestId('card-source').innerText()).not.toMatch(/live/);
    // The change log went on counting while the card held still.
    await kpis.getByTestId('change-log-toggle').click();
    const logged = Number(
      await kpis
        .locator('[data-testid="change-log"] tbody tr')
        .first()
        .getAttribute('data-version'),
    );
    expect(logged).toBeGreaterThan(held);
    // ... and marks the version the card holds.
    const current = kpis.locator('[data-testid="change-log"] tr[aria-current="true"]');
    expect(await current.getAttribute('data-version')).toBe(String(held));
    await page.screenshot({ path: artifactPath('changes-paused-dark-1440.png'), fullPage: true });

    await kpis.getByTestId('pause-toggle').click();
    expect(await kpis.getAttribute('data-paused')).toBeNull();
    expect(await chip.count()).toBe(0);
    expect(await version(page, 'kpis')).toBeGreaterThanOrEqual(logged);
    expect(await kpis.getByTestId('card-source').innerText()).toBe('live push');
    expect(problems).toEqual([]);
    await page.context().close();
  }, 90_000);

  it("a time window changes the chart's point count", async () => {
    const server = await demo(['--rate', '0', '--db', join(dir, 'window.db')]);
    const { page, problems } = await open(server.url);
    const sales = section(page, 'sales');
    const chart = sales.locator('figure.chart');
    const points = async () => Number(await chart.getAttribute('data-points'));
    expect(await points()).toBe(30);
    const label = async () => sales.locator('[role="img"]').first().getAttribute('aria-label');
    const option = (name: string) =>
      sales.getByRole('group', { name: 'Time window' }).getByRole('button', { name, exact: true });
    await option('7 days').click();
    expect(await points()).toBe(7);
    expect(await option('7 days').getAttribute('aria-pressed')).toBe('true');
    // The chart itself is redrawn with the window: its description names the shorter span.
    await expect.poll(label, WAIT).not.toBe(undefined);
    const week = await label();
    await option('30 days').click();
    expect(await points()).toBe(30);
    await option('All').click();
    expect(await points()).toBe(30);
    expect(await label()).not.toBe(week);
    // Bar charts (category x) offer no window.
    expect(await section(page, 'agents').getByRole('group', { name: 'Time window' }).count()).toBe(
      0,
    );
    expect(problems).toEqual([]);
    await page.context().close();
  }, 60_000);

  it('has no serious accessibility violation with the tools open, both themes, 1440 and 390', async () => {
    const server = await demo(['--rate', '120', '--db', join(dir, 'a11y.db')]);
    for (const theme of THEMES) {
      for (const width of [1440, 390]) {
        const { page, problems } = await open(server.url, width, theme);
        const recent = section(page, 'recent');
        await recent.getByTestId('change-log-toggle').click();
        await section(page, 'agents').getByTestId('pause-toggle').click();
        await section(page, 'sales')
          .getByRole('group', { name: 'Time window' })
          .getByRole('button', { name: '7 days', exact: true })
          .click();
        await section(page, 'kpis').getByLabel('Change').selectOption('clock');
        // A version with changes on screen: the demo floor writes 2 orders a second.
        await expect
          .poll(() => recent.locator('tbody tr[data-change]').count(), WAIT)
          .toBeGreaterThan(0);
        await page.screenshot({
          path: artifactPath(`changes-${theme}-${width}.png`),
          fullPage: true,
        });
        const serious = await seriousAxeFindings(page, { summaries: true });
        expect(serious).toEqual([]);
        const overflow = await page.evaluate(
          () => document.documentElement.scrollWidth - window.innerWidth,
        );
        expect(overflow).toBeLessThanOrEqual(0);
        expect(problems).toEqual([]);
        await page.context().close();
      }
    }
  }, 180_000);
});
