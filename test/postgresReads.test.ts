/**
 * What a PostgreSQL section read costs on the wire and in the database: one round trip (one Sync,
 * one ReadyForQuery), no BEGIN / SET LOCAL / COMMIT, one transaction by PostgreSQL's own
 * statistics; read-only and the statement timeout are set once per pooled connection. The LISTEN
 * connection's ping costs no transaction.
 */
import { createServer, connect as tcpConnect, type AddressInfo, type Socket } from 'node:net';
import pg from 'pg';
import { afterAll, beforeAll, expect, it, vi } from 'vitest';
import type { DataSource } from '../server/sources/DataSource.js';
import { createPostgresSource } from '../server/sources/postgresSource.js';
import { syncPing } from '../server/sources/postgresSyncPing.js';
import {
  createPostgresDatabase,
  describeWithService,
  type TestDatabase,
} from './helpers/services.js';

const quiet = { warn: () => undefined };
const opts = { timeoutMs: 5000, maxRows: 3 };

interface Wire {
  /** Frontend messages: type letter and, for Query and Parse, the SQL text. */
  sent: { type: string; sql?: string }[];
  /** ReadyForQuery messages the backend sent after start-up: completed round trips. */
  ready: number;
}

/** A loopback proxy that decodes the protocol messages passing through. */
async function recordingProxy(port: number) {
  const wire: Wire = { sent: [], ready: 0 };
  const sockets = new Set<Socket>();
  const server = createServer((client) => {
    const upstream = tcpConnect(port, '127.0.0.1');
    sockets.add(client).add(upstream);
    const drop = () => (client.destroy(), upstream.destroy());
    client.on('error', drop).on('close', drop);
    upstream.on('error', drop).on('close', drop);
    let startup = true;
    client.on(
      'data',
      messages(true, (type, body) => {
        if (startup) return void (startup = false);
        const sql =
          type === 'Q'
            ? cstring(body, 0)
            : type === 'P'
              ? cstring(body, body.indexOf(0) + 1)
              : undefined;
        wire.sent.push(sql === undefined ? { type } : { type, sql });
      }),
    );
    let started = false;
    upstream.on(
      'data',
      messages(false, (type) => {
        if (type !== 'Z') return;
        if (started) wire.ready += 1;
        started = true;
      }),
    );
    client.pipe(upstream).pipe(client);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    wire,
    port: (server.address() as AddressInfo).port,
    close: () => {
      for (const s of sockets) s.destroy();
      return new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** Splits a byte stream into messages; the frontend's first (start-up) message has no type. */
function messages(untypedFirst: boolean, each: (type: string, body: Buffer) => void) {
  let pending = Buffer.alloc(0);
  let first = untypedFirst;
  return (chunk: Buffer) => {
    pending = Buffer.concat([pending, chunk]);
    for (;;) {
      const head = first ? 0 : 1;
      if (pending.length < head + 4) return;
      const length = pending.readUInt32BE(head);
      if (pending.length < head + length) return;
      each(
        first ? '' : String.fromCharCode(pending[0] ?? 0),
        pending.subarray(head + 4, head + length),
      );
      pending = pending.subarray(head + length);
      first = false;
    }
  };
}

const cstring = (body: Buffer, from: number) => body.toString('utf8', from, body.indexOf(0, from));

await describeWithService('postgres', 'PostgreSQL section reads', () => {
  let db: TestDatabase;
  let stats: pg.Client;

  beforeAll(async () => {
    db = await createPostgresDatabase();
    await db.admin('CREATE TABLE orders (id int PRIMARY KEY)');
    await db.admin('INSERT INTO orders SELECT g FROM generate_series(1, 10) g');
    // Statistics read from another database, so that reading them is never counted.
    stats = new pg.Client({ connectionString: db.url.replace(/\/[^/?]+(\?|$)/, '/postgres$1') });
    await stats.connect();
    await stats.query("SET stats_fetch_consistency = 'none'");
  });

  afterAll(async () => {
    await stats.end();
    await db.drop();
  });

  it('one round trip, capped, no transaction commands; session settings once per connection', async () => {
    const proxy = await recordingProxy(new URL(db.url).port ? Number(new URL(db.url).port) : 5432);
    const url = new URL(db.url);
    url.host = `127.0.0.1:${proxy.port}`;
    const source: DataSource = createPostgresSource(url.toString(), { pool: 1, log: quiet });
    try {
      const first = await source.query('SELECT id FROM orders ORDER BY id', opts);
      expect(first).toMatchObject({ rows: [{ id: 1 }, { id: 2 }, { id: 3 }], truncated: true });
      // The new connection's settings: one simple query, once.
      expect(proxy.wire.sent.filter((m) => m.type === 'Q').map((m) => m.sql)).toEqual([
        'SET default_transaction_read_only = on; SET statement_timeout = 5000',
      ]);
      proxy.wire.sent.length = 0;
      proxy.wire.ready = 0;

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

  const counters = async () => {
    const { rows } = await stats.query<{ x: string; s: string; n: number }>(
      `SELECT (xact_commit + xact_rollback)::text AS x, sessions::text AS s, numbackends AS n
         FROM pg_stat_database WHERE datname = $1`,
      [db.name],
    );
    return { x: Number(rows[0]?.x), s: Number(rows[0]?.s), n: Number(rows[0]?.n) };
  };

  /**
   * The transactions and sessions one connection's work costs. A backend publishes its counts
   * at exit at the latest: whole sessions are counted.
   */
  const sessionCost = async (work: () => Promise<() => Promise<void>>) => {
    const idle = (await counters()).n; // the admin connection
    const before = await counters();
    const close = await work();
    await close();
    await vi.waitFor(async () => expect((await counters()).n).toBe(idle), { timeout: 10_000 });
    // Give the exiting backend's final report a moment to land: poll until it is stable.
    let last = -1;
    await vi.waitFor(
      async () => {
        const now = (await counters()).x;
        const stable = now === last;
        last = now;
        expect(stable).toBe(true);
      },
      { timeout: 10_000, interval: 300 },
    );
    const after = await counters();
    return { xacts: after.x - before.x, sessions: after.s - before.s };
  };

  it('a read is one transaction by pg_stat_database', async () => {
    const session = (reads: number) =>
      sessionCost(async () => {
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
      sessionCost(async () => {
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
