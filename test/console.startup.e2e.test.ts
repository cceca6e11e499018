/**
 * How the console starts, in Debian's Chromium against a real `opsdeck demo` (issue 11, scenario
 * 9): the connection opens before React has drawn anything, every chunk is preloaded by
 * index.html (no inline script: the CSP holds), the files arrive compressed, and while the chart
 * code is still on its way each chart's place is held at its size, under the card's badges.
 */
import { readdirSync } from 'node:fs';
import { mkdtempSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Browser, Page } from 'playwright-core';
import { expect, it } from 'vitest';
import {
  artifactPath,
  consoleSuiteHooks,
  describeWithChromium,
  sectionCard,
  watchProblems,
} from './helpers/browser.js';
import { startOpsdeck, type OpsdeckProcess } from './helpers/opsdeckProcess.js';

const ASSETS = fileURLToPath(new URL('../dist/console/assets/', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'opsdeck-startup-'));
let browser: Browser;
const servers: OpsdeckProcess[] = [];

async function demo(): Promise<OpsdeckProcess> {
  const server = await startOpsdeck(['demo', '--port', '0', '--seed', 'startup', '--rate', '0']);
  servers.push(server);
  return server;
}

async function open(): Promise<{ page: Page; problems: string[] }> {
  const context = await browser.newContext({
    viewport: { width: 1440, height: 900 },
    locale: 'en-US',
  });
  const page = await context.newPage();
  return { page, problems: watchProblems(page) };
}

/** GET over a raw socket: status, headers and the body as sent (never decompressed). */
function rawGet(url: string, headers: Record<string, string> = {}) {
  return new Promise<{ headers: Record<string, unknown>; body: Buffer }>((resolve, reject) => {
    request(url, { headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ headers: res.headers, body: Buffer.concat(chunks) }));
    })
      .on('error', reject)
      .end();
  });
}

/** Records, before the console's code runs, whether #root was empty when a socket was opened. */
function watchConnectOrder(): void {
  const w = window as unknown as { __connects: { rootEmpty: boolean; at: number }[] };
  w.__connects = [];
  const Native = window.WebSocket;
  window.WebSocket = class extends Native {
    constructor(url: string | URL, protocols?: string | string[]) {
      super(url, protocols);
      const root = document.getElementById('root');
      w.__connects.push({
        rootEmpty: !root || root.childElementCount === 0,
        at: performance.now(),
      });
    }
  };
}

const CHART_CURVE =
  '[data-testid="section-sales"] .recharts-line-curve, [data-testid="section-sales"] .recharts-area-curve';

