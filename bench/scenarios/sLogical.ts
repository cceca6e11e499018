import { notifyTriggerSql } from '../../server/config/notifyTriggerSql.js';
import { startTempPostgres, type TempPostgres } from '../../testkit/tempPostgres.js';
import { now, sleep } from '../lib/clock.js';
import { Fleet } from '../lib/fleet.js';
import { startOpsdeck } from '../lib/proc.js';
import type { Context, Scenario } from '../lib/scenario.js';
import { metric, metricSum, metricsText, writeConfig } from '../lib/serve.js';
import { percentile } from '../lib/stats.js';
import { fmtMs, yesNo, type ResultRow } from '../lib/table.js';

const SECTIONS = [
  {
    id: 'totals',
    title: 'Totals',
    view: { type: 'stat' },
    sql: 'SELECT count(*)::int AS orders, coalesce(sum(total), 0)::float8 AS revenue FROM orders',
    tables: ['orders'],
  },
  {
    id: 'recent',
    title: 'Latest orders',
    view: { type: 'table' },
    sql: 'SELECT id, customer_name, total::float8 AS total FROM orders ORDER BY id DESC LIMIT 10',
  },
];
const IDS = SECTIONS.map((s) => s.id);
/**
 * An idle backend flushes its table statistics within a second, or 10 s when the shared stats
 * were busy (PGSTAT_IDLE_INTERVAL): waited out on both sides of the quiet window.
 */
const STATS_FLUSH_MS = 11_000;

/**
 * Issue 12, logical mode on a PostgreSQL of its own (wal_level=logical): commit -> `update` at
 * 200 clients (the `recent` row carrying the marker), the user-table scans PostgreSQL counts
 * (`pg_stat_user_tables` seq_scan + idx_scan) while nothing changes, and the section queries a
 * burst of 1,000 one-row commits costs. Baseline in the same run: the same lag measurement with a
 * notify-mode server (statement trigger) on the same database, after the logical one stopped.
 */
