import { startTempMariadb, type TempMariadb } from '../../testkit/tempMariadb.js';
import { sleep } from '../lib/clock.js';
import { runFeedLatency, type FeedUnderTest } from '../lib/runFeedLatency.js';
import type { Context, Scenario } from '../lib/scenario.js';
import { writeConfig } from '../lib/serve.js';

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
  run: (ctx) => runFeedLatency(ctx, binlogFeed),
};

const binlogFeed: FeedUnderTest = {
  scenario: '12b binlog',
  group: 'binlog',
  sections: IDS,
  async start(ctx) {
    const db = await startTempMariadb();
    ctx.scope.defer('stop the temporary MariaDB', () => db.stop());
    await seed(db);
    return {
      config: config(ctx, db),
      commit: (marker) =>
        db.sql('INSERT INTO sales.orders (customer_name, total) VALUES (?, 42.5)', [`m${marker}`]),
      // As fast as one connection sends them.
      commitBurst(marker) {
        const inserts = Array.from(
          { length: 999 },
          (_, i) => `INSERT INTO sales.orders (customer_name, total) VALUES ('burst ${i}', 1)`,
        );
        inserts.push(`INSERT INTO sales.orders (customer_name, total) VALUES ('m${marker}', 1)`);
        return db.sql(inserts.join(';'));
      },
      async quiet(quietMs) {
        const select0 = await db.status('Com_select');
        await sleep(quietMs);
        const count = (await db.status('Com_select')) - select0;
        ctx.log(`Com_select over ${quietMs / 1000} s without changes: ${count}`);
        return { what: 'Com_select', count };
      },
    };
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
