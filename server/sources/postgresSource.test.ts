import { createServer, type Server, type Socket } from 'node:net';
import pg from 'pg';
import { afterAll, beforeAll, expect, it, vi } from 'vitest';
import {
  createPostgresDatabase,
  describeWithService,
  type TestDatabase,
} from '../../test/helpers/services.js';
import type { DataSource } from './DataSource.js';
import { createPostgresSource, describePostgresUrl } from './postgresSource.js';
import { parseTimestamp } from './postgresTypes.js';

const CLOSED_PORT_URL = 'postgres://postgres@127.0.0.1:1/nothing';
const quiet = { warn: () => undefined };

it('parses PostgreSQL timestamp text into ISO 8601 UTC', () => {
  expect(parseTimestamp('2024-03-01 12:34:56')).toBe('2024-03-01T12:34:56.000Z');
  expect(parseTimestamp('2024-03-01 12:34:56.789123+02')).toBe('2024-03-01T10:34:56.789Z');
  expect(parseTimestamp('2024-03-01 05:30:00+05:30')).toBe('2024-03-01T00:00:00.000Z');
  expect(parseTimestamp('1850-01-01 05:53:28+05:53:28')).toBe('1850-01-01T00:00:00.000Z');
  expect(parseTimestamp('0044-03-15 10:00:00+00 BC')).toBe('-000043-03-15T10:00:00.000Z');
  expect(parseTimestamp('0099-01-01 00:00:00')).toBe('0099-01-01T00:00:00.000Z');
  expect(parseTimestamp('infinity')).toBe('infinity');
});

it('describes the URL without the password', () => {
  expect(describePostgresUrl('postgres://dash:s3cret@db.internal/sales?sslmode=require')).toBe(
    'postgres://dash@db.internal:5432/sales',
  );
});

it('does not connect at construction; query and ping reject against a closed port', async () => {
  const source = createPostgresSource(CLOSED_PORT_URL, { pool: 1, log: quiet });
  await expect(source.query('SELECT 1', { timeoutMs: 1000, maxRows: 10 })).rejects.toThrow(
    /ECONNREFUSED/,
  );
  await expect(source.ping(1000)).rejects.toThrow(/ECONNREFUSED/);
  await source.close();
});

it('ping rejects after its timeout when the server never answers', async () => {
  const { server, port, sockets } = await silentServer();
  const source = createPostgresSource(`postgres://postgres@127.0.0.1:${port}/x`, {
    pool: 1,
    log: quiet,
  });
  const started = Date.now();
  await expect(source.ping(300)).rejects.toThrow(/timed out/);
  expect(Date.now() - started).toBeLessThan(1500);
  for (const s of sockets) s.destroy();
  await source.close();
  server.close();
});

it('rejects a chained second statement before sending anything', async () => {
  const source = createPostgresSource(CLOSED_PORT_URL, { pool: 1, log: quiet });
  await expect(
    source.query('SELECT 1; DELETE FROM orders', { timeoutMs: 1000, maxRows: 10 }),
  ).rejects.toThrow(/single statement/);
  await source.close();
});

