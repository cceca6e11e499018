/**
 * The Inspect panel in Debian's Chromium against a real `opsdeck serve` on a SQLite file: the
 * panel's facts equal what the server sends (version, hash, node, rows, SQL where showSql allows
 * it), the CSV download holds exactly the rows, the evidence download verifies against the server
 * over a separate socket (and stops verifying once the rows change), the chart PNG is a real PNG,
 * the Verify button says "matches" / "no longer current" / why it could not. axe-core finds no
 * serious or critical violation with the panel open; screenshots at 1440 and 390 px, both themes,
 * and the exported PNG, go to test-artifacts/.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import type { Browser, Download, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it, vi } from 'vitest';
import type { CatalogAck, SectionUpdate, VerifyAck } from '../common/protocol.js';
import { seriousAxeFindings } from './helpers/axeFindings.js';
import {
  artifactPath,
  consoleSuiteHooks,
  describeWithChromium,
  sectionCard,
  shownVersion,
  THEMES,
  watchProblems,
} from './helpers/browser.js';
import { createItemsDatabase } from './helpers/cliFixtures.js';
import { connect, recorder, request, type TestSocket } from './helpers/client.js';
import { openConsolePage } from './helpers/consolePage.js';
import { parseCsv } from './helpers/csvParse.js';
import { documentedHash } from './helpers/documentedHash.js';
import { startOpsdeck, type OpsdeckProcess } from './helpers/opsdeckProcess.js';
import { writeServeConfig } from './helpers/serveConfig.js';

const ITEMS_SQL = 'SELECT id, name, qty FROM items ORDER BY id';
const dir = mkdtempSync(join(tmpdir(), 'opsdeck-inspect-'));
const dbFile = join(dir, 'items.db');
const servers: OpsdeckProcess[] = [];
const sockets: TestSocket[] = [];
let browser: Browser;
let server: OpsdeckProcess;
const WAIT = { timeout: 30_000, interval: 100 };

async function startServer(): Promise<OpsdeckProcess> {
  createItemsDatabase(dbFile);
  const config = writeServeConfig({
    database: { url: `sqlite:${dbFile}` },
    watch: { mode: 'poll', intervalMs: 250 },
    sections: [
      { id: 'items', title: 'Items', view: { type: 'table' }, sql: ITEMS_SQL, showSql: true },
      {
        id: 'stock',
        title: 'Stock by item',
        view: { type: 'bar', x: 'name', y: ['qty'] },
        sql: 'SELECT name, qty FROM items ORDER BY id',
        showSql: true,
      },
      {
        id: 'count',
        title: 'Count',
        view: { type: 'stat', y: ['n'] },
        sql: 'SELECT count(*) AS n FROM items',
      },
    ],
  });
  const started = await startOpsdeck(['serve', '--config', config.file, '--port', '0']);
  servers.push(started);
  return started;
}

async function open(width = 1440, theme: 'dark' | 'light' = 'dark'): Promise<Page> {
  const { page } = await openConsolePage(browser, server.url, {
    width,
    theme,
    acceptDownloads: true,
  });
  await expect.poll(() => shownVersion(page, 'items'), WAIT).toBeGreaterThan(0);
  return page;
}

async function openInspect(page: Page, section: string) {
  await sectionCard(page, section).getByTestId('card-inspect').click();
  const dialog = page.getByTestId(`inspect-${section}`);
  await expect.poll(() => dialog.isVisible(), WAIT).toBe(true);
  return dialog;
}

async function download(
  page: Page,
  click: () => Promise<void>,
): Promise<{ file: Download; bytes: Buffer }> {
  const [file] = await Promise.all([page.waitForEvent('download'), click()]);
  const path = await file.path();
  return { file, bytes: readFileSync(path) };
}

/** What the server holds for a section now, over a socket of the test's own. */
async function serverUpdate(section: string): Promise<SectionUpdate> {
  const socket = await connect(server.url);
  sockets.push(socket);
  const seen = recorder(socket);
  await request(socket, 'subscribe', { sections: [section] });
  return vi.waitFor(
    () => {
      const update = seen.latest(section);
      if (!update) throw new Error('no update yet');
      return update;
    },
    { timeout: 20_000 },
  );
}

function insertItem(id: number, name: string, qty: number): void {
  const db = new Database(dbFile);
  try {
    db.prepare('INSERT INTO items (id, name, qty) VALUES (?, ?, ?)').run(id, name, qty);
  } finally {
    db.close();
  }
}

afterAll(() => {
  for (const socket of sockets) socket.close();
});

