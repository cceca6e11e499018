import { waitUntil } from '../lib/clock.js';
import { floorPerUpdate, launchChromium, pageHeapAfterGc, tracePerUpdate } from '../lib/browser.js';
import { startOpsdeck } from '../lib/proc.js';
import type { Context, Scenario } from '../lib/scenario.js';
import { percentile } from '../lib/stats.js';
import { fmtBytes, fmtMs, fmtRatio, yesNo, type ResultRow } from '../lib/table.js';

/** What the instrumentation keeps in the page (fixed-size buffers: it must not grow the heap). */
interface BenchState {
  updates: number;
  drawnCount: number;
  drawn: Float64Array;
  /** Index into `names` of each drawn sample's section. */
  drawnSection: Uint8Array;
  names: string[];
  floorCount: number;
  floor: Float64Array;
  superseded: number;
  arrivals: Map<string, Map<number, number>>;
  /** Stretches of time around the forced collections: samples touching them are left out. */
  quiet: [number, number][];
  excluded: number;
  /** Animation frames seen, frames in which the page changed a section more than once, the most. */
  frames: number;
  framesMulti: number;
  maxPerFrame: number;
  commitsThisFrame: number;
  /** document.timeline.currentTime of the frame the last commit belongs to. */
  commitFrame: number;
}

const SAMPLE_CAPACITY = 50_000;
const DEMO_RATE = 1200; // orders a minute: every section changes more often than its 10/s cap
const FLAT_HEAP_BYTES = 1024 * 1024;

/**
 * Installed before the console's scripts: records when each `update` frame arrives on the
 * WebSocket (a listener added before Socket.IO's own), and when the section's `data-version`
 * attribute shows that version (MutationObserver), then waits for the frame that paints it
 * (requestAnimationFrame, then a task after that frame). Beside it, the floor: the same
 * "next painted frame" wait started the moment the message arrives, with no work to do.
 */
function instrument(capacity: number): void {
  const state: BenchState = {
    updates: 0,
    drawnCount: 0,
    drawn: new Float64Array(capacity),
    drawnSection: new Uint8Array(capacity),
    names: [],
    floorCount: 0,
    floor: new Float64Array(capacity),
    superseded: 0,
    arrivals: new Map(),
    quiet: [],
    excluded: 0,
    frames: 0,
    framesMulti: 0,
    maxPerFrame: 0,
    commitsThisFrame: 0,
    commitFrame: -1,
  };
  // Renders per frame: every DOM commit that changes a section's data-version is one render of
  // the dashboard's data; more than one in a frame is a wasted render. A commit belongs to the frame whose animation time document.timeline shows (the same for
  // everything run between two frames).
  const frame = () => {
    state.frames += 1;
    requestAnimationFrame(frame);
  };
  requestAnimationFrame(frame);
  const committed = () => {
    const at = Number(document.timeline.currentTime ?? -1);
    if (at !== state.commitFrame) {
      state.commitFrame = at;
      state.commitsThisFrame = 0;
    }
    state.commitsThisFrame += 1;
    if (state.commitsThisFrame === 2) state.framesMulti += 1;
    state.maxPerFrame = Math.max(state.maxPerFrame, state.commitsThisFrame);
  };
  const disturbed = (from: number, to: number) =>
    state.quiet.some(([a, b]) => from <= b && to >= a);
  (window as unknown as { __bench: BenchState }).__bench = state;
  const afterPaint = (then: () => void) =>
    requestAnimationFrame(() => {
      const channel = new MessageChannel();
      channel.port1.onmessage = then;
      channel.port2.postMessage(0);
    });
  const Native = window.WebSocket;
  class Hooked extends Native {
    constructor(url: string | URL, protocols?: string | string[]) {
      super(url, protocols);
      this.addEventListener('message', (event: MessageEvent) => {
        const at = performance.now();
        const data: unknown = event.data;
        if (typeof data !== 'string' || !data.startsWith('42["update"')) return;
        const head = data.slice(0, 400);
        const section = /"section":"([^"]+)"/.exec(head)?.[1];
        const version = Number(/"version":(\d+)/.exec(head)?.[1]);
        if (section === undefined || !Number.isFinite(version)) return;
        state.updates += 1;
        let bySection = state.arrivals.get(section);
        if (!bySection) state.arrivals.set(section, (bySection = new Map<number, number>()));
        bySection.set(version, at);
        afterPaint(() => {
          const now = performance.now();
          if (state.floorCount < capacity && !disturbed(at, now))
            state.floor[state.floorCount++] = now - at;
        });
      });
    }
  }
  window.WebSocket = Hooked;
  const observe = () => {
    new MutationObserver((mutations) => {
      committed();
      for (const mutation of mutations) {
        const element = mutation.target as Element;
        const id = element.getAttribute('data-testid');
        const version = Number(element.getAttribute('data-version'));
        if (!id?.startsWith('section-') || !Number.isFinite(version)) continue;
        const name = id.slice('section-'.length);
        const bySection = state.arrivals.get(name);
        const arrived = bySection?.get(version);
        if (!bySection || arrived === undefined) continue;
        for (const v of bySection.keys()) {
          if (v < version) state.superseded += 1;
          if (v <= version) bySection.delete(v);
        }
        let index = state.names.indexOf(name);
        if (index < 0) index = state.names.push(name) - 1;
        afterPaint(() => {
          const now = performance.now();
          if (disturbed(arrived, now)) {
            state.excluded += 1;
            return;
          }
          if (state.drawnCount >= capacity) return;
          state.drawnSection[state.drawnCount] = index;
          state.drawn[state.drawnCount++] = now - arrived;
        });
      }
    }).observe(document, { subtree: true, attributes: true, attributeFilter: ['data-version'] });
  };
  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', observe);
  else observe();
}

