import { io } from 'socket.io-client';
import type { SectionUpdate } from '../../common/protocol.js';
import { freePort } from '../../testkit/freePort.js';
import { sleep, waitUntil } from '../lib/clock.js';
import { Fleet } from '../lib/fleet.js';
import { createBenchDatabase, PgStats, type BenchDatabase } from '../lib/pg.js';
import { startBaseline, startOpsdeck, type ServerProcess } from '../lib/proc.js';
import { SALES_SECTION_IDS, SALES_SECTIONS, seedSalesDatabase } from '../lib/salesDb.js';
import type { Context, Scenario } from '../lib/scenario.js';
import { writeConfig } from '../lib/serve.js';
import { max, min, percentile } from '../lib/stats.js';
import { fmtCount, fmtMs, fmtRatio, yesNo, type ResultRow } from '../lib/table.js';

/**
 * Scenario 6: N subscribed clients (stock socket.io-client reconnection, re-subscribing with
 * `have` versions) ride out a server restart. Measured: from the new server's `listening` line to
 * the last client holding every section's new version, and the database queries the resync
 * caused: PostgreSQL's transactions from the new server's start to its exit, minus those of the
 * same restart without clients (measured first). Baseline: the polling system's dashboards all
 * reloading after its restart.
 */
export const s6Reconnect: Scenario = {
  id: '6',
  title: 'reconnect storm',
  timeoutMs: (quick) => (quick ? 90_000 : 240_000),
  async run(ctx: Context): Promise<ResultRow[]> {
    const { scope, log, quick } = ctx;
    const clients = quick ? 300 : 5000;
    const lifeMs = quick ? 6500 : 25_000;
    const stats = await PgStats.open(scope);
    const db = await createBenchDatabase(scope, 'storm', (c) => seedSalesDatabase(c, 5000));
    const port = await freePort();
    const config = writeConfig(scope, {
      database: { url: db.url, pool: 5 },
      watch: { mode: 'notify' },
      sections: SALES_SECTIONS,
    });
    const start = () =>
      startOpsdeck('opsdeck-storm', ['serve', '--config', config, '--port', String(port)], {
        scope,
      });
    const transactions = () => stats.transactionsOf(db.name);

    // The restart's own cost: start, live as long as the measured one, exit.
    await sleep(500);
    const c0 = await transactions();
    const control = await start();
    await sleep(lifeMs);
    await control.stop();
    await sleep(300);
    const controlQueries = (await transactions()) - c0;
    log(`restart without clients: ${controlQueries} DB transactions in ${lifeMs / 1000} s of life`);

    const first = await start();
    const fleet = Fleet.start(scope, 4);
    const connected = await fleet.connect(
      {
        kind: 'opsdeck',
        url: first.url,
        count: clients,
        sections: SALES_SECTION_IDS,
        reconnect: true,
        concurrency: 50,
      },
      240_000,
    );
    if (connected.failed > 0) throw new Error(`clients failed: ${connected.firstError ?? ''}`);
    log(
      `${clients} clients subscribed in ${(connected.ms / 1000).toFixed(1)} s; restarting the server`,
    );
    await first.stop();
    await sleep(300);
    const s0 = await transactions();
    const second = await start();
    const expected = await versionsOf(second.url);
    let result = await fleet.resync(expected, second.listeningAt);
    try {
      await waitUntil(
        `${clients} clients to resync`,
        async () => {
          result = await fleet.resync(expected, second.listeningAt);
          return result.resynced >= clients;
        },
        Math.max(5000, lifeMs - 3000),
        250,
      );
    } catch {
      log(`only ${result.resynced} of ${clients} clients resynced in time`);
    }
    const resyncMs = max(result.times) - second.listeningAt;
    const counts = await fleet.counts();
    const remaining = lifeMs - (Date.now() - second.startedAt);
    if (remaining > 0) await sleep(remaining);
    await stopAndWait(second);
    await sleep(300);
    const stormQueries = (await transactions()) - s0;
    const caused = stormQueries - controlQueries;
    log(
      `storm: ${result.resynced}/${clients} resynced ${fmtMs(resyncMs)} after listening ` +
        `(first ${fmtMs(min(result.times) - second.listeningAt)}, half by ` +
        `${fmtMs(percentile(result.times, 50) - second.listeningAt)}); ` +
        `${counts.reconnects} reconnects, ${counts.connectErrors} refused attempts; ` +
        `${stormQueries} DB transactions (control ${controlQueries})`,
    );
    await fleet.closeAll();

    // Baseline: the polling system restarts and every dashboard reloads at once.
    const baseline = await pollingReload(ctx, db, fleet, stats, clients);
    return [
      {
        scenario: '6 reconnect',
        figureName: `DB queries caused by ${fmtCount(clients)} clients resyncing`,
        figure: fmtCount(Math.max(0, caused)),
        baseline: `polling: ${fmtCount(baseline.queries)} (all dashboards reload)`,
        ratio: fmtRatio(Math.max(0, caused), baseline.queries),
        target: '0',
        met: yesNo(caused <= 0 && result.resynced === clients),
      },
      {
        scenario: '6 reconnect',
        figureName: `restart (listening) to all ${fmtCount(clients)} resynced (stock client backoff 1-5 s)`,
        figure:
          result.resynced === clients
            ? fmtMs(resyncMs)
            : `${result.resynced}/${clients} in ${fmtMs(resyncMs)}`,
        baseline: `polling reload: ${fmtMs(baseline.ms)}`,
        ratio: fmtRatio(resyncMs, baseline.ms),
        target: '—',
        met: '—',
      },
    ];
  },
};

/** The versions a fresh subscriber gets (from memory: subscribing never queries). */
async function versionsOf(url: string): Promise<Record<string, number>> {
  const socket = io(url, { transports: ['websocket'], forceNew: true, reconnection: false });
  try {
    const versions: Record<string, number> = {};
    socket.on('update', (u: SectionUpdate) => (versions[u.section] = u.version));
    await new Promise<void>((resolve, reject) => {
      socket.once('connect', () => resolve());
      socket.once('connect_error', reject);
    });
    await socket.timeout(10_000).emitWithAck('subscribe', { sections: SALES_SECTION_IDS });
    await waitUntil(
      'first snapshots',
      () => SALES_SECTION_IDS.every((id) => id in versions),
      15_000,
      20,
    );
    return versions;
  } finally {
    socket.close();
  }
}

async function pollingReload(
  ctx: Context,
  db: BenchDatabase,
  fleet: Fleet,
  stats: PgStats,
  dashboards: number,
): Promise<{ queries: number; ms: number }> {
  const before = await stats.transactionsOf(db.name);
  const server = await startBaseline(
    'polling-baseline',
    'pollingServer',
    ['--db', db.url, '--port', '0'],
    { scope: ctx.scope },
  );
  const reload = await fleet.httpOnce(server.url, dashboards);
  const ms = max(reload.times) - server.listeningAt;
  await stopAndWait(server);
  await sleep(300);
  const queries = (await stats.transactionsOf(db.name)) - before;
  ctx.log(
    `polling baseline: ${reload.ok}/${dashboards} dashboards reloaded in ${fmtMs(ms)}, ${queries} DB transactions` +
      (reload.failed > 0 ? `, ${reload.failed} failed: ${reload.firstError ?? ''}` : ''),
  );
  return { queries, ms };
}

async function stopAndWait(server: ServerProcess): Promise<void> {
  await server.stop();
}
