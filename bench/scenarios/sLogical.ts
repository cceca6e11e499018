import { notifyTriggerSql } from '../../server/config/notifyTriggerSql.js';
import { startTempPostgres, type TempPostgres } from '../../testkit/tempPostgres.js';
import { sleep } from '../lib/clock.js';
import { startOpsdeck } from '../lib/proc.js';
import { runFeedLatency, type FeedUnderTest } from '../lib/runFeedLatency.js';
import type { Context, Scenario } from '../lib/scenario.js';
import { metric, metricSum, metricsText, writeConfig } from '../lib/serve.js';

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
  run: (ctx) => runFeedLatency(ctx, logicalFeed),
};

const logicalFeed: FeedUnderTest = {
  scenario: '12l logical',
  group: 'logical',
  sections: IDS,
  async start(ctx) {
    const { scope, log } = ctx;
    const pg = await startTempPostgres();
    scope.defer('stop the temporary PostgreSQL', () => pg.stop());
    await seed(pg);
    return {
      config: config(ctx, pg),
      commit: (marker) =>
        pg.query(
          'INSERT INTO orders (customer_name, total) VALUES ($1, 42.5)',
          [`m${marker}`],
          'sales',
        ),
      // As fast as the server makes them (a procedure that commits each insert).
      commitBurst: (marker) => pg.query(`CALL burst(999, ${marker})`, [], 'sales'),
      // The database counts the scans.
      async quiet(quietMs, serverUrl) {
        await sleep(STATS_FLUSH_MS);
        const scans0 = await userTableScans(pg);
        const counted0 = metricSum(await metricsText(serverUrl), 'opsdeck_section_queries_total');
        await sleep(quietMs);
        const counted =
          metricSum(await metricsText(serverUrl), 'opsdeck_section_queries_total') - counted0;
        await sleep(STATS_FLUSH_MS);
        const count = (await userTableScans(pg)) - scans0;
        log(
          `over ${quietMs / 1000} s without changes: ${count} user-table scans, ${counted} section queries counted by the server`,
        );
        return { what: 'user-table scans (pg_stat_user_tables)', count };
      },
      async afterBurst(serverUrl) {
        const lag = await metric(serverUrl, 'opsdeck_replication_lag_bytes');
        log(`slot lag after the run: ${lag} bytes`);
      },
      // Notify mode (a statement trigger) on the same database.
      async baseline(measure) {
        await pg.query(notifyTriggerSql('opsdeck_changes', ['orders']), [], 'sales');
        const notify = await startOpsdeck(
          'opsdeck-notify',
          ['serve', '--config', config(ctx, pg, 'notify'), '--port', '0'],
          { scope },
        );
        return { name: 'notify', lags: await measure(notify.url, 'notify') };
      },
    };
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