await describeWithService('postgres', 'postgresSource against PostgreSQL', () => {
  let db: TestDatabase;
  let source: DataSource;
  const opts = { timeoutMs: 5000, maxRows: 100 };

  beforeAll(async () => {
    db = await createPostgresDatabase();
    await db.admin('CREATE TABLE orders (id int PRIMARY KEY, name text NOT NULL)');
    await db.admin("INSERT INTO orders SELECT g, 'order ' || g FROM generate_series(1, 10) g");
    // A non-UTC session zone proves timestamptz values are converted, not passed through.
    await db.admin(`ALTER DATABASE ${pg.escapeIdentifier(db.name)} SET timezone = 'Asia/Kolkata'`);
    source = createPostgresSource(db.url, { pool: 2, log: quiet });
  });

  afterAll(async () => {
    await source.close();
    await db.drop();
  });

  it('returns JSON values and typed columns', async () => {
    const result = await source.query(
      `SELECT 12345678901::int8 AS big, 12.50::numeric AS amount, 3 AS n, 1.5::float8 AS f,
              true AS flag, 'x'::text AS label, DATE '2024-03-01' AS day,
              TIMESTAMPTZ '2024-03-01 12:34:56.789+02' AS at,
              TIMESTAMP '2024-03-01 12:34:56' AS local_at, ARRAY[1, 2]::int8[] AS ids,
              interval '90 minutes' AS span, '{"a": [1]}'::jsonb AS doc, NULL::int AS nothing`,
      opts,
    );
    expect(result.columns).toEqual([
      { name: 'big', type: 'number' },
      { name: 'amount', type: 'number' },
      { name: 'n', type: 'number' },
      { name: 'f', type: 'number' },
      { name: 'flag', type: 'boolean' },
      { name: 'label', type: 'string' },
      { name: 'day', type: 'time' },
      { name: 'at', type: 'time' },
      { name: 'local_at', type: 'time' },
      { name: 'ids', type: 'string' },
      { name: 'span', type: 'string' },
      { name: 'doc', type: 'string' },
      { name: 'nothing', type: 'number' },
    ]);
    expect(result.rows).toEqual([
      {
        big: 12345678901,
        amount: 12.5,
        n: 3,
        f: 1.5,
        flag: true,
        label: 'x',
        day: '2024-03-01',
        at: '2024-03-01T10:34:56.789Z',
        local_at: '2024-03-01T12:34:56.000Z',
        ids: [1, 2],
        span: '01:30:00',
        doc: { a: [1] },
        nothing: null,
      },
    ]);
    expect(result.truncated).toBe(false);
    // The parsers are per pool: pg's global registry still returns int8 as a string.
    expect((pg.types.getTypeParser(pg.types.builtins.INT8) as (text: string) => unknown)('5')).toBe(
      '5',
    );
  });

  it('caps rows at maxRows and flags the truncation', async () => {
    const sql = 'SELECT id FROM orders ORDER BY id';
    const capped = await source.query(sql, { timeoutMs: 5000, maxRows: 3 });
    expect(capped.rows).toEqual([{ id: 1 }, { id: 2 }, { id: 3 }]);
    expect(capped.truncated).toBe(true);
    const exact = await source.query(sql, { timeoutMs: 5000, maxRows: 10 });
    expect(exact.rows).toHaveLength(10);
    expect(exact.truncated).toBe(false);
  });

  it('returns the columns of an empty result', async () => {
    const result = await source.query('SELECT id, name FROM orders WHERE false', opts);
    expect(result).toEqual({
      rows: [],
      columns: [
        { name: 'id', type: 'number' },
        { name: 'name', type: 'string' },
      ],
      truncated: false,
    });
  });

  it('aborts a query that overruns the statement timeout, and the pool stays usable', async () => {
    const started = Date.now();
    await expect(
      source.query('SELECT pg_sleep(5)', { timeoutMs: 300, maxRows: 10 }),
    ).rejects.toThrow(/statement timeout/);
    expect(Date.now() - started).toBeLessThan(2000);
    const after = await source.query('SELECT 1 AS ok', opts);
    expect(after.rows).toEqual([{ ok: 1 }]);
  });

  it('runs read-only and returns connections after failures', async () => {
    // Pool of 2 and three failures: a leaked connection would make the last query time out.
    for (const sql of [
      "INSERT INTO orders VALUES (99, 'x')",
      'UPDATE orders SET name = name',
      'CREATE TABLE sneaky (x int)',
    ]) {
      await expect(source.query(sql, opts)).rejects.toThrow(/read-only transaction/);
    }
    const count = await source.query('SELECT count(*) AS n FROM orders', opts);
    expect(count.rows).toEqual([{ n: 10 }]);
    expect(await db.admin("SELECT to_regclass('sneaky') AS t")).toEqual([{ t: null }]);
  });

  it('destroys a connection that dies mid-query and keeps serving', async () => {
    await expect(
      source.query('SELECT pg_terminate_backend(pg_backend_pid())', opts),
    ).rejects.toThrow(/terminating connection/);
    expect((await source.query('SELECT 2 AS two', opts)).rows).toEqual([{ two: 2 }]);
  });

  it('survives idle pooled connections being killed, and logs it', async () => {
    const warnings: string[] = [];
    const watched = createPostgresSource(db.url, {
      pool: 2,
      log: { warn: (_obj, msg) => warnings.push(msg) },
    });
    try {
      await watched.query('SELECT 1', opts); // leaves one idle connection in the pool
      await db.admin(
        `SELECT pg_terminate_backend(pid) FROM pg_stat_activity
          WHERE datname = current_database() AND application_name = 'opsdeck' AND state = 'idle'`,
      );
      await vi.waitFor(() => expect(warnings).toHaveLength(1), { timeout: 3000 });
      expect((await watched.query('SELECT 3 AS three', opts)).rows).toEqual([{ three: 3 }]);
    } finally {
      await watched.close();
    }
  });

  it('refuses a second statement and accepts a trailing semicolon', async () => {
    await expect(source.query('SELECT 1; DROP TABLE orders', opts)).rejects.toThrow(
      /single statement/,
    );
    expect((await source.query('SELECT 1 AS one;', opts)).rows).toEqual([{ one: 1 }]);
  });

  it('pings', async () => {
    await expect(source.ping(2000)).resolves.toBeUndefined();
  });

  it('delivers NOTIFY payloads and resyncs after the LISTEN connection is killed', async () => {
    const channel = 'opsdeck "changes"'; // needs identifier quoting
    const tables: string[] = [];
    const errors: Error[] = [];
    let resyncs = 0;
    const listener = await source.listen!(channel, {
      onTable: (table) => tables.push(table),
      onResync: () => (resyncs += 1),
      onError: (err) => errors.push(err),
    });
    try {
      await db.admin('SELECT pg_notify($1, $2)', ['other_channel', 'ignored']);
      await db.admin('SELECT pg_notify($1, $2)', [channel, 'orders']);
      await vi.waitFor(() => expect(tables).toEqual(['orders']), { timeout: 3000 });
      expect(resyncs).toBe(0);

      const killed = await db.admin(
        `SELECT pg_terminate_backend(pid) AS killed FROM pg_stat_activity
          WHERE datname = current_database() AND query LIKE 'LISTEN%'`,
      );
      expect(killed).toEqual([{ killed: true }]);
      await vi.waitFor(() => expect(resyncs).toBe(1), { timeout: 5000 });
      expect(errors.length).toBeGreaterThan(0);

      await db.admin('SELECT pg_notify($1, $2)', [channel, 'agents']);
      await vi.waitFor(() => expect(tables).toEqual(['orders', 'agents']), { timeout: 3000 });
    } finally {
      await listener.close();
    }
  });

  it('keeps retrying a LISTEN that cannot connect, without rejecting, until closed', async () => {
    const down = createPostgresSource(CLOSED_PORT_URL, { pool: 1, log: quiet });
    const errors: Error[] = [];
    const listener = await down.listen!('opsdeck_changes', {
      onTable: () => undefined,
      onResync: () => undefined,
      onError: (err) => errors.push(err),
    });
    await vi.waitFor(() => expect(errors.length).toBeGreaterThanOrEqual(2), { timeout: 3000 });
    await listener.close();
    const seen = errors.length;
    await new Promise((resolve) => setTimeout(resolve, 600));
    expect(errors.length).toBe(seen); // close() stopped the retries
    await down.close();
  });
});

/** A TCP server that accepts connections and never says a word: a hung database. */
async function silentServer(): Promise<{ server: Server; port: number; sockets: Socket[] }> {
  const sockets: Socket[] = [];
  const server = createServer((socket) => sockets.push(socket));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('no port');
  return { server, port: address.port, sockets };
}
