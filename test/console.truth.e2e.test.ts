/**
 * The console tells the truth, in Debian's Chromium against real `opsdeck demo` and `opsdeck serve`
 * processes: table rows in exactly the SQL's order (and sortable by header, with a way back); a
 * failing section shows its error over its last good data marked stale, or an explicit error state
 * when it never had data, and the header says the server is degraded with how many sections fail;
 * a change-feed warning shows on the card and in its labels; after a server restart the KPI deltas
 * compare with the last value seen before the outage. Screenshots go to test-artifacts/.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import type { Browser, Page } from 'playwright-core';
import { expect, it } from 'vitest';
import {
  artifactPath,
  consoleSuiteHooks,
  describeWithChromium,
  watchProblems,
} from './helpers/browser.js';
import { sectionCard as section, shownVersion as version } from './helpers/browser.js';
import { startOpsdeck, type OpsdeckProcess } from './helpers/opsdeckProcess.js';
import { writeServeConfig } from './helpers/serveConfig.js';

const dir = mkdtempSync(join(tmpdir(), 'opsdeck-truth-'));
let browser: Browser;
const servers: OpsdeckProcess[] = [];

async function open(
  url: string,
  width = 1280,
  theme: 'dark' | 'light' = 'dark',
): Promise<{ page: Page; problems: string[] }> {
  const context = await browser.newContext({
    viewport: { width, height: 900 },
    locale: 'en-US',
    timezoneId: 'Europe/Berlin',
  });
  await context.addInitScript((t) => localStorage.setItem('opsdeck.theme', t), theme);
  const page = await context.newPage();
  const problems = watchProblems(page);
  await page.goto(url);
  return { page, problems };
}

const sqlite = (file: string, sql: string) =>
  execFileSync('sqlite3', ['-cmd', '.timeout 3000', file, sql], { encoding: 'utf8' });
const firstColumn = (page: Page, id: string) =>
  section(page, id)
    .locator('tbody tr td:first-child')
    .allInnerTexts()
    .then((cells) => cells.map((c) => c.trim().replace(/,/g, '')));

/** The demo's `recent` query (server/demo/demoSections.ts), run by the sqlite3 shell. */
const RECENT_SQL = `SELECT o.id FROM orders o LEFT JOIN agents a ON a.id = o.agent_id
ORDER BY o.created_at DESC, o.id DESC LIMIT 10;`;

