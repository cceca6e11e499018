import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';
import { waitUntil } from './clock.js';
import type { Scope } from './scope.js';

/** Debian's Chromium (playwright-core never downloads a browser); OPSDECK_CHROMIUM overrides. */
export const CHROMIUM = process.env.OPSDECK_CHROMIUM ?? '/usr/bin/chromium';

export async function launchChromium(scope: Scope): Promise<Browser> {
  if (!existsSync(CHROMIUM)) {
    throw new Error(
      `Chromium not found at ${CHROMIUM} (apt-get install chromium, or set OPSDECK_CHROMIUM)`,
    );
  }
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-quic',
      '--no-first-run',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
  scope.defer('close Chromium', () => browser.close());
  return browser;
}

/** JS heap of the page after forced garbage collection (Chrome DevTools Protocol). */
export async function pageHeapAfterGc(page: Page): Promise<number> {
  const cdp = await page.context().newCDPSession(page);
  try {
    let best = Infinity;
    for (let i = 0; i < 3; i++) {
      await cdp.send('HeapProfiler.collectGarbage');
      await new Promise((r) => setTimeout(r, 100));
      await cdp.send('HeapProfiler.collectGarbage');
      const usage = await cdp.send('Runtime.getHeapUsage');
      best = Math.min(best, usage.usedSize);
      await new Promise((r) => setTimeout(r, 200));
    }
    return best;
  } finally {
    await cdp.detach();
  }
}

/** Main-thread time of a page over a stretch, from a Chrome trace (all tasks, top level only). */
export interface MainThreadTime {
  /** Thread CPU time: what the page's work cost, whatever else the machine was running. */
  cpuMs: number;
  /** Wall time of the same tasks (grows when the machine is loaded and the thread waits). */
  wallMs: number;
  tasks: number;
}

interface TraceEvent {
  name: string;
  ph: string;
  pid: number;
  tid: number;
  ts: number;
  dur?: number;
  tdur?: number;
  args?: { name?: string };
}

/**
 * Runs `during` while Chrome traces the page, and sums the renderer main thread's top-level
 * tasks: scripting, style, layout, paint and everything else that thread did (message handling,
 * GC), each counted once. Thread CPU time is the honest per-update cost on a shared machine.
 */
export async function traceMainThread(
  page: Page,
  during: () => Promise<void>,
): Promise<MainThreadTime> {
  const cdp = await page.context().newCDPSession(page);
  const events: TraceEvent[] = [];
  cdp.on('Tracing.dataCollected', (e: { value: object[] }) =>
    events.push(...(e.value as TraceEvent[])),
  );
  const complete = new Promise<void>((resolve) =>
    cdp.once('Tracing.tracingComplete', () => resolve()),
  );
  await cdp.send('Tracing.start', {
    traceConfig: { includedCategories: ['toplevel', 'devtools.timeline', '__metadata'] },
    transferMode: 'ReportEvents',
  });
  try {
    await during();
  } finally {
    await cdp.send('Tracing.end');
    await complete;
    await cdp.detach();
  }
  const main = events.find(
    (e) => e.ph === 'M' && e.name === 'thread_name' && e.args?.name === 'CrRendererMain',
  );
  if (!main) throw new Error('no renderer main thread in the trace');
  const slices = events
    .filter((e) => e.pid === main.pid && e.tid === main.tid && e.ph === 'X')
    .sort((a, b) => a.ts - b.ts || (b.dur ?? 0) - (a.dur ?? 0));
  let end = -Infinity;
  const total = { cpuMs: 0, wallMs: 0, tasks: 0 };
  for (const e of slices) {
    if (e.ts < end) continue; // inside a slice already counted
    end = e.ts + (e.dur ?? 0);
    total.cpuMs += (e.tdur ?? 0) / 1000;
    total.wallMs += (e.dur ?? 0) / 1000;
    total.tasks += 1;
  }
  return total;
}

export type PerUpdate = MainThreadTime & { updates: number };

/** Main-thread time per update received over `ms` of a trace; `count` reads the page's count. */
export async function tracePerUpdate(
  page: Page,
  ms: number,
  count: () => Promise<number>,
): Promise<PerUpdate> {
  let updates = 0;
  const time = await traceMainThread(page, async () => {
    const before = await count();
    await new Promise((resolve) => setTimeout(resolve, ms));
    updates = (await count()) - before;
  });
  const n = Math.max(1, updates);
  return { cpuMs: time.cpuMs / n, wallMs: time.wallMs / n, tasks: time.tasks, updates };
}

const SOCKET_IO_CLIENT = fileURLToPath(
  new URL('../../../node_modules/socket.io-client/dist/socket.io.min.js', import.meta.url),
);

/**
 * The floor of a console's main-thread time: the same server's updates into a page of the same
 * origin (/healthz) that subscribes to every section with the stock Socket.IO client, carries
 * the caller's instrumentation (`prepare` installs it and returns its update count), and draws
 * nothing.
 */
export async function floorPerUpdate(
  browser: Browser,
  url: string,
  ms: number,
  prepare: (page: Page) => Promise<() => Promise<number>>,
): Promise<PerUpdate> {
  const context = await browser.newContext({ viewport: { width: 1920, height: 1400 } });
  try {
    const page = await context.newPage();
    const count = await prepare(page);
    await page.goto(`${url}/healthz`);
    await page.addScriptTag({ content: readFileSync(SOCKET_IO_CLIENT, 'utf8') });
    await page.evaluate(async () => {
      type Ack = { ok: boolean; sections?: { id: string }[] };
      type Client = { emitWithAck: (event: string, payload?: object) => Promise<Ack> };
      const w = window as unknown as { io: (url: string, options: object) => Client };
      const socket = w.io(location.origin, { transports: ['websocket'] });
      const catalog = await socket.emitWithAck('catalog');
      const sections = (catalog.sections ?? []).map((s) => s.id);
      await socket.emitWithAck('subscribe', { sections });
    });
    await waitUntil('updates on the floor page', async () => (await count()) > 50, 30_000, 250);
    return await tracePerUpdate(page, ms, count);
  } finally {
    await context.close();
  }
}
