import { afterAll, beforeAll, expect, it } from 'vitest';
import {
  createMysqlDatabase,
  describeWithService,
  type TestDatabase,
} from '../../test/helpers/services.js';
import type { DataSource } from './DataSource.js';
import { createMysqlSource } from './mysqlSource.js';
import { describeMysqlUrl, parseMysqlUrl } from './mysqlUrl.js';

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
