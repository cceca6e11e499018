import { startTempMariadb, type TempMariadb } from '../../testkit/tempMariadb.js';
import { now, sleep } from '../lib/clock.js';
import { Fleet } from '../lib/fleet.js';
import { startOpsdeck } from '../lib/proc.js';
import type { Context, Scenario } from '../lib/scenario.js';
import { metric, writeConfig } from '../lib/serve.js';
import { percentile } from '../lib/stats.js';
import { fmtMs, yesNo, type ResultRow } from '../lib/table.js';

const SECTIONS = [
  {
    id: 'totals',
    title: 'Totals',
    view: { type: 'stat' },
    sql: 'SELECT COUNT(*) AS orders, COALESCE(SUM(total), 0) AS revenue FROM orders',
    tables: ['orders'],
  },
  {
    id: 'recent',
    title: 'Latest orders',
    view: { type: 'table' },
    sql: 'SELECT id, customer_name, total FROM orders ORDER BY id DESC LIMIT 10',
    tables: ['orders'],
  },
];
const IDS = SECTIONS.map((s) => s.id);

/**
 * Issue 12, binlog mode on a MariaDB of its own (binary log on, ROW): commit -> `update` at 200
 * clients (the `recent` row carrying the marker), the SELECTs the server counts (`Com_select`)
 * while nothing changes, and the section queries a burst of 1,000 one-row commits costs.
 */
export const sBinlog: Scenario = {
  id: '12b',
  title: 'binlog change feed (MariaDB)',
  timeoutMs: (quick) => (quick ? 120_000 : 240_000),
  async run(ctx: Context): Promise<ResultRow[]> {
    const { scope, log, quick } = ctx;
    const clients = 200;
    const changes = quick ? 30 : 120;
    const quietMs = quick ? 3000 : 10_000;
    const db = await startTempMariadb();
    scope.defer('stop the temporary MariaDB', () => db.stop());
    await seed(db);
    const server = await startOpsdeck(
      'opsdeck-binlog',
      ['serve', '--config', config(ctx, db), '--port', '0'],
      { scope },
    );
    const fleet = Fleet.start(scope, 2);
    const c = await fleet.connect({
      kind: 'opsdeck',
      url: server.url,
      count: clients,
      sections: IDS,
      group: 'binlog',
    });
    if (c.failed > 0) throw new Error(`clients failed: ${c.firstError ?? ''}`);
    await sleep(500);

    // Lag: a change every 150-200 ms.
    let seq = 1000;
    const committed = new Map<number, number>();
    const first = seq + 1;
    for (let i = 0; i < changes; i++) {
      seq += 1;
      committed.set(seq, now());
      await db.sql('INSERT INTO sales.orders (customer_name, total) VALUES (?, 42.5)', [`m${seq}`]);
      await sleep(150 + Math.random() * 50);
    }
    await sleep(1500);
    const receipts = (await fleet.markers()).get('binlog') ?? new Map<number, number[]>();
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
      `${clients} clients: p50 ${fmtMs(p50)}, p99 ${fmtMs(p99)} (${lags.length} samples, ${missing} missing)`,
    );

    // Quiet: nothing changes, 200 clients stay subscribed.
    const select0 = await db.status('Com_select');
    await sleep(quietMs);
    const quietSelects = (await db.status('Com_select')) - select0;
    log(`Com_select over ${quietMs / 1000} s without changes: ${quietSelects}`);

    // Burst: 1,000 one-row commits as fast as one connection sends them, the last a marker.
    const queries = async () =>
      Promise.all(
        IDS.map((section) => metric(server.url, 'opsdeck_section_queries_total', { section })),
      );
    const q0 = await queries();
    seq += 1;
    const burstMarker = seq;
    const inserts = Array.from(
      { length: 999 },
      (_, i) => `INSERT INTO sales.orders (customer_name, total) VALUES ('burst ${i}', 1)`,
    );
    inserts.push(`INSERT INTO sales.orders (customer_name, total) VALUES ('m${burstMarker}', 1)`);
    const burstStart = now();
    await db.sql(inserts.join(';'));
    const burstCommitMs = now() - burstStart;
    for (let i = 0; i < 100 && (await fleet.markerReceipts('binlog', burstMarker)) < clients; i++) {
      await sleep(100);
    }
    await sleep(500);
    const q1 = await queries();
    const perSection = IDS.map((_, i) => (q1[i] ?? 0) - (q0[i] ?? 0));
    const worst = Math.max(...perSection);
    log(
      `1,000-row burst (${fmtMs(burstCommitMs)} to commit): queries per section ${IDS.map((id, i) => `${id} ${perSection[i]}`).join(', ')}`,
    );
    await fleet.closeAll();

    const missingNote = missing > 0 ? `, ${missing} not received` : '';
    return [
      {
        scenario: '12b binlog',
        figureName: `commit -> client, ${clients} clients: p50 / p99${missingNote}`,
        figure: `${fmtMs(p50)} / ${fmtMs(p99)}`,
        baseline: '—',
        ratio: '—',
        target: 'p99 < 50 ms',
        met: yesNo(p99 < 50 && missing === 0),
      },
      {
        scenario: '12b binlog',
        figureName: `Com_select in ${quietMs / 1000} s without changes`,
        figure: String(quietSelects),
        baseline: '—',
        ratio: '—',
        target: '0',
        met: yesNo(quietSelects === 0),
      },
      {
        scenario: '12b binlog',
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

async function seed(db: TempMariadb): Promise<void> {
  const history = Array.from({ length: 5000 }, (_, i) => `('Customer ${i}', ${10 + (i % 990)})`);
  await db.sql(`
    CREATE DATABASE sales;
    CREATE TABLE sales.orders (id INT AUTO_INCREMENT PRIMARY KEY, customer_name VARCHAR(60) NOT NULL, total DECIMAL(10,2) NOT NULL);
    INSERT INTO sales.orders (customer_name, total) VALUES ${history.join(',')};
    CREATE USER 'opsdeck'@'%';
    GRANT SELECT ON sales.* TO 'opsdeck'@'%';
    GRANT REPLICATION SLAVE, REPLICATION CLIENT ON *.* TO 'opsdeck'@'%';`);
}

function config(ctx: Context, db: TempMariadb): string {
  return writeConfig(ctx.scope, {
    database: { url: db.url('sales', 'opsdeck'), pool: 5 },
    // The safety re-check beyond the run: every query counted comes from a change.
    watch: { mode: 'binlog', intervalMs: 3_600_000 },
    sections: SECTIONS,
  });
}