describeWithChromium('Inspect panel in Chromium', () => {
  consoleSuiteHooks({
    dir,
    servers,
    onBrowser: (b) => (browser = b),
  });

  beforeAll(async () => {
    server = await startServer();
  });

  it('shows where the numbers come from, as the server sends them', async () => {
    const page = await open();
    const problems = watchProblems(page);
    const held = await serverUpdate('items');
    await expect.poll(() => shownVersion(page, 'items'), WAIT).toBe(held.version);
    const catalog = await request<CatalogAck>(sockets[0] as TestSocket, 'catalog');
    if (!catalog.ok) throw new Error(catalog.error.message);

    const dialog = await openInspect(page, 'items');
    const fact = (name: string) => dialog.locator(`[data-fact="${name}"]`).innerText();
    expect(await fact('version')).toBe(String(held.version));
    expect(await fact('hash')).toBe(held.hash);
    expect(await fact('node')).toContain(catalog.server.nodeId);
    expect(await fact('rows')).toBe('3 rows');
    expect(await fact('truncated')).toMatch(/^No/);
    expect(await fact('changedAt')).toContain(held.changedAt);
    expect(await fact('queriedAt')).toContain(held.queriedAt);
    expect(await dialog.getByTestId('inspect-sql').innerText()).toBe(ITEMS_SQL);
    // Escape closes it and gives the focus back to the button.
    await page.keyboard.press('Escape');
    await expect.poll(() => dialog.count(), WAIT).toBe(0);
    expect(await page.evaluate(() => document.activeElement?.getAttribute('data-testid'))).toBe(
      'card-inspect',
    );

    // A section without showSql says why there is no SQL.
    const count = await openInspect(page, 'count');
    expect(await count.getByTestId('inspect-sql-hidden').innerText()).toMatch(/showSql is off/);
    expect(await count.getByTestId('inspect-sql').count()).toBe(0);
    await page.keyboard.press('Escape');
    expect(problems).toEqual([]);
    await page.context().close();
  });

  it('downloads the rows as CSV, exactly as the server sent them', async () => {
    insertItem(5, 'saw, "big"', 2); // a comma and quotes: quoted in the file
    const held = await vi.waitFor(
      async () => {
        const update = await serverUpdate('items');
        expect(update.rows).toHaveLength(4);
        return update;
      },
      { timeout: 20_000 },
    );
    const page = await open();
    await expect.poll(() => shownVersion(page, 'items'), WAIT).toBe(held.version);
    const dialog = await openInspect(page, 'items');
    const { file, bytes } = await download(page, () =>
      dialog.getByRole('button', { name: 'Rows as CSV' }).click(),
    );
    expect(file.suggestedFilename()).toBe(`opsdeck-items-v${held.version}.csv`);
    const text = bytes.toString('utf8');
    expect(text).toContain('5,"saw, ""big""",2\r\n');
    expect(parseCsv(text)).toEqual([
      held.columns.map((c) => c.name),
      ...held.rows.map((row) =>
        held.columns.map((c) => {
          const value = row[c.name];
          return typeof value === 'string' ? value : JSON.stringify(value);
        }),
      ),
    ]);
    await page.context().close();
  });

  it('downloads evidence that verifies against the server, and stops verifying once the rows change', async () => {
    const page = await open();
    const problems = watchProblems(page);
    const dialog = await openInspect(page, 'items');
    const version = await shownVersion(page, 'items');
    const { file, bytes } = await download(page, () =>
      dialog.getByRole('button', { name: 'Evidence (JSON)' }).click(),
    );
    expect(file.suggestedFilename()).toBe(`opsdeck-items-v${version}.json`);
    const evidence = JSON.parse(bytes.toString('utf8')) as Record<string, unknown> & SectionUpdate;
    const held = await serverUpdate('items');
    expect(evidence).toMatchObject({
      format: 'opsdeck-evidence/1',
      section: 'items',
      title: 'Items',
      version: held.version,
      hash: held.hash,
      changedAt: held.changedAt,
      queriedAt: held.queriedAt,
      sql: ITEMS_SQL,
      truncated: false,
      columns: held.columns,
      rows: held.rows,
    });
    expect(evidence.node).toEqual(expect.any(String));
    // Its rows are the ones hashed: anyone can recompute the hash from the file alone.
    expect(documentedHash(evidence.columns, evidence.rows, false)).toBe(evidence.hash);
    const socket = sockets.at(-1) as TestSocket;
    const check = () =>
      request<VerifyAck>(socket, 'verify', {
        section: evidence.section,
        version: evidence.version,
        hash: evidence.hash,
      });
    expect(await check()).toEqual({ ok: true, current: true });

    // The Verify button agrees.
    await dialog.getByTestId('inspect-verify').click();
    const verdict = dialog.getByTestId('inspect-verdict');
    await expect.poll(() => verdict.getAttribute('data-state'), WAIT).toBe('current');
    expect(await verdict.innerText()).toBe(
      `Version ${version} matches the server's current version.`,
    );

    // New rows: the file no longer verifies; the panel keeps its version and says so.
    insertItem(6, 'level', 4);
    await expect.poll(() => shownVersion(page, 'items'), WAIT).toBeGreaterThan(version);
    expect(await check()).toEqual({ ok: true, current: false });
    await expect.poll(() => dialog.getByTestId('inspect-newer').isVisible(), WAIT).toBe(true);
    await dialog.getByTestId('inspect-verify').click();
    await expect.poll(() => verdict.getAttribute('data-state'), WAIT).toBe('stale');
    expect(await verdict.innerText()).toBe(
      `Version ${version} is no longer current: the server holds other rows now.`,
    );
    const latest = await shownVersion(page, 'items');
    await dialog.getByRole('button', { name: `Show version ${latest}` }).click();
    expect(await dialog.locator('[data-fact="version"]').innerText()).toBe(String(latest));
    await dialog.getByTestId('inspect-verify').click();
    await expect.poll(() => verdict.getAttribute('data-state'), WAIT).toBe('current');
    expect(problems).toEqual([]);
    await page.context().close();
  });

  it('exports the chart as a PNG of the drawn chart', async () => {
    const page = await open();
    const problems = watchProblems(page);
    await expect
      .poll(() => sectionCard(page, 'stock').locator('svg .recharts-bar-rectangle').count(), WAIT)
      .toBeGreaterThan(0);
    const dialog = await openInspect(page, 'stock');
    const version = await shownVersion(page, 'stock');
    const { file, bytes } = await download(page, () =>
      dialog.getByRole('button', { name: 'Chart as PNG' }).click(),
    );
    expect(file.suggestedFilename()).toBe(`opsdeck-stock-v${version}.png`);
    writeFileSync(artifactPath('inspect-chart-export.png'), bytes);
    expect(bytes.subarray(0, 8)).toEqual(
      Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    );
    expect(bytes.subarray(12, 16).toString('latin1')).toBe('IHDR');
    const width = bytes.readUInt32BE(16);
    const height = bytes.readUInt32BE(20);
    expect(width).toBeGreaterThan(200);
    expect(height).toBeGreaterThan(100);
    expect(bytes.length).toBeGreaterThan(2000); // bars, axes and labels, not an empty canvas
    // Tables and tiles have no chart to export.
    await page.keyboard.press('Escape');
    const items = await openInspect(page, 'items');
    expect(await items.getByRole('button', { name: 'Chart as PNG' }).count()).toBe(0);
    expect(problems).toEqual([]);
    await page.context().close();
  });

  for (const theme of THEMES) {
    for (const width of [1440, 390]) {
      it(`${theme} theme at ${width} px: the open panel has no serious or critical axe violation`, async () => {
        const page = await open(width, theme);
        const dialog = await openInspect(page, 'items');
        await dialog.getByTestId('inspect-verify').click();
        await expect
          .poll(() => dialog.getByTestId('inspect-verdict').getAttribute('data-state'), WAIT)
          .toBe('current');
        const serious = await seriousAxeFindings(page);
        await page.screenshot({ path: artifactPath(`inspect-${theme}-${width}.png`) });
        expect(serious).toEqual([]);
        // The panel fits the screen sideways.
        const box = await dialog.boundingBox();
        expect(box?.x).toBeGreaterThanOrEqual(0);
        expect((box?.x ?? 0) + (box?.width ?? 0)).toBeLessThanOrEqual(width);
        await page.context().close();
      }, 120_000); // axe on a heavily loaded two-core machine
    }
  }

  it('says plainly when it cannot verify: the server is gone', async () => {
    const page = await open();
    const dialog = await openInspect(page, 'items');
    await server.stop();
    await expect
      .poll(() => sectionCard(page, 'items').getAttribute('data-stale'), WAIT)
      .toBe('true');
    await expect.poll(() => dialog.getByTestId('inspect-stale').isVisible(), WAIT).toBe(true);
    await dialog.getByTestId('inspect-verify').click();
    const verdict = dialog.getByTestId('inspect-verdict');
    await expect.poll(() => verdict.getAttribute('data-state'), WAIT).toBe('error');
    expect(await verdict.innerText()).toMatch(
      /^Could not verify version \d+: not connected to the server\.$/,
    );
    await page.context().close();
  });
});
