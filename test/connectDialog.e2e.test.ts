/**
 * The connect dialog's "Test connection" end to end in Debian's Chromium, against real things on
 * real sockets: a closed port, a host name that does not exist, PostgreSQL on 5432, a web server
 * that is not Opsdeck, a self-signed TLS server, and an `opsdeck demo` with a token (missing,
 * wrong, right). Twice: as the browser console (which can only say what a browser knows), and as
 * the desktop app (a `window.opsdeck` whose probeServer is the main process's real probe module).
 * In both themes at 1440 and 390 px: axe-core finds no serious or critical violation in the dialog,
 * every button stays inside the viewport, and each diagnosis is screenshotted to test-artifacts/.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer as createHttpServer, type Server } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import { createServer as createTcpServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AxeBuilder } from '@axe-core/playwright';
import type { Browser, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { probeServer } from '../main/probe/probeServer.js';
import {
  artifactPath,
  describeWithChromium,
  focusStop,
  type FocusStop,
  launchChromium,
  type Theme,
  THEMES,
  watchProblems,
} from './helpers/browser.js';
import { fakeDesktopApiScript } from './helpers/fakeDesktopApi.js';
import { startOpsdeck, type OpsdeckProcess } from './helpers/opsdeckProcess.js';
import { selfSignedCert } from './helpers/selfSignedCert.js';

const TOKEN = 'dialog-token-123';
const WIDTHS = [1440, 390];

const dir = mkdtempSync(join(tmpdir(), 'opsdeck-dialog-'));
let browser: Browser;
let consoleServer: OpsdeckProcess;
let secured: OpsdeckProcess;
let web: Server;
let tls: Server;
let closedUrl: string;

interface Case {
  name: string;
  url: () => string;
  token?: string;
  kind: string;
  title: RegExp;
  message: RegExp;
}

const port = (server: { address(): unknown }) => (server.address() as AddressInfo).port;
const listen = (server: Server) =>
  new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));

/** What the browser console can say: it names only what a browser can know. */
const BROWSER_CASES: Case[] = [
  {
    name: 'closed-port',
    url: () => closedUrl,
    kind: 'unreachable',
    title: /^Could not connect$/,
    message:
      /^The browser could not connect to 127\.0\.0\.1:\d+\. It does not say why: the host name may not exist, nothing may listen on that port/,
  },
  {
    name: 'no-such-host',
    url: () => 'http://no-such-host.invalid:3001',
    kind: 'unreachable',
    title: /^Could not connect$/,
    message: /^The browser could not connect to no-such-host\.invalid:3001\. It does not say why/,
  },
  {
    name: 'postgres',
    url: () => 'http://127.0.0.1:5432',
    kind: 'unreachable',
    title: /^Could not connect$/,
    message:
      /It does not say why.*Port 5432 is PostgreSQL's default port: the database’s address belongs in the Opsdeck server’s configuration/,
  },
  {
    name: 'web-server',
    url: () => `http://127.0.0.1:${port(web)}`,
    kind: 'not_opsdeck',
    title: /^Not an Opsdeck server$/,
    message:
      /is a web server, but not an Opsdeck server: its \/healthz is not Opsdeck’s \(no \{"ok":true\} that any page may read\), and it has no Opsdeck Socket\.IO endpoint/,
  },
  {
    name: 'token-missing',
    url: () => secured.url,
    kind: 'unauthorized',
    title: /^Token needed$/,
    message: /is an Opsdeck server that needs a token\. Enter one of the tokens/,
  },
  {
    name: 'token-refused',
    url: () => secured.url,
    token: 'a-wrong-token',
    kind: 'unauthorized',
    title: /^Token refused$/,
    message: /is an Opsdeck server, but it refused the token\. Check it for typos/,
  },
  {
    name: 'ok',
    url: () => secured.url,
    token: TOKEN,
    kind: 'ok',
    title: /^Connection OK/,
    message: /node/,
  },
];