/**
 * Scenario 8: the web console in Chromium with every demo section on screen, the demo floor fast
 * enough that each section updates at its 10/s cap. Update-to-drawn p95, and the page's heap after
 * GC after N updates against its heap after the warm-up.
 */
export const s8Console: Scenario = {
  id: '8',
  title: 'console in Chromium',
  timeoutMs: (quick) => (quick ? 150_000 : 540_000),
  async run(ctx: Context): Promise<ResultRow[]> {
    const { scope, log, quick } = ctx;
    const total = quick ? 350 : 10_000;
    const warmup = quick ? 100 : 500;
    const server = await startOpsdeck(
      'opsdeck-demo',
      ['demo', '--port', '0', '--rate', String(DEMO_RATE)],
      { scope },
    );
    const browser = await launchChromium(scope);
    const context = await browser.newContext({ viewport: { width: 1920, height: 1400 } });
    const page = await context.newPage();
    const problems: string[] = [];
    page.on('pageerror', (e) => problems.push(e.message));
    await page.addInitScript(instrument, SAMPLE_CAPACITY);
    await page.goto(server.url);
    const read = () =>
      page.evaluate(() => {
        const s = (window as unknown as { __bench: BenchState }).__bench;
        return {
          updates: s.updates,
          drawn: Array.from(s.drawn.subarray(0, s.drawnCount)),
          drawnSection: Array.from(s.drawnSection.subarray(0, s.drawnCount)),
          names: [...s.names],
          floor: Array.from(s.floor.subarray(0, s.floorCount)),
          superseded: s.superseded,
          excluded: s.excluded,
          frames: s.frames,
          framesMulti: s.framesMulti,
          maxPerFrame: s.maxPerFrame,
        };
      });
    const updates = () =>
      page.evaluate(() => (window as unknown as { __bench: BenchState }).__bench.updates);
    await waitUntil(`${warmup} updates`, async () => (await updates()) >= warmup, 60_000, 250);
    const sections = await page.locator('[data-testid^="section-"]').count();
    const traceMs = quick ? 8000 : 20_000;
    const consoleCpu = await tracePerUpdate(page, traceMs, updates);
    const heap0 = await pageHeapAfterGc(page);
    const cdp = await context.newCDPSession(page);
    await cdp.send('Performance.enable');
    const busy = async () => {
      const { metrics } = await cdp.send('Performance.getMetrics');
      const get = (name: string) => metrics.find((m) => m.name === name)?.value ?? 0;
      return {
        task: get('TaskDuration'),
        script: get('ScriptDuration'),
        layout: get('LayoutDuration') + get('RecalcStyleDuration'),
      };
    };
    const busy0 = await busy();
    const gcBusy = { task: 0, script: 0, layout: 0 };
    const start = await read();
    const t0 = Date.now();
    log(
      `warm-up done: ${start.updates} updates, page heap ${fmtBytes(heap0)}; running to ${total}`,
    );
    // Heap checkpoints every quarter of the run show whether it levels off or keeps growing.
    const checkpoints: { updates: number; heap: number }[] = [
      { updates: start.updates, heap: heap0 },
    ];
    for (let i = 1; i <= 4; i++) {
      const goal = start.updates + ((total - start.updates) * i) / 4;
      await waitUntil(
        `${goal} updates`,
        async () => (await updates()) >= goal,
        quick ? 40_000 : 120_000,
        500,
      );
      // The forced collections' main-thread time is taken out of the busy figures.
      // So is every sample that overlaps them (from 0.5 s before to 0.5 s after).
      const before = await busy();
      const from = await page.evaluate(() => performance.now() - 500);
      checkpoints.push({ updates: await updates(), heap: await pageHeapAfterGc(page) });
      await page.evaluate((start) => {
        const state = (window as unknown as { __bench: BenchState }).__bench;
        state.quiet.push([start, performance.now() + 500]);
      }, from);
      const after = await busy();
      gcBusy.task += after.task - before.task;
      gcBusy.script += after.script - before.script;
      gcBusy.layout += after.layout - before.layout;
    }
    const end = await read();
    const busy1 = await busy();
    const seconds = (Date.now() - t0) / 1000;
    const heap1 = checkpoints[checkpoints.length - 1]?.heap ?? NaN;
    const heapMid = checkpoints[Math.floor(checkpoints.length / 2)]?.heap ?? NaN;
    const drawn = end.drawn.slice(start.drawn.length);
    const floor = end.floor.slice(start.floor.length);
    const rate = (end.updates - start.updates) / seconds;
    const perSection = end.names.map((name, index) => {
      const samples = drawn.filter((_, j) => end.drawnSection[start.drawn.length + j] === index);
      return `${name} ${fmtMs(percentile(samples, 95))}`;
    });
    const p95 = percentile(drawn, 95);
    const growth = heap1 - heap0;
    const n = end.updates - start.updates;
    const perUpdate = (k: 'task' | 'script' | 'layout') =>
      ((busy1[k] - busy0[k] - gcBusy[k]) * 1000) / n;
    const mainThread = (busy1.task - busy0.task - gcBusy.task) / seconds;
    log(
      `${sections} sections; ${(rate / 4).toFixed(1)} updates/s per demo section (${rate.toFixed(1)}/s in all); ` +
        `drawn p50 ${fmtMs(percentile(drawn, 50))}, p95 ${fmtMs(p95)}, p99 ${fmtMs(percentile(drawn, 99))} ` +
        `(${drawn.length} drawn, ${end.superseded} superseded before drawing, ` +
        `${end.excluded} left out around the forced GCs); p95 per section: ` +
        `${perSection.join(', ')}; next-frame floor p50 ${fmtMs(percentile(floor, 50))}, ` +
        `p95 ${fmtMs(percentile(floor, 95))}; heap after GC at ` +
        `${checkpoints.map((c) => `${c.updates}: ${fmtBytes(c.heap)}`).join(', ')}; renderer main ` +
        `thread busy ${(mainThread * 100).toFixed(0)}% of the time, per update ${fmtMs(perUpdate('task'))} ` +
        `(script ${fmtMs(perUpdate('script'))}, style+layout ${fmtMs(perUpdate('layout'))})` +
        (problems.length > 0 ? `; page errors: ${problems.slice(0, 3).join(' | ')}` : ''),
    );
    await context.close();
    const floorCpu = await floorPerUpdate(browser, server.url, traceMs, async (page) => {
      await page.addInitScript(instrument, SAMPLE_CAPACITY);
      return () =>
        page.evaluate(() => (window as unknown as { __bench: BenchState }).__bench.updates);
    });
    const frames = end.frames - start.frames;
    const above = consoleCpu.cpuMs - floorCpu.cpuMs;
    log(
      `main thread per update from a Chrome trace of ${traceMs / 1000} s: console ${fmtMs(consoleCpu.cpuMs)} CPU ` +
        `(${fmtMs(consoleCpu.wallMs)} wall, ${consoleCpu.updates} updates, ${consoleCpu.tasks} tasks); ` +
        `no-render floor (same updates into a page that draws nothing) ${fmtMs(floorCpu.cpuMs)} CPU ` +
        `(${fmtMs(floorCpu.wallMs)} wall, ${floorCpu.updates} updates); renders per frame: ${frames} frames, ` +
        `${end.framesMulti - start.framesMulti} with more than one, at most ${end.maxPerFrame}`,
    );
    return [
      {
        scenario: '8 console',
        figureName:
          `main thread per update, thread CPU from a Chrome trace (all tasks: script, style, ` +
          `layout, paint, messages, GC; wall ${fmtMs(consoleCpu.wallMs)}; above the floor ${fmtMs(above)})`,
        figure: fmtMs(consoleCpu.cpuMs),
        baseline: `same updates, page that draws nothing: ${fmtMs(floorCpu.cpuMs)}`,
        ratio: fmtRatio(consoleCpu.cpuMs, floorCpu.cpuMs),
        target: '< 3 ms above the floor',
        met: yesNo(above < 3),
      },
      {
        scenario: '8 console',
        figureName: `renders per animation frame (DOM commits changing a section, ${frames} frames)`,
        figure: `at most ${end.maxPerFrame}; ${end.framesMulti - start.framesMulti} frames with more than one`,
        baseline: '—',
        ratio: '—',
        target: '<= 1 per frame',
        met: yesNo(end.maxPerFrame <= 1),
      },
      {
        scenario: '8 console',
        figureName:
          `update arrived -> drawn p95, ${(rate / 4).toFixed(1)} updates/s per section ` +
          `(p50 ${fmtMs(percentile(drawn, 50))}; main thread ${fmtMs(perUpdate('task'))}/update)`,
        figure: fmtMs(p95),
        baseline: `next painted frame, no work: ${fmtMs(percentile(floor, 95))}`,
        ratio: fmtRatio(p95, percentile(floor, 95)),
        target: 'p95 < 16 ms',
        met: yesNo(p95 < 16),
      },
      {
        scenario: '8 console',
        figureName:
          `page JS heap after GC after ${end.updates.toLocaleString('en-US')} updates ` +
          `(from the warm-up: ${signed(growth)}; flat = second half < +1 MB)`,
        figure: `${fmtBytes(heap1)} (second half ${signed(heap1 - heapMid)})`,
        baseline: `after ${start.updates} updates: ${fmtBytes(heap0)}`,
        ratio: `${(heap1 / heap0).toFixed(2)}x`,
        target: 'flat heap',
        met: yesNo(heap1 - heapMid < FLAT_HEAP_BYTES && problems.length === 0),
      },
    ];
  },
};

function signed(bytes: number): string {
  return `${bytes >= 0 ? '+' : ''}${fmtBytes(bytes)}`;
}