export const sLogical: Scenario = {
  id: '12l',
  title: 'logical change feed (PostgreSQL)',
  timeoutMs: (quick) => (quick ? 120_000 : 240_000),
  async run(ctx: Context): Promise<ResultRow[]> {
    const { scope, log, quick } = ctx;
    const clients = 200;
    const changes = quick ? 30 : 120;
    const quietMs = quick ? 3000 : 10_000;
    const pg = await startTempPostgres();
    scope.defer('stop the temporary PostgreSQL', () => pg.stop());
    await seed(pg);
    const server = await startOpsdeck(
      'opsdeck-logical',
      ['serve', '--config', config(ctx, pg), '--port', '0'],
      { scope },
    );
    const fleet = Fleet.start(scope, 2);
    const c = await fleet.connect({
      kind: 'opsdeck',
      url: server.url,
      count: clients,
      sections: IDS,
      group: 'logical',
    });
    if (c.failed > 0) throw new Error(`clients failed: ${c.firstError ?? ''}`);
    await sleep(500);

    // Lag: a change every 150-200 ms.
    let seq = 1000;
    const insert = (marker: number) =>
      pg.query(
        'INSERT INTO orders (customer_name, total) VALUES ($1, 42.5)',
        [`m${marker}`],
        'sales',
      );
    const measureLag = async (group: string) => {
      const committed = new Map<number, number>();
      const first = seq + 1;
      for (let i = 0; i < changes; i++) {
        seq += 1;
        committed.set(seq, now());
        await insert(seq);
        await sleep(150 + Math.random() * 50);
      }
      await sleep(1500);
      const receipts = (await fleet.markers()).get(group) ?? new Map<number, number[]>();
      const lags: number[] = [];
      let missing = 0;
      for (let m = first; m <= seq; m++) {
        const times = receipts.get(m) ?? [];
        for (const t of times) lags.push(t - (committed.get(m) ?? NaN));
        missing += Math.max(0, clients - times.length);
      }
      const p50 = percentile(lags, 50);
      const p99 = percentile(lags, 99);
      log(
        `${group}, ${clients} clients: p50 ${fmtMs(p50)}, p99 ${fmtMs(p99)} (${lags.length} samples, ${missing} missing)`,
      );
      return { p50, p99, missing };
    };
    const { p50, p99, missing } = await measureLag('logical');

    // Quiet: nothing changes, 200 clients stay subscribed; the database counts the scans.
    await sleep(STATS_FLUSH_MS);
    const scans0 = await userTableScans(pg);
    const counted0 = metricSum(await metricsText(server.url), 'opsdeck_section_queries_total');
    await sleep(quietMs);
    const counted =
      metricSum(await metricsText(server.url), 'opsdeck_section_queries_total') - counted0;
    await sleep(STATS_FLUSH_MS);
    const quietScans = (await userTableScans(pg)) - scans0;
    log(
      `over ${quietMs / 1000} s without changes: ${quietScans} user-table scans, ${counted} section queries counted by the server`,
    );

    // Burst: 1,000 one-row commits as fast as one connection sends them, the last a marker.
    const queries = async () =>
      Promise.all(
        IDS.map((section) => metric(server.url, 'opsdeck_section_queries_total', { section })),
      );
    const q0 = await queries();
    seq += 1;
    const burstMarker = seq;
    const burstStart = now();
    // One-row commits as fast as the server makes them (a procedure that commits each insert).
    await pg.query(`CALL burst(999, ${burstMarker})`, [], 'sales');
    const burstCommitMs = now() - burstStart;
    for (
      let i = 0;
      i < 100 && (await fleet.markerReceipts('logical', burstMarker)) < clients;
      i++
    ) {
      await sleep(100);
    }
    await sleep(500);
    const q1 = await queries();
    const perSection = IDS.map((_, i) => (q1[i] ?? 0) - (q0[i] ?? 0));
    const worst = Math.max(...perSection);
    log(
      `1,000-row burst (${fmtMs(burstCommitMs)} to commit): queries per section ${IDS.map((id, i) => `${id} ${perSection[i]}`).join(', ')}`,
    );
    const lag = await metric(server.url, 'opsdeck_replication_lag_bytes');
    log(`slot lag after the run: ${lag} bytes`);
    await fleet.closeAll();
    await server.stop();

    // Baseline in the same run: notify mode (a statement trigger) on the same database.
    await pg.query(notifyTriggerSql('opsdeck_changes', ['orders']), [], 'sales');
    const notify = await startOpsdeck(
      'opsdeck-notify',
      ['serve', '--config', config(ctx, pg, 'notify'), '--port', '0'],
      { scope },
    );
    const n = await fleet.connect({
      kind: 'opsdeck',
      url: notify.url,
      count: clients,
      sections: IDS,
      group: 'notify',
    });
    if (n.failed > 0) throw new Error(`clients failed: ${n.firstError ?? ''}`);
    await sleep(500);
    const base = await measureLag('notify');
    await fleet.closeAll();

    const missingNote = missing > 0 ? `, ${missing} not received` : '';
    return [
      {
        scenario: '12l logical',
        figureName: `commit -> client, ${clients} clients: p50 / p99${missingNote}`,
        figure: `${fmtMs(p50)} / ${fmtMs(p99)}`,
        baseline: `notify: ${fmtMs(base.p50)} / ${fmtMs(base.p99)}${base.missing > 0 ? ` (${base.missing} not received)` : ''}`,
        ratio: `${(p99 / base.p99).toFixed(2)}x`,
        target: 'p99 < 50 ms',
        met: yesNo(p99 < 50 && missing === 0),
      },
      {
        scenario: '12l logical',
        figureName: `user-table scans (pg_stat_user_tables) in ${quietMs / 1000} s without changes`,
        figure: String(quietScans),
        baseline: '—',
        ratio: '—',
        target: '0',
        met: yesNo(quietScans === 0),
      },
      {
        scenario: '12l logical',
        figureName: '1,000 one-row commits: queries per section (worst)',
        figure: String(worst),
        baseline: '—',
        ratio: '—',
        target: '<= 10',
        met: yesNo(worst <= 10),
      },
    ];
  },
};

async function userTableScans(pg: TempPostgres): Promise<number> {
  const [row] = await pg.query(
    'SELECT coalesce(sum(seq_scan + coalesce(idx_scan, 0)), 0)::bigint::text AS n FROM pg_stat_user_tables',
    [],
    'sales',
  );
  return Number(row?.['n']);
}

async function seed(pg: TempPostgres): Promise<void> {
  await pg.query('CREATE DATABASE sales');
  await pg.query(
    `CREATE TABLE orders (id serial PRIMARY KEY, customer_name text NOT NULL, total numeric(10,2) NOT NULL)`,
    [],
    'sales',
  );
  await pg.query(
    `INSERT INTO orders (customer_name, total)
       SELECT 'Customer ' || i, 10 + i % 990 FROM generate_series(1, 5000) AS i`,
    [],
    'sales',
  );
  await pg.query(
    `CREATE PROCEDURE burst(n int, marker int) LANGUAGE plpgsql AS $$
     BEGIN
       FOR i IN 1..n LOOP
         INSERT INTO orders (customer_name, total) VALUES ('burst ' || i, 1);
         COMMIT;
       END LOOP;
       INSERT INTO orders (customer_name, total) VALUES ('m' || marker, 1);
       COMMIT;
     END $$`,
    [],
    'sales',
  );
}

function config(ctx: Context, pg: TempPostgres, mode = 'logical'): string {
  return writeConfig(ctx.scope, {
    database: { url: pg.url('sales'), pool: 5 },
    // The safety re-check beyond the run: every query counted comes from a change.
    watch: { mode, intervalMs: 3_600_000 },
    sections: SECTIONS,
  });
}