/** What the desktop app says: the main process's probe names the failing step. */
const DESKTOP_CASES: Case[] = [
  {
    name: 'closed-port',
    url: () => closedUrl,
    kind: 'refused',
    title: /^Connection refused$/,
    message:
      /^Nothing is listening on 127\.0\.0\.1:\d+: the connection was refused\. Start the Opsdeck server/,
  },
  {
    name: 'no-such-host',
    url: () => 'http://no-such-host.invalid:3001',
    kind: 'host_not_found',
    title: /^Host name not found$/,
    message: /^The host name “no-such-host\.invalid” (was not found|could not be looked up)/,
  },
  {
    name: 'postgres',
    url: () => 'http://127.0.0.1:5432',
    kind: 'not_opsdeck',
    title: /^Not an Opsdeck server$/,
    message:
      /^127\.0\.0\.1:5432 accepted the connection but closed it without an HTTP answer: it is not a web server, so not Opsdeck\. Port 5432 is PostgreSQL's default port/,
  },
  {
    name: 'web-server',
    url: () => `http://127.0.0.1:${port(web)}`,
    kind: 'not_opsdeck',
    title: /^Not an Opsdeck server$/,
    message:
      /GET \/healthz answered 404 Not Found from “nginx\/1\.24\.0”, where Opsdeck answers 200/,
  },
  {
    name: 'tls',
    url: () => `https://127.0.0.1:${port(tls)}`,
    kind: 'tls',
    title: /^TLS problem$/,
    message:
      /the TLS connection failed: its certificate is self-signed \(DEPTH_ZERO_SELF_SIGNED_CERT\)/,
  },
  ...BROWSER_CASES.slice(4),
];

async function openDialog(
  width: number,
  theme: Theme,
  desktop: boolean,
): Promise<{ page: Page; dialog: Locator; problems: string[] }> {
  const context = await browser.newContext({
    viewport: { width, height: width < 600 ? 844 : 900 },
    locale: 'en-US',
    reducedMotion: 'reduce',
  });
  // The console keeps the chosen theme in localStorage (App.tsx): start in the one under test.
  await context.addInitScript((t) => localStorage.setItem('opsdeck.theme', t), theme);
  if (desktop) {
    await context.exposeFunction('__opsdeckProbe', (url: string) => probeServer(url));
    await context.addInitScript({ content: fakeDesktopApiScript(consoleServer.url) });
  }
  const page = await context.newPage();
  const problems = watchProblems(page);
  await page.goto(consoleServer.url);
  await expect
    .poll(() => page.locator('header').innerText(), { timeout: 10_000 })
    .toMatch(/Connected|Live|Degraded/i);
  await page.keyboard.press('Control+k');
  const dialog = page.getByTestId('connect-dialog');
  await dialog.waitFor({ state: 'visible' });
  await dialog.getByTestId('new-profile').click();
  await dialog.getByTestId('profile-name').fill('Under test');
  return { page, dialog, problems };
}

async function runCase(dialog: Locator, c: Case): Promise<{ kind: string; text: string }> {
  await dialog.getByTestId('profile-urls').fill(c.url());
  await dialog.getByTestId('profile-token').fill(c.token ?? '');
  await dialog.getByTestId('test-connection').click();
  const result = dialog.getByTestId('test-result');
  await expect
    .poll(() => result.getAttribute('data-kind'), { timeout: 15_000 })
    .not.toBe('running');
  return { kind: (await result.getAttribute('data-kind')) ?? '', text: await result.innerText() };
}

/** Serious and critical axe findings inside the dialog (label/name mismatch included). */
async function axeDialog(page: Page): Promise<string[]> {
  const results = await new AxeBuilder({ page })
    .include('[data-testid="connect-dialog"]')
    .options({ rules: { 'label-content-name-mismatch': { enabled: true } } })
    .analyze();
  return results.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .flatMap((v) => v.nodes.map((n) => `${v.id} ${n.target.join(' ')}: ${n.failureSummary ?? ''}`));
}

/** Every button of the dialog, scrolled into view (inside the dialog), lies inside the viewport. */
async function buttonsOutsideViewport(page: Page, dialog: Locator): Promise<string[]> {
  const viewport = page.viewportSize()!;
  const outside: string[] = [];
  const box = await dialog.boundingBox();
  if (!box || box.x < 0 || box.y < 0 || box.x + box.width > viewport.width + 0.5) {
    outside.push(`dialog ${JSON.stringify(box)}`);
  }
  if (box && box.y + box.height > viewport.height + 0.5)
    outside.push(`dialog bottom ${box.y + box.height}`);
  for (const button of await dialog.locator('button:visible').all()) {
    await button.scrollIntoViewIfNeeded();
    const b = await button.boundingBox();
    const name = (await button.getAttribute('aria-label')) ?? (await button.innerText());
    if (!b) continue;
    if (
      b.x < 0 ||
      b.y < 0 ||
      b.x + b.width > viewport.width + 0.5 ||
      b.y + b.height > viewport.height + 0.5
    ) {
      outside.push(`${name.trim()} ${JSON.stringify(b)}`);
    }
  }
  const pageScroll = await page.evaluate(() => {
    const s = document.scrollingElement ?? document.documentElement;
    return s.scrollWidth - window.innerWidth;
  });
  if (pageScroll > 0) outside.push(`page scrolls sideways by ${pageScroll}px`);
  return outside;
}

