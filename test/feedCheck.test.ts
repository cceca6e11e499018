/**
 * `opsdeck check` verifies the notify feed against a real PostgreSQL catalog: tables that do not
 * exist, tables without a notify trigger, tables the query reads that `tables:` misses, tables
 * derived from the plan when `tables:` is absent; the printed fix works when run as printed, and
 * `--install-triggers` installs exactly the missing triggers in one transaction.
 */
import pg from 'pg';
import { afterAll, beforeAll, beforeEach, expect, it } from 'vitest';
import { runOpsdeck } from './helpers/opsdeckProcess.js';
import { tableSection as section, writeServeConfig } from './helpers/serveConfig.js';
import {
  createPostgresDatabase,
  describeWithService,
  type TestDatabase,
} from './helpers/services.js';

const CHANNEL = 'opsdeck_check_test';
let db: TestDatabase;
const cleanups: (() => unknown)[] = [];

async function check(sections: object[], extra: string[] = []) {
  const written = writeServeConfig({
    database: { url: db.url },
    watch: { mode: 'notify', channel: CHANNEL },
    sections,
  });
  cleanups.push(written.remove);
  return runOpsdeck(['check', '--config', written.file, ...extra]);
}

const lines = (text: string) => text.split('\n');
const failLines = (text: string) => lines(text).filter((l) => /^\s+FAIL\s/.test(l));
const okLines = (text: string) => lines(text).filter((l) => /^\s+ok\s/.test(l));

/** The SQL printed under a FAIL line's "fix:", as it would be copied. */
function printedSql(stdout: string): string {
  const out = lines(stdout);
  const first = out.findIndex((l) => l.includes('fix: run in the database'));
  expect(first, stdout).toBeGreaterThanOrEqual(0);
  const block: string[] = [];
  for (const line of out.slice(first + 1)) {
    if (!line.startsWith('          ')) break;
    block.push(line.slice(10));
  }
  return block.join('\n');
}

