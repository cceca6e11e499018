/**
 * The web console end to end in Debian's Chromium against real `opsdeck demo` processes: every
 * section renders, live updates arrive without a reload, the connection banner follows a killed
 * and restarted server, a wrong token is reported and fixed, and profiles are saved, switched and
 * deleted. Screenshots of the dashboard are written to test-artifacts/.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { expect, it } from 'vitest';
import {
  artifactPath,
  computedColour,
  consoleSuiteHooks,
  describeWithChromium,
  watchProblems,
} from './helpers/browser.js';
import { sectionCard as section, shownVersion as version } from './helpers/browser.js';
import { startOpsdeck, type OpsdeckProcess } from './helpers/opsdeckProcess.js';

const SECTIONS = ['kpis', 'sales', 'agents', 'recent'];
const dir = mkdtempSync(join(tmpdir(), 'opsdeck-e2e-'));
const dbFile = join(dir, 'demo.db');
let browser: Browser;
const servers: OpsdeckProcess[] = [];

async function demo(args: string[] = []): Promise<OpsdeckProcess> {
  const server = await startOpsdeck(['demo', '--port', '0', '--seed', 'e2e', ...args]);
  servers.push(server);
  return server;
}

async function open(
  url: string,
  viewport = { width: 1280, height: 800 },
): Promise<{ page: Page; problems: string[] }> {
  const context = await browser.newContext({
    viewport,
    locale: 'en-US',
    timezoneId: 'Europe/Berlin',
  });
  const page = await context.newPage();
  const problems = watchProblems(page);
  await page.goto(url);
  return { page, problems };
}

describeWithChromium('web console in Chromium', () => {
  consoleSuiteHooks({ dir, servers, onBrowser: (b) => (browser = b) });

  it('renders every demo section with data and updates live without a reload', async () => {
    const server = await demo(['--rate', '0', '--db', dbFile]);
    const { page, problems } = await open(server.url);
    for (const id of SECTIONS) {
      await expect.poll(() => version(page, id), { timeout: 10_000 }).toBeGreaterThan(0);
    }
    // charts are drawn, the table has rows, the tiles have values
    await expect
      .poll(() => section(page, 'sales').locator('svg .recharts-line, svg .recharts-area').count())
      .toBeGreaterThan(0);
    await expect
      .poll(() => section(page, 'agents').locator('svg .recharts-bar-rectangle').count())
      .toBeGreaterThan(0);
    await expect.poll(() => section(page, 'recent').locator('tbody tr').count()).toBe(10);
    expect(await section(page, 'kpis').innerText()).toMatch(/\d/);
    await expect.poll(() => page.getByTestId('cluster-node').count()).toBe(1);
    expect(await page.getByTestId('cluster-node').first().getAttribute('data-leader')).toBe('true');

    const kpis = await version(page, 'kpis');
    const recent = await version(page, 'recent');
    const at = new Date().toISOString();
    execFileSync('sqlite3', [
      dbFile,
      `PRAGMA busy_timeout=2000; INSERT INTO orders (agent_id, customer_name, total, status, created_at) VALUES (1, 'Browser Test Bakery', 1234.5, 'open', '${at}');`,
    ]);
    await expect
      .poll(() => section(page, 'recent').innerText(), { timeout: 5000 })
      .toContain('Browser Test Bakery');
    expect(await version(page, 'recent')).toBeGreaterThan(recent);
    await expect.poll(() => version(page, 'kpis')).toBeGreaterThan(kpis);

    await page.screenshot({ path: artifactPath('console-dashboard-dark.png'), fullPage: true });
    await page.getByRole('button', { name: /theme/i }).click();
    await page.screenshot({ path: artifactPath('console-dashboard-light.png'), fullPage: true });
    expect(problems).toEqual([]);
    await page.context().close();
  }, 60_000);

  it('shows the banner within 3 s of the server dying and clears it when it returns', async () => {
    const server = await demo(['--rate', '60', '--db', join(dir, 'banner.db')]);
    const port = new URL(server.url).port;
    const { page, problems } = await open(server.url);
    await expect.poll(() => version(page, 'recent'), { timeout: 10_000 }).toBeGreaterThan(0);
    await expect(page.getByTestId('connection-banner').count()).resolves.toBe(0);
    // What the last version changed, in colour while live ("+1 added" in green, say).
    const counted = section(page, 'recent').locator('.change-count[class*="change-count--"]');
    await expect.poll(() => counted.count(), { timeout: 10_000 }).toBeGreaterThan(0);
    const colourOf = () => counted.first().evaluate((el) => getComputedStyle(el).color);
    const grey = await computedColour(page, 'var(--text-2)');
    expect(await colourOf()).not.toBe(grey);

    const killedAt = Date.now();
    await server.stop('SIGKILL');
    await page.getByTestId('connection-banner').waitFor({ state: 'visible', timeout: 3000 });
    expect(Date.now() - killedAt).toBeLessThan(3000);
    expect(await page.getByTestId('connection-banner').innerText()).toMatch(/reconnect|reach/i);
    await expect.poll(() => section(page, 'recent').getAttribute('data-stale')).toBe('true');
    // Stale: those counts are drained of colour with the rest of the card, not shown as live.
    await expect.poll(colourOf, { timeout: 5000 }).toBe(grey);

    const restarted = await startOpsdeck([
      'demo',
      '--port',
      port,
      '--rate',
      '60',
      '--db',
      join(dir, 'banner.db'),
    ]);
    servers.push(restarted);
    await page.getByTestId('connection-banner').waitFor({ state: 'detached', timeout: 15_000 });
    await expect.poll(() => section(page, 'recent').getAttribute('data-stale')).not.toBe('true');
    await expect.poll(() => section(page, 'recent').locator('tbody tr').count()).toBe(10);
    expect(problems).toEqual([]);
    await page.context().close();
  }, 60_000);

  it('reports a wrong token as unauthorized, and connects with the right one', async () => {
    const server = await demo(['--rate', '0', '--token', 'the-right-token']);
    const { page } = await open(server.url);
    const banner = page.getByTestId('connection-banner');
    await banner.waitFor({ state: 'visible', timeout: 5000 });
    expect(await banner.getAttribute('data-phase')).toBe('unauthorized');
    expect(await banner.innerText()).toMatch(/token/i);

    await banner.getByRole('button', { name: /token/i }).click();
    const dialog = page.getByTestId('connect-dialog');
    await dialog.waitFor({ state: 'visible' });
    await dialog.getByTestId('new-profile').click();
    await dialog.getByTestId('profile-name').fill('Demo with token');
    await dialog.getByTestId('profile-urls').fill(server.url);
    await dialog.getByTestId('profile-token').fill('a-wrong-token');
    await dialog.getByTestId('test-connection').click();
    const result = dialog.getByTestId('test-result');
    await expect
      .poll(() => result.getAttribute('data-kind'), { timeout: 10_000 })
      .toBe('unauthorized');
    expect(await result.innerText()).toMatch(/unauthori[sz]ed|refused/i);

    await dialog.getByTestId('profile-token').fill('the-right-token');
    await dialog.getByTestId('test-connection').click();
    await expect.poll(() => result.getAttribute('data-ok'), { timeout: 10_000 }).toBe('true');
    expect(await result.innerText()).toMatch(/opsdeck/i);
    await dialog.getByTestId('save-and-connect').click();
    await banner.waitFor({ state: 'detached', timeout: 10_000 });
    await expect.poll(() => version(page, 'kpis'), { timeout: 10_000 }).toBeGreaterThan(0);
    await page.context().close();
  }, 60_000);

  it('saves, switches and deletes profiles in the connect dialog', async () => {
    const first = await demo(['--rate', '0']);
    const second = await demo(['--rate', '0', '--seed', 'other']);
    const { page, problems } = await open(first.url);
    await expect.poll(() => version(page, 'kpis'), { timeout: 10_000 }).toBeGreaterThan(0);

    await page.keyboard.press('Control+k');
    const dialog = page.getByTestId('connect-dialog');
    await dialog.waitFor({ state: 'visible' });
    await dialog.getByTestId('new-profile').click();
    await dialog.getByTestId('profile-name').fill('Second demo');
    await dialog.getByTestId('profile-urls').fill(second.url);
    await dialog.getByTestId('save-profile').click();
    await expect.poll(() => dialog.getByTestId('profile-item').count()).toBe(2);
    await page.screenshot({ path: artifactPath('console-connect-dialog.png') });

    // switch to the second server
    const secondItem = dialog.getByTestId('profile-item').filter({ hasText: 'Second demo' });
    await secondItem.click();
    await dialog.getByTestId('connect-profile').click();
    await dialog.waitFor({ state: 'detached' });
    await expect
      .poll(() => page.locator('header').innerText(), { timeout: 10_000 })
      .toContain('Second demo');
    await expect.poll(() => version(page, 'kpis'), { timeout: 10_000 }).toBeGreaterThan(0);

    // it survives a reload, and is the active one
    await page.reload();
    await expect
      .poll(() => page.locator('header').innerText(), { timeout: 10_000 })
      .toContain('Second demo');

    // switch back and delete it
    await page.keyboard.press('Control+k');
    await dialog.waitFor({ state: 'visible' });
    await dialog.getByTestId('profile-item').filter({ hasText: 'This server' }).click();
    await dialog.getByTestId('connect-profile').click();
    await dialog.waitFor({ state: 'detached' });
    await expect
      .poll(() => page.locator('header').innerText(), { timeout: 10_000 })
      .toContain('This server');
    await page.keyboard.press('Control+k');
    await dialog.waitFor({ state: 'visible' });
    await dialog.getByTestId('profile-item').filter({ hasText: 'Second demo' }).click();
    await dialog.getByTestId('delete-profile').click();
    await dialog.getByTestId('confirm-delete').click();
    await expect.poll(() => dialog.getByTestId('profile-item').count()).toBe(1);
    await page.reload();
    // The shortcut works once the console is up (its key handler is attached on mount): wait
    // for the data, as a person would, instead of racing the page's start.
    await expect.poll(() => version(page, 'kpis'), { timeout: 10_000 }).toBeGreaterThan(0);
    await page.keyboard.press('Control+k');
    await dialog.waitFor({ state: 'visible' });
    expect(await dialog.getByTestId('profile-item').count()).toBe(1);
    expect(problems).toEqual([]);
    await page.context().close();
  }, 90_000);
});