describeWithChromium('connect dialog diagnoses in Chromium', () => {
  beforeAll(async () => {
    browser = await launchChromium();
    [consoleServer, secured] = await Promise.all([
      startOpsdeck(['demo', '--port', '0', '--rate', '0', '--seed', 'dialog']),
      startOpsdeck(['demo', '--port', '0', '--rate', '0', '--seed', 'dialog2', '--token', TOKEN]),
    ]);
    web = createHttpServer((_req, res) => {
      res.writeHead(404, { Server: 'nginx/1.24.0', 'Content-Type': 'text/html' });
      res.end('<h1>404 Not Found</h1>');
    });
    tls = createHttpsServer(selfSignedCert(dir), (_q, r) => r.end('{"ok":true}'));
    const closed = createTcpServer();
    await Promise.all([listen(web), listen(tls), listen(closed as unknown as Server)]);
    closedUrl = `http://127.0.0.1:${port(closed)}`;
    await new Promise((resolve) => closed.close(resolve));
  }, 60_000);

  afterAll(async () => {
    await browser.close();
    web.closeAllConnections();
    tls.closeAllConnections();
    await Promise.all([
      consoleServer.stop(),
      secured.stop(),
      new Promise((resolve) => web.close(resolve)),
      new Promise((resolve) => tls.close(resolve)),
    ]);
    rmSync(dir, { recursive: true, force: true });
  });

  for (const desktop of [false, true]) {
    const cases = desktop ? DESKTOP_CASES : BROWSER_CASES;
    const where = desktop ? 'desktop' : 'browser';
    for (const theme of THEMES) {
      for (const width of WIDTHS) {
        it(`${where}, ${theme}, ${width} px: each diagnosis, axe-clean, buttons in view`, async () => {
          const { page, dialog, problems } = await openDialog(width, theme, desktop);
          expect(await axeDialog(page)).toEqual([]);
          for (const c of cases) {
            const { kind, text } = await runCase(dialog, c);
            const [title = '', ...rest] = text.split('\n').filter((l) => l.trim() !== '');
            expect({ case: c.name, kind }).toEqual({ case: c.name, kind: c.kind });
            expect(title.trim(), c.name).toMatch(c.title);
            expect(rest.join(' '), c.name).toMatch(c.message);
            await page.screenshot({
              path: artifactPath(`connect-dialog-${where}-${c.name}-${theme}-${width}.png`),
            });
            expect(await axeDialog(page), c.name).toEqual([]);
          }
          expect(await buttonsOutsideViewport(page, dialog)).toEqual([]);
          // Only the browser's own reports of the failed probes, nothing from the console.
          expect(
            problems.filter(
              (p) => !/Failed to load resource|net::ERR_|WebSocket|blocked by CORS policy/.test(p),
            ),
          ).toEqual([]);
          await page.context().close();
        }, 120_000);
      }
    }
  }

  it('keeps every button inside the viewport at 1024 and 390 px', async () => {
    for (const width of [1024, 390, 320]) {
      const { page, dialog } = await openDialog(width, 'dark', false);
      await runCase(dialog, BROWSER_CASES[0]!);
      expect(await buttonsOutsideViewport(page, dialog), `${width} px`).toEqual([]);
      await page.screenshot({
        path: artifactPath(`connect-dialog-browser-buttons-dark-${width}.png`),
      });
      await page.context().close();
    }
  }, 60_000);

  it('shows a focus ring on every focusable element, and names match visible labels', async () => {
    const { page, dialog } = await openDialog(1024, 'light', false);
    await runCase(dialog, BROWSER_CASES[3]!);
    const stops: FocusStop[] = [];
    // From the first element of the dialog (a key press first: focus rings follow the keyboard).
    await page.keyboard.press('Shift');
    await dialog.getByTestId('close-dialog').focus();
    for (let i = 0; i < 60; i++) {
      if (i > 0) await page.keyboard.press('Tab');
      const stop = await focusStop(page, 'dialog');
      if (!stop) break;
      stops.push(stop);
      if (/save and connect/i.test(stop.name)) {
        await page.screenshot({
          path: artifactPath('connect-dialog-focus-ring-light-1024.png'),
        });
      }
    }
    expect(stops.length).toBeGreaterThan(6);
    expect(stops.filter((s) => !s.ring)).toEqual([]);
    expect(stops.filter((s) => !s.nameMatches)).toEqual([]);
    await page.context().close();
  }, 60_000);
});
