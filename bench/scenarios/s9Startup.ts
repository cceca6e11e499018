import type { Browser } from 'playwright-core';
import { launchChromium } from '../lib/browser.js';
import { waitUntil } from '../lib/clock.js';
import { startBaseline, startOpsdeck, type ServerProcess } from '../lib/proc.js';
import type { Context, Scenario } from '../lib/scenario.js';
import { median } from '../lib/stats.js';
import { fmtMs, fmtRatio, yesNo, type ResultRow } from '../lib/table.js';

const CONSOLE_CHART =
  '[data-testid="section-sales"] .recharts-line-curve, [data-testid="section-agents"] .recharts-bar-rectangle';

/**
 * Installed before the page's scripts: the first time `selector` matches, wait for the frame that
 * paints it (requestAnimationFrame, then a task after it) and keep performance.now(), which counts
 * from the start of the navigation.
 */
function watchFirst(selector: string): void {
  const w = window as unknown as { __firstChartAt?: number };
  const check = (observer?: MutationObserver) => {
    if (!document.querySelector(selector)) return;
    observer?.disconnect();
    requestAnimationFrame(() => {
      const channel = new MessageChannel();
      channel.port1.onmessage = () => (w.__firstChartAt ??= performance.now());
      channel.port2.postMessage(0);
    });
  };
  const observer = new MutationObserver(() => check(observer));
  observer.observe(document, { childList: true, subtree: true });
}

/** Navigation start to the first chart painted, in a fresh browser context (cold cache). */
async function firstChart(browser: Browser, url: string, selector: string): Promise<number> {
  const context = await browser.newContext({ viewport: { width: 1600, height: 1000 } });
  try {
    const page = await context.newPage();
    await page.addInitScript(watchFirst, selector);
    await page.goto(url);
    let at: number | undefined;
    await waitUntil(
      `first chart at ${url}`,
      async () => {
        at = await page.evaluate(
          () => (window as unknown as { __firstChartAt?: number }).__firstChartAt,
        );
        return at !== undefined;
      },
      15_000,
      25,
    );
    return at ?? NaN;
  } finally {
    await context.close();
  }
}

/**
 * Scenario 9: `opsdeck demo` from spawn to its `listening on` line (a fresh SQLite database each
 * time; its 30 days of history are written right after that line, while /readyz says so), against
 * a bare Socket.IO server process;
 * then the console from navigation start to the first chart painted, against a static page with
 * one inline SVG chart served by that bare server. Medians of several runs.
 */
export const s9Startup: Scenario = {
  id: '9',
  title: 'start-up',
  timeoutMs: (quick) => (quick ? 60_000 : 150_000),
  async run(ctx: Context): Promise<ResultRow[]> {
    const { scope, log, quick } = ctx;
    const runs = quick ? 2 : 5;
    const demoMs: number[] = [];
    const bareMs: number[] = [];
    let demo: ServerProcess | undefined;
    let bare: ServerProcess | undefined;
    for (let i = 0; i < runs; i++) {
      const last = i === runs - 1;
      const d = await startOpsdeck('opsdeck-demo', ['demo', '--port', '0'], { scope });
      demoMs.push(d.listeningAt - d.startedAt);
      if (last) demo = d;
      else await d.stop();
      const b = await startBaseline('bare-socketio', 'socketioServer', ['--port', '0'], { scope });
      bareMs.push(b.listeningAt - b.startedAt);
      if (last) bare = b;
      else await b.stop();
    }
    if (!demo || !bare) throw new Error('no servers');
    const browser = await launchChromium(scope);
    await firstChart(browser, bare.url + '/page', 'svg polyline'); // browser warm-up
    const consoleMs: number[] = [];
    const pageMs: number[] = [];
    for (let i = 0; i < runs; i++) {
      consoleMs.push(await firstChart(browser, demo.url, CONSOLE_CHART));
      pageMs.push(await firstChart(browser, `${bare.url}/page`, 'svg polyline'));
    }
    log(
      `demo to listening: ${demoMs.map(fmtMs).join(', ')}; bare Socket.IO: ${bareMs.map(fmtMs).join(', ')}; ` +
        `console to first chart: ${consoleMs.map(fmtMs).join(', ')}; static SVG page: ${pageMs.map(fmtMs).join(', ')}`,
    );
    const d = median(demoMs);
    const c = median(consoleMs);
    return [
      {
        scenario: '9 start-up',
        figureName: `opsdeck demo: spawn to listening (median of ${runs})`,
        figure: fmtMs(d),
        baseline: `bare Socket.IO process: ${fmtMs(median(bareMs))}`,
        ratio: fmtRatio(d, median(bareMs)),
        target: '< 300 ms',
        met: yesNo(d < 300),
      },
      {
        scenario: '9 start-up',
        figureName: `console: navigation to first chart painted (median of ${runs}, cold cache)`,
        figure: fmtMs(c),
        baseline: `static page with one SVG: ${fmtMs(median(pageMs))}`,
        ratio: fmtRatio(c, median(pageMs)),
        target: '< 500 ms',
        met: yesNo(c < 500),
      },
    ];
  },
};
