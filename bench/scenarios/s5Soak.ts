import { join } from 'node:path';
import Database from 'better-sqlite3';
import { sleep } from '../lib/clock.js';
import { Fleet } from '../lib/fleet.js';
import { InspectorClient } from '../lib/inspector.js';
import { startOpsdeck } from '../lib/proc.js';
import type { Context, Scenario } from '../lib/scenario.js';
import { metricSum, metricsText, tempDir, writeConfig } from '../lib/serve.js';
import { fmtBytes, fmtCount, fmtRate, yesNo, type ResultRow } from '../lib/table.js';

const SECTIONS = 200;
const CLIENTS = 4;

/**
 * Scenario 5: a long stream of updates through the engine and out to clients, then the server's
 * heap after forced GC (V8 inspector) against its heap after the warm-up. 200 sections on SQLite
 * whose SQL reads the clock (every read is a new version), polled every 100 ms: the engine's
 * 100 ms minimum gap caps each at about 10 updates a second. Four clients subscribe to all of them.
 */
export const s5Soak: Scenario = {
  id: '5',
  title: 'soak',
  timeoutMs: (quick) => (quick ? 60_000 : 330_000),
  async run(ctx: Context): Promise<ResultRow[]> {
    const { scope, log, quick } = ctx;
    const target = quick ? 10_000 : 200_000;
    const warmup = quick ? 2000 : 20_000;
    const maxMs = quick ? 30_000 : 280_000;
    const dir = tempDir(scope);
    const file = join(dir, 'soak.db');
    const db = new Database(file);
    db.exec('CREATE TABLE ticks (n INTEGER)');
    db.close();
    const ids = Array.from({ length: SECTIONS }, (_, i) => `s${i + 1}`);
    const config = writeConfig(scope, {
      database: { url: `sqlite:${file}` },
      watch: { mode: 'poll', intervalMs: 100 },
      sections: ids.map((id, i) => ({
        id,
        title: `Soak ${i + 1}`,
        view: { type: 'table' },
        sql: `SELECT ${i + 1} AS section, strftime('%Y-%m-%dT%H:%M:%f', 'now') AS at, hex(randomblob(48)) AS payload`,
      })),
    });
    const server = await startOpsdeck(
      'opsdeck-soak',
      ['serve', '--config', config, '--port', '0'],
      {
        scope,
        inspect: true,
      },
    );
    const inspector = await InspectorClient.connect(server.inspectorUrl ?? '');
    scope.defer('inspector', () => inspector.close());
    const fleet = Fleet.start(scope, 1);
    const c = await fleet.connect({
      kind: 'opsdeck',
      url: server.url,
      count: CLIENTS,
      sections: ids,
    });
    if (c.failed > 0) throw new Error(`soak clients failed: ${c.firstError ?? ''}`);
    const updates = async () =>
      metricSum(await metricsText(server.url), 'opsdeck_section_updates_total');

    const started = Date.now();
    const waitFor = async (n: number): Promise<number> => {
      for (;;) {
        const u = await updates();
        if (u >= n || Date.now() - started > maxMs) return u;
        await sleep(1000);
      }
    };
    const u0 = await waitFor(warmup);
    const heap0 = await inspector.heapAfterGc();
    const t0 = Date.now();
    log(
      `warm-up: ${u0} updates, heap after GC ${fmtBytes(heap0.heapUsed)}, RSS ${fmtBytes(heap0.rss)}`,
    );
    const u1 = await waitFor(target);
    const t1 = Date.now();
    const heap1 = await inspector.heapAfterGc();
    const received = (await fleet.counts()).updates;
    const rate = (u1 - u0) / ((t1 - t0) / 1000);
    const growth = heap1.heapUsed - heap0.heapUsed;
    log(
      `${u1} updates (${fmtRate(rate)} after warm-up), ${received} deliveries to ${CLIENTS} clients; ` +
        `heap after GC ${fmtBytes(heap1.heapUsed)} (${growth >= 0 ? '+' : ''}${fmtBytes(growth)}), RSS ${fmtBytes(heap1.rss)}`,
    );
    const reached = u1 >= target;
    return [
      {
        scenario: '5 soak',
        figureName:
          `heap after GC after ${fmtCount(u1)} updates (${fmtCount(received)} deliveries, ${fmtRate(rate)})` +
          (reached ? '' : `; stopped at the time limit before ${fmtCount(target)}`),
        figure: `${growth >= 0 ? '+' : ''}${fmtBytes(growth)} (${fmtBytes(heap1.heapUsed)})`,
        baseline: `after warm-up (${fmtCount(u0)} updates): ${fmtBytes(heap0.heapUsed)}`,
        ratio: `${(heap1.heapUsed / heap0.heapUsed).toFixed(2)}x`,
        target: 'growth < 5 MB',
        met: yesNo(growth < 5 * 1024 * 1024 && reached),
      },
    ];
  },
};
