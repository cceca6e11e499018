import { createServer, connect as tcpConnect, type AddressInfo, type Socket } from 'node:net';
import pg from 'pg';
import { afterAll, beforeAll, expect, it, vi } from 'vitest';
import {
  createPostgresDatabase,
  describeWithService,
  type TestDatabase,
} from '../../test/helpers/services.js';
import type { DataSource } from './DataSource.js';
import { startListener } from './postgresListener.js';
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

  it('notices a LISTEN connection that went silent (no FIN, no RST) by its pings, and resyncs', async () => {
    // A proxy whose open connections can be frozen: nothing passes, nothing is closed.
    const open: Socket[] = [];
    const proxy = createServer((client) => {
      const upstream = tcpConnect(Number(new URL(db.url).port || 5432), '127.0.0.1');
      open.push(client, upstream);
      const drop = () => (client.destroy(), upstream.destroy());
      client.on('error', drop).on('close', drop);
      upstream.on('error', drop).on('close', drop);
      client.pipe(upstream).pipe(client);
    });
    await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
    const url = new URL(db.url);
    url.host = `127.0.0.1:${(proxy.address() as AddressInfo).port}`;
    const errors: Error[] = [];
    let resyncs = 0;
    const listener = startListener(
      url.toString(),
      'opsdeck_silent',
      { onTable: () => undefined, onResync: () => (resyncs += 1), onError: (e) => errors.push(e) },
      5000,
      200,
    );
    try {
      await listener.ready;
      for (const socket of [...open]) {
        socket.unpipe();
        socket.pause();
      }
      await vi.waitFor(() => expect(resyncs).toBe(1), { timeout: 10_000 });
      expect(errors.map((e) => e.message)).toContain(
        'postgres LISTEN connection stopped answering',
      );
    } finally {
      for (const socket of open) socket.destroy(); // the frozen ones too
      await listener.close();
      await new Promise<void>((resolve) => proxy.close(() => resolve()));
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
