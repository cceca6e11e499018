/**
 * What a new user with their own PostgreSQL sees in the console, in Debian's Chromium against a
 * real `opsdeck serve` in notify mode: a table without its notify trigger makes its card say that
 * updates may be late (and why) and the header say degraded; installing the trigger clears both by
 * itself; a failing query shows PostgreSQL's error with its HINT, never a loading placeholder.
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { notifyTriggerSql } from '../server/config/notifyTriggerSql.js';
import { describeWithChromium, launchChromium, watchProblems } from './helpers/browser.js';
import { startOpsdeck, type OpsdeckProcess } from './helpers/opsdeckProcess.js';
import { writeServeConfig } from './helpers/serveConfig.js';
import { createPostgresDatabase, serviceAvailable, type TestDatabase } from './helpers/services.js';

const CHANNEL = 'opsdeck_console_pg';
const available = await serviceAvailable('postgres');
let browser: Browser;
let db: TestDatabase;
const cleanups: (() => unknown)[] = [];

async function serve(sections: object[]): Promise<OpsdeckProcess> {
  const written = writeServeConfig({
    database: { url: db.url },
    watch: { mode: 'notify', channel: CHANNEL, intervalMs: 1000 },
    sections,
  });
  const server = await startOpsdeck(['serve', '--config', written.file, '--port', '0']);
  cleanups.push(() => server.stop(), written.remove);
  return server;
}

async function open(url: string): Promise<{ page: Page; problems: string[] }> {
  const context = await browser.newContext({ viewport: { width: 1024, height: 900 } });
  cleanups.push(() => context.close());
  const page = await context.newPage();
  const problems = watchProblems(page);
  await page.goto(url);
  return { page, problems };
}

describeWithChromium('the console with your own PostgreSQL (Chromium)', () => {
  beforeAll(async () => {
    if (!available.ok) throw new Error(`PostgreSQL is needed: ${available.reason}`);
    browser = await launchChromium();
    db = await createPostgresDatabase();
    await db.admin('CREATE TABLE orders (id serial PRIMARY KEY, total numeric NOT NULL)');
    await db.admin('INSERT INTO orders (total) VALUES (10), (20)');
  });

  afterAll(async () => {
    for (const c of cleanups.reverse()) await c();
    await browser.close();
    await db.drop();
  });

  it('a missing notify trigger: the card and the header say so, until the trigger exists', async () => {
    const server = await serve([
      {
        id: 'totals',
        title: 'Totals',
        view: { type: 'stat' },
        sql: 'SELECT count(*) AS orders FROM orders',
      },
    ]);
    const { page, problems } = await open(server.url);
    const card = page.getByTestId('section-totals');
    const warning = card.getByTestId('section-warning');
    await warning.waitFor({ timeout: 10_000 });
    expect(await warning.innerText()).toContain(
      `orders: it has no trigger that notifies channel "${CHANNEL}"`,
    );
    const status = page.getByTestId('connection-status');
    await expect.poll(() => status.innerText()).toMatch(/Degraded · 1 of 1 section may be late/);
    await page.screenshot({
      path: new URL('../test-artifacts/console-pg-no-trigger-1024.png', import.meta.url).pathname,
    });

    await db.admin(notifyTriggerSql(CHANNEL, ['orders']));
    await warning.waitFor({ state: 'detached', timeout: 10_000 });
    await expect.poll(() => status.innerText()).toMatch(/^Connected/);
    // Live now: an insert shows up through the trigger.
    await db.admin('INSERT INTO orders (total) VALUES (30)');
    await expect.poll(() => card.innerText(), { timeout: 10_000 }).toMatch(/\b3\b/);
    expect(problems).toEqual([]);
  });

  it("a failing query: the card shows PostgreSQL's error with its HINT, not a placeholder", async () => {
    const server = await serve([
      {
        id: 'broken',
        title: 'Broken',
        view: { type: 'table' },
        sql: 'SELECT totl FROM orders',
        tables: ['orders'],
      },
    ]);
    const { page } = await open(server.url);
    const card = page.getByTestId('section-broken');
    await expect
      .poll(() => card.innerText(), { timeout: 10_000 })
      .toMatch(/HINT:?\s+Perhaps you meant to reference the column "orders\.total"\./);
    expect(await card.innerText()).toContain('column "totl" does not exist');
    expect(await card.innerText()).not.toMatch(/Waiting for data/i);
    await expect
      .poll(() => page.getByTestId('connection-status').innerText())
      .toMatch(/Degraded · 1 of 1 section failing/);
  });
});
