/**
 * PostgreSQL reads asked for at the same moment share one round trip and one transaction (the
 * source's ReadBatcher): the three sections of one change notification, and the notify re-check's
 * counters with the sections it re-reads whatever they say (SQL that reads the clock). Each read
 * keeps its own row cap; a failing one fails alone. Counted on the wire (a recording proxy) and by
 * PostgreSQL's own statistics.
 */
import { tmpdir } from 'node:os';
import pg from 'pg';
import { afterAll, beforeAll, expect, it, vi } from 'vitest';
import { notifyTriggerSql } from '../server/config/notifyTriggerSql.js';
import { parseConfigText } from '../server/config/loadConfig.js';
import { configuredParts } from '../server/configuredServer.js';
import { silentLogger } from '../server/log.js';
import { Metrics } from '../server/metrics/Metrics.js';
import { SectionEngine } from '../server/sections/SectionEngine.js';
import { MemorySnapshotStore } from '../server/sections/SnapshotStore.js';
import { createPostgresSource } from '../server/sources/postgresSource.js';
import { TableCounterRecheck } from '../server/watch/tableCounterRecheck.js';
import { recordingProxy, type RecordingProxy } from './helpers/recordingProxy.js';
import { tableSection } from './helpers/serveConfig.js';
import { sessionCost, type SessionCost } from './helpers/sessionCost.js';
import {
  createPostgresDatabase,
  describeWithService,
  type TestDatabase,
} from './helpers/services.js';

const quiet = { warn: () => undefined };
const opts = { timeoutMs: 5000, maxRows: 3 };
const CHANNEL = 'opsdeck_batch_test';
const ORDERS = { schema: 'public', name: 'orders' };

