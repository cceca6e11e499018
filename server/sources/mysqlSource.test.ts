import { createServer, type Server, type Socket } from 'node:net';
import { afterAll, beforeAll, expect, it } from 'vitest';
import {
  createMysqlDatabase,
  describeWithService,
  type TestDatabase,
} from '../../test/helpers/services.js';
import type { DataSource } from './DataSource.js';
import { createMysqlSource } from './mysqlSource.js';
import { describeMysqlUrl, parseMysqlUrl } from './mysqlUrl.js';

const CLOSED_PORT_URL = 'mysql://root@127.0.0.1:1/nothing';

it('parses mysql:// and mariadb:// URLs, percent-decoded, default port 3306', () => {
  expect(parseMysqlUrl('mariadb://dash%40ops:p%2Fw@db.internal/sales%20eu')).toEqual({
    host: 'db.internal',
    port: 3306,
    user: 'dash@ops',
    password: 'p/w',
    database: 'sales eu',
  });
  expect(parseMysqlUrl('mysql://root@[::1]:3307')).toEqual({
    host: '::1',
    port: 3307,
    user: 'root',
    password: '',
    database: undefined,
  });
  expect(() => parseMysqlUrl('postgres://x@y/z')).toThrow(/mysql:\/\//);
  expect(describeMysqlUrl('mysql://dash:s3cret@db.internal/sales?ssl=1')).toBe(
    'mysql://dash@db.internal:3306/sales',
  );
});

it('does not connect at construction; query and ping reject against a closed port', async () => {
  const source = createMysqlSource(CLOSED_PORT_URL, { pool: 1 });
  await expect(source.query('SELECT 1', { timeoutMs: 1000, maxRows: 10 })).rejects.toThrow(
    /ECONNREFUSED/,
  );
  await expect(source.ping(1000)).rejects.toThrow(/ECONNREFUSED/);
  await source.close();
});

it('ping rejects after its timeout when the server never answers', async () => {
  const { server, port, sockets } = await silentServer();
  const source = createMysqlSource(`mysql://root@127.0.0.1:${port}/x`, { pool: 1 });
  const started = Date.now();
  await expect(source.ping(300)).rejects.toThrow(/timed out/);
  expect(Date.now() - started).toBeLessThan(1500);
  for (const s of sockets) s.destroy();
  await source.close();
  server.close();
});

await describeWithService('mysql', 'mysqlSource against MariaDB', () => {
  let db: TestDatabase;
  let source: DataSource;
  const opts = { timeoutMs: 5000, maxRows: 100 };

  beforeAll(async () => {
    db = await createMysqlDatabase();
    await db.admin(
      `CREATE TABLE orders (id INT PRIMARY KEY, name VARCHAR(40) NOT NULL,
         total DECIMAL(10, 2) NOT NULL, paid BOOLEAN NOT NULL, day DATE NOT NULL,
         at DATETIME(3) NOT NULL, stamped TIMESTAMP NOT NULL)`,
    );
    // The admin session writes in +02:00: a TIMESTAMP must still come back as the UTC instant.
    await db.admin("SET time_zone = '+02:00'");
    await db.admin(
      `INSERT INTO orders VALUES
         (1, 'first', 12.50, TRUE, '2024-03-01', '2024-03-01 12:34:56.789', '2024-03-01 12:00:00')`,
    );
    for (let id = 2; id <= 10; id += 1) {
      await db.admin("INSERT INTO orders VALUES (?, ?, 1, FALSE, '2024-03-02', NOW(3), NOW())", [
        id,
        `order ${id}`,
      ]);
    }
    source = createMysqlSource(db.url, { pool: 2 });
  });

  afterAll(async () => {
    await source.close();
    await db.drop();
  });

  it('returns JSON values and typed columns', async () => {
    const result = await source.query(
      `SELECT id, name, total, paid, day, at, stamped, 9007199254740993 AS huge,
              12345678901 AS big, 1.5e0 AS f, NULL AS nothing
         FROM orders WHERE id = 1`,
      opts,
    );
    expect(result.columns).toEqual([
      { name: 'id', type: 'number' },
      { name: 'name', type: 'string' },
      { name: 'total', type: 'number' },
      { name: 'paid', type: 'number' }, // BOOLEAN is TINYINT(1)
      { name: 'day', type: 'time' },
      { name: 'at', type: 'time' },
      { name: 'stamped', type: 'time' },
      { name: 'huge', type: 'number' },
      { name: 'big', type: 'number' },
      { name: 'f', type: 'number' },
      { name: 'nothing', type: 'string' },
    ]);
    expect(result.rows).toEqual([
      {
        id: 1,
        name: 'first',
        total: 12.5,
        paid: 1,
        day: '2024-03-01',
        at: '2024-03-01T12:34:56.789Z',
        stamped: '2024-03-01T10:00:00.000Z',
        huge: '9007199254740993', // beyond 2^53: exact digits rather than a wrong number
        big: 12345678901,
        f: 1.5,
        nothing: null,
      },
    ]);
    expect(result.truncated).toBe(false);
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
    const result = await source.query('SELECT id, name FROM orders WHERE 1 = 0', opts);
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
    await expect(source.query('SELECT SLEEP(5)', { timeoutMs: 300, maxRows: 10 })).rejects.toThrow(
      /max_statement_time exceeded/,
    );
    expect(Date.now() - started).toBeLessThan(2000);
    expect((await source.query('SELECT 1 AS ok', opts)).rows).toEqual([{ ok: 1 }]);
  });

  it('runs read-only, DDL included, and returns connections after failures', async () => {
    // Pool of 2 and three failures: a leaked connection would make the last query time out.
    for (const sql of [
      "INSERT INTO orders VALUES (99, 'x', 1, 0, '2024-01-01', NOW(), NOW())",
      'UPDATE orders SET name = name',
      // DDL commits implicitly: only the read-only session (not the transaction) stops it.
      'CREATE TABLE sneaky (x INT)',
    ]) {
      await expect(source.query(sql, opts)).rejects.toThrow(/READ ONLY/);
    }
    expect((await source.query('SELECT count(*) AS n FROM orders', opts)).rows).toEqual([
      { n: 10 },
    ]);
    expect(
      await db.admin(
        "SELECT COUNT(*) AS n FROM information_schema.tables WHERE table_schema = ? AND table_name = 'sneaky'",
        [db.name],
      ),
    ).toEqual([{ n: 0 }]);
  });

  it('refuses a second statement and accepts a trailing semicolon', async () => {
    await expect(source.query('SELECT 1; DROP TABLE orders', opts)).rejects.toThrow(
      /single statement/,
    );
    expect((await source.query('SELECT 1 AS one;', opts)).rows).toEqual([{ one: 1 }]);
  });

  it('destroys a connection that dies mid-query and keeps serving', async () => {
    const single = createMysqlSource(db.url, { pool: 1 });
    try {
      // KILL CONNECTION_ID() ends the very connection the query runs on.
      await expect(single.query('KILL CONNECTION_ID()', opts)).rejects.toThrow(/killed/);
      expect((await single.query('SELECT 2 AS two', opts)).rows).toEqual([{ two: 2 }]);
    } finally {
      await single.close();
    }
  });

  it('works with a mariadb:// URL and pings', async () => {
    const other = createMysqlSource(db.url.replace(/^mysql:/, 'mariadb:'), { pool: 1 });
    try {
      await expect(other.ping(2000)).resolves.toBeUndefined();
      expect((await other.query('SELECT DATABASE() AS db', opts)).rows).toEqual([{ db: db.name }]);
    } finally {
      await other.close();
    }
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