describeWithChromium('the console tells the truth (Chromium)', () => {
  consoleSuiteHooks({ dir, servers, onBrowser: (b) => (browser = b) });

  it('shows table rows exactly in the order the SQL returns them; headers sort, and back', async () => {
    const db = join(dir, 'order.db');
    const server = await startOpsdeck(['demo', '--port', '0', '--rate', '0', '--db', db]);
    servers.push(server);
    const { page, problems } = await open(server.url);
    await expect.poll(() => version(page, 'recent'), { timeout: 10_000 }).toBeGreaterThan(0);
    const sqlOrder = () => sqlite(db, RECENT_SQL).trim().split('\n');
    await expect
      .poll(async () => (await firstColumn(page, 'recent')).join())
      .toBe(sqlOrder().join());

    // Rows whose times would make a "newest first" guess flip the table: an old order typed in
    // with a new id, and two orders in the same millisecond (the SQL breaks the tie by id DESC).
    const now = new Date().toISOString();
    sqlite(
      db,
      `INSERT INTO orders (agent_id, customer_name, total, status, created_at) VALUES
         (1, 'Tie A', 10, 'open', '${now}'), (2, 'Tie B', 20, 'open', '${now}');`,
    );
    await expect
      .poll(() => section(page, 'recent').innerText(), { timeout: 5000 })
      .toContain('Tie B');
    await expect
      .poll(async () => (await firstColumn(page, 'recent')).join())
      .toBe(sqlOrder().join());
    // Times the SQL orders as text: the first row (+14:00) is older than the tenth, which once made
    // the console "correct" the order by reversing the table.
    const later = Array.from(
      { length: 9 },
      (_, i) => `(3, 'Later ${i}', 30, 'open', '2098-12-31T${String(11 + i)}:00:00.000Z')`,
    );
    sqlite(
      db,
      `INSERT INTO orders (agent_id, customer_name, total, status, created_at) VALUES
         (4, 'Offset First', 40, 'open', '2099-01-01T00:00:00+14:00'), ${later.join(', ')};`,
    );
    await expect
      .poll(() => section(page, 'recent').innerText(), { timeout: 5000 })
      .toContain('Offset First');
    await expect
      .poll(async () => (await firstColumn(page, 'recent')).join())
      .toBe(sqlOrder().join());
    expect(await section(page, 'recent').locator('tbody tr').first().innerText()).toContain(
      'Offset First',
    );
    expect(await section(page, 'recent').getByTestId('table-order').innerText()).toMatch(
      /SQL order/,
    );

    // Sort by total (ascending, then descending), then back to the SQL order.
    const totalHeader = section(page, 'recent').getByRole('columnheader', { name: /Total/ });
    await totalHeader.getByRole('button').click();
    expect(await totalHeader.getAttribute('aria-sort')).toBe('ascending');
    const totals = async () =>
      (await section(page, 'recent').locator('tbody td.money').allInnerTexts()).map((t) =>
        Number(t.replace(/[^0-9.]/g, '')),
      );
    const ascending = await totals();
    expect(ascending).toEqual([...ascending].sort((a, b) => a - b));
    await totalHeader.getByRole('button').click();
    expect(await totalHeader.getAttribute('aria-sort')).toBe('descending');
    const descending = await totals();
    expect(descending).toEqual([...descending].sort((a, b) => b - a));
    await section(page, 'recent').getByRole('button', { name: 'Back to SQL order' }).click();
    expect(await totalHeader.getAttribute('aria-sort')).toBeNull();
    await expect
      .poll(async () => (await firstColumn(page, 'recent')).join())
      .toBe(sqlOrder().join());
    expect(problems).toEqual([]);
    await page.context().close();
  }, 60_000);

  it('a failing section shows its error over stale data or as an error state; the header says degraded', async () => {
    const config = writeServeConfig({
      database: { url: 'sqlite:truth.db' },
      watch: { mode: 'poll', intervalMs: 250 },
      sections: [
        { id: 'answer', title: 'Answer', view: { type: 'stat' }, sql: 'SELECT 42 AS answer' },
        {
          id: 'items',
          title: 'Items',
          view: { type: 'table' },
          sql: 'SELECT id, name FROM items ORDER BY id DESC',
        },
        { id: 'broken', title: 'Broken', view: { type: 'table' }, sql: 'SELECT totl FROM items' },
      ],
    });
    const file = join(config.dir, 'truth.db');
    const db = new Database(file);
    db.exec(
      "CREATE TABLE items (id INTEGER PRIMARY KEY, name TEXT); INSERT INTO items (name) VALUES ('one'), ('two');",
    );
    db.close();
    const server = await startOpsdeck(['serve', '--config', config.file, '--port', '0']);
    servers.push(server);
    const { page, problems } = await open(server.url, 1024);
    const status = page.getByTestId('connection-status');

    // Never had data: an error state with the database's message, no loading placeholder.
    const broken = section(page, 'broken');
    await broken.getByTestId('section-error').waitFor({ timeout: 10_000 });
    expect(await broken.getByTestId('section-error').innerText()).toMatch(/no such column: totl/);
    expect(await broken.innerText()).not.toMatch(/Waiting for data/);
    expect(await broken.locator('.skeleton').count()).toBe(0);
    expect(await broken.getByTestId('card-freshness').innerText()).toBe('no data — query failing');
    await expect.poll(() => status.innerText()).toMatch(/Degraded · 1 of 3 sections failing/);
    expect(await status.getAttribute('data-health')).toBe('degraded');
    expect(await status.locator('.conn-state--ok').count()).toBe(0);

    // Had data, then fails: the error over the last good rows, marked stale.
    const items = section(page, 'items');
    await expect.poll(() => items.locator('tbody tr').count()).toBe(2);
    sqlite(file, 'ALTER TABLE items RENAME TO items_gone;');
    await items.getByTestId('section-error').waitFor({ timeout: 10_000 });
    expect(await items.getByTestId('section-error').innerText()).toMatch(/no such table: items/);
    expect(await items.getByTestId('section-error').innerText()).toMatch(/stale/);
    expect(await items.getAttribute('data-stale')).toBe('true');
    expect(await items.locator('tbody tr').count()).toBe(2); // still shown
    expect(await items.getByTestId('card-freshness').innerText()).toMatch(/^stale — last good/);
    await expect.poll(() => status.innerText()).toMatch(/Degraded · 2 of 3 sections failing/);
    await page.screenshot({ path: artifactPath('console-failing-1024.png'), fullPage: true });
    await page.setViewportSize({ width: 390, height: 900 });
    await page.screenshot({ path: artifactPath('console-failing-390.png'), fullPage: true });
    // On a phone the (shorter) degraded words still end before the Connect button.
    await expect.poll(() => status.innerText()).toMatch(/Degraded · 2 of 3 failing/);
    const pill = await status.locator('.conn-state').boundingBox();
    const connect = await page.getByRole('button', { name: /^Connect…/ }).boundingBox();
    expect(pill && connect && pill.x + pill.width <= connect.x).toBe(true);

    // Recovers: the error goes, the header counts again.
    sqlite(file, 'ALTER TABLE items_gone RENAME TO items;');
    await expect.poll(() => items.getAttribute('data-healthy'), { timeout: 10_000 }).toBe('true');
    expect(await items.getAttribute('data-stale')).toBe('false');
    await expect.poll(() => status.innerText()).toMatch(/Degraded · 1 of 3 sections failing/);
    expect(problems).toEqual([]);
    await page.context().close();
    config.remove();
  }, 60_000);

  it('shows a change-feed warning on the card and in its freshness and source labels', async () => {
    const server = await startOpsdeck(['demo', '--port', '0', '--rate', '0']);
    servers.push(server);
    const context = await browser.newContext({ viewport: { width: 1024, height: 900 } });
    const page = await context.newPage();
    const warning = 'orders has no notify trigger: changes show up only at the 60 s re-check';
    // Only PostgreSQL produces warnings: relay the real server and add one section-status frame
    // (Socket.IO "42" = event message) once the console has subscribed.
    await page.routeWebSocket(/socket\.io/, (ws) => {
      const upstream = ws.connectToServer();
      ws.onMessage((message) => {
        upstream.send(message);
        if (typeof message === 'string' && message.includes('"subscribe"')) {
          setTimeout(() => {
            ws.send(
              `42${JSON.stringify(['section-status', { section: 'sales', healthy: true, warning }])}`,
            );
          }, 300);
        }
      });
    });
    await page.goto(server.url);
    const sales = section(page, 'sales');
    await sales.getByTestId('section-warning').waitFor({ timeout: 10_000 });
    expect(await sales.getByTestId('section-warning').innerText()).toContain(warning);
    expect(await sales.getByTestId('card-freshness').innerText()).toMatch(/may be late/);
    const source = await sales.getByTestId('card-source').innerText();
    expect(source).toMatch(/unreliable/);
    expect(source).not.toBe('live push');
    await page.screenshot({ path: artifactPath('console-warning-1024.png'), fullPage: true });
    await context.close();
  }, 60_000);

  it('after a server restart, KPI deltas compare with the last value seen before the outage', async () => {
    const db = join(dir, 'kpis.db');
    const first = await startOpsdeck(['demo', '--port', '0', '--rate', '0', '--db', db]);
    servers.push(first);
    const port = new URL(first.url).port;
    const { page, problems } = await open(first.url);
    const orders = page.getByTestId('stat-orders_today');
    await expect.poll(() => version(page, 'kpis'), { timeout: 10_000 }).toBeGreaterThan(0);
    const before = Number((await orders.innerText()).replace(/[^0-9]/g, ''));

    await first.stop('SIGKILL');
    await expect.poll(() => section(page, 'kpis').getAttribute('data-stale')).toBe('true');
    // While the server is down, two orders are placed.
    const now = new Date().toISOString();
    sqlite(
      db,
      `INSERT INTO orders (agent_id, customer_name, total, status, created_at) VALUES
         (1, 'Outage One', 100, 'open', '${now}'), (2, 'Outage Two', 150, 'open', '${now}');`,
    );
    const second = await startOpsdeck(['demo', '--port', port, '--rate', '0', '--db', db]);
    servers.push(second);
    await expect
      .poll(() => section(page, 'kpis').getAttribute('data-stale'), { timeout: 15_000 })
      .toBe('false');
    await expect
      .poll(() => orders.innerText(), { timeout: 5000 })
      .toBe((before + 2).toLocaleString('en-US'));
    const tile = section(page, 'kpis').locator('[data-column="orders_today"] .stat-delta');
    expect(await tile.innerText()).toMatch(/▲\s*up\s*2 since/);
    const revenue = section(page, 'kpis').locator('[data-column="revenue_today"] .stat-delta');
    expect(await revenue.innerText()).toMatch(/up\s*250\.00 since/);
    expect(problems).toEqual([]);
    await page.context().close();
  }, 60_000);
});