await describeWithService('postgres', 'check verifies the notify feed (PostgreSQL)', () => {
  beforeAll(async () => {
    db = await createPostgresDatabase();
    await db.admin('CREATE TABLE agents (id serial PRIMARY KEY, name text NOT NULL)');
    await db.admin(`CREATE TABLE orders (id serial PRIMARY KEY,
      agent_id int REFERENCES agents (id), total numeric NOT NULL, status text NOT NULL)`);
    await db.admin('CREATE VIEW open_orders AS SELECT * FROM orders WHERE status = $$open$$');
  });

  beforeEach(async () => {
    // Every test starts without triggers.
    await db.admin(`DROP FUNCTION IF EXISTS ${CHANNEL}_notify() CASCADE`);
  });

  afterAll(async () => {
    for (const c of cleanups) await c();
    await db.drop();
  });

  it('a table in tables: that does not exist: FAIL naming section and table, no SQL for it, exit 1', async () => {
    const result = await check([
      section('items', 'SELECT id, total FROM orders ORDER BY id', [
        'orders',
        'order_items',
        'elsewhere.public.orders', // another database's: names nothing here
      ]),
    ]);
    expect(result.code, result.stdout).toBe(1);
    const fails = failLines(result.stdout);
    expect(
      fails.some((l) => /items\s+tables: lists order_items, which does not exist/.test(l)),
    ).toBe(true);
    expect(result.stdout).toContain('correct sections[0].tables (the query reads orders)');
    expect(
      fails.some((l) =>
        /items\s+tables: lists elsewhere\.public\.orders, which does not exist/.test(l),
      ),
    ).toBe(true);
    expect(result.stdout).not.toMatch(/CREATE TRIGGER \S+ .* ON order_items/);
    expect(result.stdout).not.toContain('all checks passed');
  });

  it('no trigger: FAIL with the CREATE TRIGGER for that table; run as printed, check passes', async () => {
    const sections = [section('totals', 'SELECT count(*) AS n FROM orders', ['orders'])];
    const before = await check(sections);
    expect(before.code, before.stdout).toBe(1);
    expect(failLines(before.stdout)).toEqual([
      expect.stringMatching(
        new RegExp(
          `totals\\s+orders: it has no trigger that notifies channel "${CHANNEL}": changes show up only at the 60 s re-check`,
        ),
      ),
    ]);
    const sql = printedSql(before.stdout);
    expect(sql).toMatch(
      /CREATE TRIGGER \S+ AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON orders/,
    );
    expect(sql).not.toMatch(/\bagents\b/);

    const client = new pg.Client({ connectionString: db.url });
    await client.connect();
    try {
      await client.query(sql);
      await client.query(sql); // safe to run again
      const notes: (string | undefined)[] = [];
      client.on('notification', (n) => notes.push(n.payload));
      await client.query(`LISTEN ${CHANNEL}`);
      await db.admin('INSERT INTO orders (total, status) VALUES (1, $$open$$)');
      await expect.poll(() => notes).toEqual(['orders']);
    } finally {
      await client.end();
    }

    const after = await check(sections);
    expect(after.code, after.stdout).toBe(0);
    expect(okLines(after.stdout)).toEqual([expect.stringMatching(/totals\s+watches orders$/)]);
    expect(after.stdout).toContain('all checks passed');
  });

  it('a trigger that misses events or is disabled is not enough', async () => {
    await db.admin(`CREATE FUNCTION ${CHANNEL}_notify() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN PERFORM pg_notify('${CHANNEL}', TG_TABLE_NAME); RETURN NULL; END $$`);
    await db.admin(
      `CREATE TRIGGER only_inserts AFTER INSERT ON orders FOR EACH STATEMENT EXECUTE FUNCTION ${CHANNEL}_notify()`,
    );
    const sections = [section('totals', 'SELECT count(*) AS n FROM orders', ['orders'])];
    const partial = await check(sections);
    expect(partial.code).toBe(1);
    expect(failLines(partial.stdout)[0]).toMatch(
      /orders: its notify trigger only_inserts does not fire on UPDATE, DELETE/,
    );
    await db.admin('DROP TRIGGER only_inserts ON orders');
    await db.admin(
      `CREATE TRIGGER all_events AFTER INSERT OR UPDATE OR DELETE ON orders FOR EACH STATEMENT EXECUTE FUNCTION ${CHANNEL}_notify()`,
    );
    await db.admin('ALTER TABLE orders DISABLE TRIGGER all_events');
    const disabled = await check(sections);
    expect(disabled.code).toBe(1);
    expect(failLines(disabled.stdout)[0]).toMatch(
      /orders: its notify trigger all_events is disabled/,
    );
    await db.admin('ALTER TABLE orders ENABLE TRIGGER all_events');
    const enabled = await check(sections);
    expect(enabled.code, enabled.stdout).toBe(0);
  });

  it('a table the query reads that tables: does not list, and a view listed as a table', async () => {
    const result = await check([
      section(
        'recent',
        'SELECT o.id, a.name FROM orders o JOIN agents a ON a.id = o.agent_id ORDER BY o.id DESC',
        ['orders'],
      ),
      section('open', 'SELECT count(*) AS n FROM open_orders', ['open_orders']),
    ]);
    expect(result.code).toBe(1);
    const fails = failLines(result.stdout);
    expect(
      fails.some((l) =>
        /recent\s+reads agents \(from the query plan\), which tables: does not list/.test(l),
      ),
    ).toBe(true);
    expect(result.stdout).toContain('add agents to sections[0].tables');
    expect(fails.some((l) => /open\s+tables: lists open_orders, a view/.test(l))).toBe(true);
    expect(result.stdout).toContain('list the tables the view reads instead (orders)');
  });

  it('without tables: the tables come from the plan (views expanded); --install-triggers fixes all', async () => {
    const sections = [
      section('recent', 'SELECT o.id, a.name FROM orders o JOIN agents a ON a.id = o.agent_id'),
      section('open', 'SELECT count(*) AS n FROM open_orders'),
    ];
    const before = await check(sections);
    expect(before.code).toBe(1);
    const fails = failLines(before.stdout).map((l) => l.trim().split(/\s+/).slice(1, 3).join(' '));
    expect(fails.sort()).toEqual(['open orders:', 'recent agents:', 'recent orders:']);

    const installed = await check(sections, ['--install-triggers']);
    expect(installed.code, installed.stdout).toBe(0);
    expect(installed.stdout).toMatch(
      /installed notify triggers on (agents, orders|orders, agents) \(one transaction\)/,
    );
    expect(okLines(installed.stdout)).toEqual([
      expect.stringMatching(
        /recent\s+watches (orders, agents|agents, orders) \(from the query plan\)$/,
      ),
      expect.stringMatching(/open\s+watches orders \(from the query plan\)$/),
    ]);
    const triggers = await db.admin(
      `SELECT tgrelid::regclass::text AS t FROM pg_trigger WHERE NOT tgisinternal ORDER BY 1`,
    );
    expect(triggers.map((r) => r.t)).toEqual(['agents', 'orders']);

    const again = await check(sections, ['--install-triggers']);
    expect(again.code).toBe(0);
    expect(again.stdout).toContain('no notify trigger is missing: nothing to install');
  });

  it('--install-triggers rolls back everything when one table cannot get a trigger', async () => {
    // A role that may read both tables but owns only one of them (roles are cluster-wide).
    const role = `${db.name}_reader`;
    await db.admin(`CREATE ROLE ${role} LOGIN`);
    await db.admin(`GRANT SELECT ON agents, orders TO ${role}`);
    await db.admin(`GRANT CREATE ON SCHEMA public TO ${role}`);
    await db.admin(`ALTER TABLE agents OWNER TO ${role}`);
    cleanups.push(async () => {
      await db.admin('ALTER TABLE agents OWNER TO CURRENT_USER');
      await db.admin(`DROP OWNED BY ${role}`);
      await db.admin(`DROP ROLE ${role}`);
    });
    const url = db.url.replace(/\/\/[^@]+@/, `//${role}@`);
    const written = writeServeConfig({
      database: { url },
      watch: { mode: 'notify', channel: CHANNEL },
      sections: [
        section('recent', 'SELECT o.id, a.name FROM orders o JOIN agents a ON a.id = o.agent_id'),
      ],
    });
    cleanups.push(written.remove);
    const result = await runOpsdeck(['check', '--config', written.file, '--install-triggers']);
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(
      /FAIL\s+installing triggers on agents, orders: (permission denied for table orders|must be owner of table orders)/,
    );
    expect(result.stdout).toContain('nothing was changed (the transaction was rolled back)');
    // The agents trigger and the function were created first, and rolled back with the rest.
    const triggers = await db.admin('SELECT tgname FROM pg_trigger WHERE NOT tgisinternal');
    expect(triggers).toEqual([]);
    const functions = await db.admin('SELECT proname FROM pg_proc WHERE proname = $1', [
      `${CHANNEL}_notify`,
    ]);
    expect(functions).toEqual([]);
  });

  it('the database error keeps its HINT', async () => {
    const result = await check([section('broken', 'SELECT totl FROM orders', ['orders'])]);
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(
      /section broken\s+FAILED\s+column "totl" does not exist\n\s+HINT: Perhaps you meant to reference the column "orders.total"\./,
    );
  });

  it('--install-triggers outside notify mode is a usage error', async () => {
    const written = writeServeConfig({
      database: { url: db.url },
      sections: [section('a', 'SELECT 1 AS x')],
    });
    cleanups.push(written.remove);
    const result = await runOpsdeck(['check', '--config', written.file, '--install-triggers']);
    expect(result.code).toBe(2);
    expect(result.stderr + result.stdout).toContain('--install-triggers: only in notify mode');
  });
});