describeWithChromium('console start-up in Chromium', () => {
  consoleSuiteHooks({ dir, servers, onBrowser: (b) => (browser = b) });

  it('connects before React draws, with every chunk preloaded and no inline script', async () => {
    const server = await demo();
    const html = (await rawGet(server.url)).body.toString();
    // One module script with a src, nothing inline (script-src 'self' would refuse it anyway).
    expect([...html.matchAll(/<script\b[^>]*>/g)].map((m) => m[0])).toEqual([
      expect.stringMatching(
        /^<script type="module" crossorigin src="\.\/assets\/index-[^"]+\.js">$/,
      ),
    ]);
    expect(html).not.toMatch(/<script\b[^>]*>\s*[^<\s]/);
    const preloaded = [
      ...html.matchAll(/<link rel="modulepreload"[^>]*href="\.\/assets\/([^"]+)"/g),
    ]
      .map((m) => m[1] ?? '')
      .sort();
    // The React console and the chart code: downloaded with the entry, not after it.
    expect(preloaded.some((f) => f.startsWith('renderConsole-'))).toBe(true);
    expect(preloaded.some((f) => f.startsWith('ChartView-'))).toBe(true);
    // The desktop glue (and zod) is not for a browser: never preloaded.
    expect(preloaded.some((f) => f.startsWith('electronBridge-'))).toBe(false);

    const { page, problems } = await open();
    await page.addInitScript(watchConnectOrder);
    await page.goto(server.url);
    await page.locator(CHART_CURVE).first().waitFor({ timeout: 15_000 });
    const connects = await page.evaluate(
      () => (window as unknown as { __connects: { rootEmpty: boolean; at: number }[] }).__connects,
    );
    expect(connects.length).toBeGreaterThan(0);
    expect(connects[0]?.rootEmpty).toBe(true);
    // Every preloaded chunk was requested before the socket was opened, none of them later.
    const started = await page.evaluate(() =>
      performance
        .getEntriesByType('resource')
        .map((e) => ({ file: e.name.split('/').pop() ?? '', start: e.startTime })),
    );
    for (const file of preloaded) {
      const entry = started.find((s) => s.file === file);
      expect(entry, file).toBeDefined();
      expect(entry?.start ?? Infinity).toBeLessThanOrEqual(connects[0]?.at ?? 0);
    }
    expect(started.some((s) => s.file.startsWith('electronBridge-'))).toBe(false);
    expect(problems).toEqual([]);
    await page.context().close();
  });

  it('serves its files compressed, and the browser reads them', async () => {
    const server = await demo();
    let problems: string[] = [];
    // The first request of a file starts its compression and is answered as it is meanwhile:
    // a fresh browser context (empty cache) until every script and stylesheet came compressed.
    await expect
      .poll(
        async () => {
          const opened = await open();
          problems = opened.problems;
          const { page } = opened;
          await page.goto(server.url);
          await page.locator(CHART_CURVE).first().waitFor({ timeout: 15_000 });
          const sizes = await page.evaluate(() =>
            performance
              .getEntriesByType('resource')
              .filter((e) => /\.(js|css)$/.test(e.name))
              .map((e) => {
                const r = e as PerformanceResourceTiming;
                return { encoded: r.encodedBodySize, decoded: r.decodedBodySize };
              }),
          );
          await page.context().close();
          return (
            sizes.length >= 4 && sizes.every((s) => s.encoded > 0 && s.encoded < s.decoded / 2)
          );
        },
        { timeout: 30_000, interval: 200 },
      )
      .toBe(true);
    expect(problems).toEqual([]);
    const entry = readdirSync(ASSETS).find((f) => /^index-.*\.js$/.test(f)) ?? '';
    const br = await rawGet(`${server.url}/assets/${entry}`, { 'Accept-Encoding': 'gzip, br' });
    expect(br.headers['content-encoding']).toBe('br');
    expect(br.headers.vary).toBe('Accept-Encoding');
    expect(br.headers['content-security-policy']).toContain("script-src 'self'");
    const plain = await rawGet(`${server.url}/assets/${entry}`);
    expect(plain.headers['content-encoding']).toBeUndefined();
    expect(plain.body.length).toBeGreaterThan(br.body.length);
  });

  it("holds each chart's place at its size while the chart code loads, under the card's badges", async () => {
    const server = await demo();
    const { page, problems } = await open();
    // The chart chunk is held back until the test lets it through.
    let release: () => void = () => undefined;
    const released = new Promise<void>((resolve) => (release = resolve));
    await page.context().route(/\/assets\/ChartView-[^/]+\.js$/, async (route) => {
      await released;
      const file = new URL(route.request().url()).pathname.split('/').pop() ?? '';
      await route.fulfill({ path: join(ASSETS, file), contentType: 'text/javascript' });
    });
    await page.goto(server.url);
    const sales = sectionCard(page, 'sales');
    const agents = sectionCard(page, 'agents');
    // Tiles and tables are drawn without the chart code; charts hold their place.
    await sales.locator('figure.chart--pending').waitFor({ timeout: 15_000 });
    await agents.locator('figure.chart--pending').waitFor();
    await sectionCard(page, 'kpis').locator('.card-body').waitFor();
    await sectionCard(page, 'recent').locator('table tbody tr').first().waitFor();
    await page.screenshot({ path: artifactPath('console-chart-pending.png') });

    // The server goes away: the stale badge shows above the placeholder, not under it.
    await servers.splice(servers.indexOf(server), 1)[0]?.stop();
    const stale = sales.locator('.card-stale');
    await stale.waitFor({ timeout: 15_000 });
    const chip = await stale.boundingBox();
    const placeholder = await sales.locator('figure.chart--pending').boundingBox();
    expect(chip && placeholder && chip.y + chip.height <= placeholder.y).toBe(true);
    const heights = async () =>
      Promise.all(
        [sales, agents].map(async (c) => (await c.locator('figure.chart').boundingBox())?.height),
      );
    const pending = await heights();

    release();
    await page.locator(CHART_CURVE).first().waitFor({ timeout: 15_000 });
    await agents.locator('.recharts-bar-rectangle').first().waitFor();
    expect(await page.locator('figure.chart--pending').count()).toBe(0);
    const drawn = await heights();
    // Same size: nothing below the charts moves when they replace their placeholders.
    for (const [i, h] of drawn.entries())
      expect(Math.abs((h ?? 0) - (pending[i] ?? -99))).toBeLessThanOrEqual(1);
    expect(await stale.isVisible()).toBe(true);
    const unexpected = problems.filter((p) => !/ERR_CONNECTION_REFUSED|WebSocket/.test(p));
    expect(unexpected).toEqual([]);
    await page.context().close();
  });
});