await describeWithService('postgres', 'PostgreSQL reads asked for together', () => {
  let db: TestDatabase;
  let stats: SessionCost;
  let proxy: RecordingProxy;
  /** Round trips of section reads (Syncs sent), on connections other than LISTEN's. */
  const syncs = () =>
    proxy.wire.sent.filter((m) => m.type === 'S' && proxy.wire.apps[m.conn] !== 'opsdeck-listen');

  beforeAll(async () => {
    db = await createPostgresDatabase();
    await db.admin('CREATE TABLE orders (id int PRIMARY KEY)');
    await db.admin('CREATE TABLE other (id int)');
    await db.admin('INSERT INTO orders SELECT g FROM generate_series(1, 10) g');
    await db.admin(notifyTriggerSql(CHANNEL, ['orders']));
    // The admin connection's counts are published now, not during a measurement.
    await db.admin('SELECT pg_stat_force_next_flush()');
    stats = await sessionCost(db);
    proxy = await recordingProxy(Number(new URL(db.url).port || 5432));
  });

  afterAll(async () => {
    await proxy.close();
    await stats.close();
    await db.drop();
  });

  it('reads asked for in one turn: one round trip, each with its own row cap', async () => {
    const source = createPostgresSource(proxy.url(db.url), { pool: 3, log: quiet });
    try {
      await source.query('SELECT 1 AS warm', opts); // the session's settings
      proxy.reset();
      const sql = 'SELECT id FROM orders ORDER BY id';
      const [two, five, all] = await Promise.all([
        source.query(sql, { timeoutMs: 5000, maxRows: 2 }),
        source.query(sql, { timeoutMs: 5000, maxRows: 5 }),
        source.query(sql, { timeoutMs: 5000, maxRows: 20 }),
      ]);
      expect(two).toMatchObject({ rows: [{ id: 1 }, { id: 2 }], truncated: true });
      expect(five.rows).toHaveLength(5);
      expect(five.truncated).toBe(true);
      expect(all.rows).toHaveLength(10);
      expect(all.truncated).toBe(false);
      expect(syncs()).toHaveLength(1);
      expect(proxy.wire.ready).toBe(1);
      // One connection, no session command; the backend stops each at its own limit.
      expect(new Set(proxy.wire.sent.map((m) => m.conn)).size).toBe(1);
      expect(proxy.wire.sent.filter((m) => m.type === 'Q')).toEqual([]);
      expect(proxy.wire.sent.filter((m) => m.type === 'E').map((m) => m.rows)).toEqual([3, 6, 21]);
    } finally {
      await source.close();
    }
  });

  it('each read of a batch is answered with its own rows; the cheapest runs first next time', async () => {
    const source = createPostgresSource(proxy.url(db.url), { pool: 3, log: quiet });
    // Slow: 0.2 s, and it waits for an advisory lock the test may hold.
    const slow = 'SELECT 1 AS slow FROM pg_sleep(0.2), pg_advisory_xact_lock_shared(4242)';
    const quick = 'SELECT id FROM orders ORDER BY id';
    const order: string[] = [];
    const read = (sql: string) =>
      source.query(sql, opts).then((result) => {
        order.push(sql);
        return result;
      });
    const settle = async () => {
      order.length = 0;
      proxy.reset();
      await Promise.all([read(slow), read(quick)]);
      expect(syncs()).toHaveLength(1); // still one round trip
      return proxy.wire.sent.filter((m) => m.type === 'P').map((m) => m.sql);
    };
    const locker = new pg.Client({ connectionString: db.url });
    await locker.connect();
    try {
      await source.query('SELECT 1 AS warm', opts);
      // Asked for slow first: it runs first (nothing is known yet). Then the quick one is known to
      // be cheap: it runs, and is answered, first.
      expect(await settle()).toEqual([slow, quick]);
      expect(order).toEqual([slow, quick]);
      expect(await settle()).toEqual([quick, slow]);
      expect(order).toEqual([quick, slow]);
      // Answered while the slow statement of its batch is still held: not at the batch's end.
      await locker.query('SELECT pg_advisory_lock(4242)');
      order.length = 0;
      const both = Promise.all([read(slow), read(quick)]);
      await vi.waitFor(() => expect(order).toEqual([quick]), { timeout: 15_000 });
      await locker.query('SELECT pg_advisory_unlock(4242)');
      await both;
      expect(order).toEqual([quick, slow]);
    } finally {
      await locker.end();
      await source.close();
    }
  });

  it('a failing read among three fails alone: the others get their rows', async () => {
    const source = createPostgresSource(proxy.url(db.url), { pool: 1, log: quiet });
    try {
      await source.query('SELECT 1 AS warm', opts);
      proxy.reset();
      const [first, failing, last] = await Promise.allSettled([
        source.query('SELECT id FROM orders ORDER BY id', opts),
        source.query('SELECT 1 / (count(*) - count(*)) AS x FROM orders', opts),
        source.query('SELECT count(*)::int AS n FROM orders', opts),
      ]);
      expect(first).toMatchObject({
        status: 'fulfilled',
        value: { rows: [{ id: 1 }, { id: 2 }, { id: 3 }], truncated: true },
      });
      expect(failing).toMatchObject({
        status: 'rejected',
        reason: { message: 'division by zero' },
      });
      expect(last).toMatchObject({ status: 'fulfilled', value: { rows: [{ n: 10 }] } });
      // The aborted transaction skipped the last read: it was made again, alone.
      expect(syncs()).toHaveLength(2);
      expect(proxy.wire.sent.filter((m) => m.type === 'P').map((m) => m.sql)).toEqual([
        'SELECT id FROM orders ORDER BY id',
        'SELECT 1 / (count(*) - count(*)) AS x FROM orders',
        'SELECT count(*)::int AS n FROM orders',
        'SELECT count(*)::int AS n FROM orders',
      ]);
      // The session is intact: kept, still read-only, not set up again.
      await expect(source.query('INSERT INTO orders VALUES (99)', opts)).rejects.toThrow(
        /read-only transaction/,
      );
      expect(proxy.wire.sent.filter((m) => m.type === 'Q')).toEqual([]);
    } finally {
      await source.close();
    }
  });

  /** The engine and notify feed as `opsdeck serve` wires them, through the proxy. */
  const notifyServer = async () => {
    const config = parseConfigText(
      JSON.stringify({
        database: { url: proxy.url(db.url), pool: 1 },
        watch: { mode: 'notify', channel: CHANNEL, intervalMs: 3_600_000 },
        sections: [
          tableSection('count', 'SELECT count(*)::int AS n FROM orders', ['orders']),
          tableSection('top', 'SELECT max(id) AS m FROM orders', ['orders']),
          tableSection('list', 'SELECT id FROM orders ORDER BY id DESC', ['orders']),
        ],
      }),
    );
    const notices: string[] = [];
    const log = silentLogger();
    const parts = configuredParts(config, tmpdir(), new Metrics(), log, (l) => notices.push(l));
    const engine = new SectionEngine({
      specs: parts.sections,
      store: new MemorySnapshotStore(),
      log,
    });
    const updates: string[] = [];
    engine.on('update', (u) => updates.push(u.section));
    const watchers = parts.watchers(engine);
    for (const w of watchers) w.start();
    await vi.waitFor(() => expect(notices.join('\n')).toContain('notify feed verified'), {
      timeout: 10_000,
    });
    await vi.waitFor(() => expect(new Set(updates).size).toBe(3), { timeout: 10_000 });
    return {
      updates,
      close: async () => {
        for (const w of watchers) await w.stop();
        engine.stop();
        await parts.source.close();
      },
    };
  };

  /** A write from a connection of its own (its whole session is counted). */
  const write = async (sql: string) => {
    const client = new pg.Client({ connectionString: db.url });
    await client.connect();
    await client.query(sql);
    await client.end();
  };

  it('the three sections of one notification: one round trip and one transaction', async () => {
    let id = 100;
    /** Transactions the server began on the wire (Syncs and simple queries) before the write. */
    let startup = 0;
    const begun = () =>
      proxy.wire.sent.filter(
        (m) => (m.type === 'S' || m.type === 'Q') && proxy.wire.apps[m.conn] !== 'opsdeck-listen',
      ).length;
    const run = (table: 'orders' | 'other') =>
      stats.cost(async () => {
        proxy.reset();
        const server = await notifyServer();
        startup = begun();
        proxy.reset();
        server.updates.length = 0;
        try {
          await write(`INSERT INTO ${table} VALUES (${++id})`);
          if (table === 'orders') {
            await vi.waitFor(
              () => expect([...server.updates].sort()).toEqual(['count', 'list', 'top']),
              { timeout: 10_000 },
            );
            // Three reads (each with its tables' counters), one Sync, one ReadyForQuery.
            expect(syncs()).toHaveLength(1);
            expect(proxy.wire.sent.filter((m) => m.type === 'E')).toHaveLength(6);
          } else {
            expect(syncs()).toHaveLength(0);
          }
        } catch (error) {
          await server.close(); // not left to skew the next test's count of sessions
          throw error;
        }
        return server.close;
      });
    const quiet = await run('other');
    const quietStartup = startup;
    const notified = await run('orders');
    expect(notified.sessions).toBe(quiet.sessions);
    // The reads' transaction, and the one the LISTEN connection's backend runs for the
    // notification; besides what start-up cost more or less this time (on a loaded machine the
    // first reads' timers may fall in two turns, two round trips).
    expect(notified.xacts - quiet.xacts).toBe(2 + startup - quietStartup);
  });

  it('a re-check with clock sections is one transaction; their reads take its answers', async () => {
    const sql: Record<string, string> = {
      plain: 'SELECT count(*)::int AS n FROM orders',
      today: "SELECT count(*)::int AS n FROM orders WHERE current_date > '2000-01-01'",
      clock: 'SELECT max(id) AS m, now() IS NOT NULL AS ok FROM orders',
    };
    const ids = Object.keys(sql);
    const clocked = ['clock', 'today'];
    const run = (recheck: boolean, announce = false) =>
      stats.cost(async () => {
        const source = createPostgresSource(proxy.url(db.url), { pool: 1, log: quiet });
        const counters = new TableCounterRecheck(source, 5000);
        const read = (id: string) => counters.sectionSource(id).query(sql[id] ?? '', opts);
        for (const id of ids) {
          counters.setTrusted(id, [ORDERS]);
          counters.setSql(id, sql[id] ?? '');
        }
        const announced: string[] = [];
        const listener = await source.listen?.(CHANNEL, {
          onTable: (t) => announced.push(t),
          onResync: () => undefined,
          onError: () => undefined,
        });
        const first = await Promise.all(ids.map(read));
        if (recheck) {
          proxy.reset();
          const due = await counters.due(ids, () => false);
          expect(due).toEqual(expect.arrayContaining(clocked));
          if (announce) {
            await write(`NOTIFY ${CHANNEL}, 'orders'`);
            await vi.waitFor(() => expect(announced).toEqual(['orders']));
          }
          const rows = await Promise.all(clocked.map(read));
          expect(rows.map((r) => r.rows)).toEqual(
            clocked.map((id) => first[ids.indexOf(id)]?.rows),
          );
          // The counters and both reads in one round trip; a change announced since: read again.
          expect(syncs()).toHaveLength(announce ? 2 : 1);
        }
        return async () => {
          await listener?.close();
          await source.close();
        };
      });
    const reads = await run(false);
    const rechecked = await run(true);
    expect(rechecked.xacts - reads.xacts).toBe(1);
    // A change announced after the re-check's reads were sent: the sections read again.
    await run(true, true);
  });
});
