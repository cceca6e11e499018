/**
 * What a PostgreSQL section read costs on the wire and in the database: one round trip (one Sync,
 * one ReadyForQuery), no BEGIN / SET LOCAL / COMMIT, one transaction by PostgreSQL's own
 * statistics; read-only and the statement timeout are set once per pooled connection. The LISTEN
 * connection's ping costs no transaction.
 */
import pg from 'pg';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { DataSource } from '../server/sources/DataSource.js';
import { createPostgresSource } from '../server/sources/postgresSource.js';
import { syncPing } from '../server/sources/postgresSyncPing.js';
import { recordingProxy } from './helpers/recordingProxy.js';
import { sessionCost, type SessionCost } from './helpers/sessionCost.js';
import {
  createPostgresDatabase,
  describeWithService,
  type TestDatabase,
} from './helpers/services.js';

const quiet = { warn: () => undefined };
const opts = { timeoutMs: 5000, maxRows: 3 };

await describeWithService('postgres', 'PostgreSQL section reads', () => {
  let db: TestDatabase;
  let stats: SessionCost;

  beforeAll(async () => {
    db = await createPostgresDatabase();
    await db.admin('CREATE TABLE orders (id int PRIMARY KEY)');
    await db.admin('INSERT INTO orders SELECT g FROM generate_series(1, 10) g');
    stats = await sessionCost(db);
  });

  afterAll(async () => {
    await stats.close();
    await db.drop();
  });

  it('one round trip, capped, no transaction commands; session settings once per connection', async () => {
    const proxy = await recordingProxy(Number(new URL(db.url).port || 5432));
    const source: DataSource = createPostgresSource(proxy.url(db.url), { pool: 1, log: quiet });
    try {
      const first = await source.query('SELECT id FROM orders ORDER BY id', opts);
      expect(first).toMatchObject({ rows: [{ id: 1 }, { id: 2 }, { id: 3 }], truncated: true });
      // The new connection's settings: one simple query, once.
      expect(proxy.wire.sent.filter((m) => m.type === 'Q').map((m) => m.sql)).toEqual([
        'SET default_transaction_read_only = on; SET statement_timeout = 5000',
      ]);
      proxy.reset();

      for (let i = 0; i < 5; i++) {
        const read = await source.query('SELECT id FROM orders ORDER BY id', opts);
        expect(read.rows).toHaveLength(3);
        expect(read.truncated).toBe(true);
      }
      const exact = await source.query('SELECT id FROM orders WHERE id <= 3', opts);
      expect(exact.truncated).toBe(false);
      expect(exact.rows).toHaveLength(3);

      // Per read: Parse, Bind, Describe, Execute (row limit), Sync; one ReadyForQuery back.
      expect(proxy.wire.ready).toBe(6);
      expect(proxy.wire.sent.filter((m) => m.type === 'S')).toHaveLength(6);
      expect(proxy.wire.sent.map((m) => m.type).slice(0, 5)).toEqual(['P', 'B', 'D', 'E', 'S']);
      expect(proxy.wire.sent.filter((m) => m.type === 'Q')).toEqual([]);
      const texts = proxy.wire.sent.flatMap((m) => (m.sql === undefined ? [] : [m.sql]));
      expect(texts).toHaveLength(6);
      expect(texts.filter((t) => /\b(BEGIN|COMMIT|SET|ROLLBACK)\b/i.test(t))).toEqual([]);

      // Another timeout for one query: the session is set again (and only then).
      await expect(
        source.query('SELECT pg_sleep(2)', { timeoutMs: 200, maxRows: 3 }),
      ).rejects.toThrow(/statement timeout/);
      await expect(source.query('INSERT INTO orders VALUES (99)', opts)).rejects.toThrow(
        /read-only transaction/,
      );
      expect(proxy.wire.sent.filter((m) => m.type === 'Q')).toHaveLength(2);
    } finally {
      await source.close();
      await proxy.close();
    }
  });

  it('a read is one transaction by pg_stat_database', async () => {
    const session = (reads: number) =>
      stats.cost(async () => {
        const source = createPostgresSource(db.url, { pool: 1, log: quiet });
        for (let i = 0; i < reads; i++) {
          await source.query('SELECT count(*) AS n FROM orders', opts);
        }
        return () => source.close();
      });
    const one = await session(1);
    const six = await session(6);
    expect(one.sessions).toBe(1);
    expect(six.sessions).toBe(1);
    expect(six.xacts - one.xacts).toBe(5);
  });

  it("the LISTEN connection's ping is no transaction; SELECT 1 is one", async () => {
    const session = (pings: number, ping: (c: pg.Client) => Promise<unknown>) =>
      stats.cost(async () => {
        const client = new pg.Client({ connectionString: db.url });
        await client.connect();
        for (let i = 0; i < pings; i++) await ping(client);
        return () => client.end();
      });
    const none = await session(0, syncPing);
    const synced = await session(10, syncPing);
    const selected = await session(10, (c) => c.query('SELECT 1'));
    expect(synced.xacts).toBe(none.xacts);
    expect(selected.xacts - none.xacts).toBe(10);
  });
});
