/**
 * The DataSource contract, once, table-driven over SQLite, PostgreSQL and MariaDB: rows capped at
 * maxRows, the columns of an empty result, the statement timeout, read-only, one statement, ping,
 * and (for the networked ones) failing fast and honestly when the database is down or hung.
 * What only one database has (types, URLs, LISTEN) is in postgresSource.test.ts and
 * mysqlSource.test.ts. The SQLite worker loads from dist/: this file is in the integration project.
 */
import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createMysqlDatabase,
  createPostgresDatabase,
  describeWithService,
  type AdminQuery,
  type ServiceName,
  type TestDatabase,
} from '../../test/helpers/services.js';
import type { DataSource } from './DataSource.js';
import { createMysqlSource } from './mysqlSource.js';
import { createPostgresSource } from './postgresSource.js';
import { createSqliteSource } from './sqliteSource.js';

/** A fresh database holding `orders (id, name)` with ids 1 to 10. */
interface Fixture {
  url: string;
  admin: AdminQuery;
  tableExists(name: string): Promise<boolean>;
  drop(): Promise<void>;
}

interface Engine {
  label: string;
  /** The service it needs; none for SQLite (a file). */
  service?: ServiceName;
  open(): Promise<Fixture>;
  source(url: string, pool: number): DataSource;
  /** A query that runs for seconds, and the error the statement timeout raises. */
  slow: string;
  timeoutError: RegExp;
  readOnlyError: RegExp;
  secondStatementError: RegExp;
  /** Writes the read-only session must refuse (DDL included). */
  writes: string[];
  emptyWhere: string;
  /** A query that kills its own connection, and its error (networked databases). */
  killOwnConnection?: { sql: string; error: RegExp };
  /** A URL on a closed port, and one for a host:port (networked databases). */
  urlAt?: (port: number) => string;
}

const quiet = { warn: () => undefined };
/** DDL included: MariaDB commits DDL implicitly, so only its read-only session stops it. */
const WRITES = [
  "INSERT INTO orders VALUES (99, 'x')",
  'UPDATE orders SET name = name',
  'CREATE TABLE sneaky (x INT)',
];

async function serverDatabase(
  create: () => Promise<TestDatabase>,
  exists: (db: TestDatabase, table: string) => Promise<boolean>,
): Promise<Fixture> {
  const db = await create();
  await db.admin('CREATE TABLE orders (id INT PRIMARY KEY, name VARCHAR(40) NOT NULL)');
  for (let id = 1; id <= 10; id += 1)
    await db.admin(`INSERT INTO orders VALUES (${id}, 'order ${id}')`);
  return { url: db.url, admin: db.admin, tableExists: (t) => exists(db, t), drop: () => db.drop() };
}

function sqliteDatabase(): Promise<Fixture> {
  const dir = mkdtempSync(join(tmpdir(), 'opsdeck-contract-'));
  const file = join(dir, 'orders.db');
  const db = new Database(file);
  db.exec('CREATE TABLE orders (id INTEGER PRIMARY KEY, name TEXT NOT NULL)');
  for (let id = 1; id <= 10; id += 1)
    db.prepare('INSERT INTO orders VALUES (?, ?)').run(id, `order ${id}`);
  const admin: AdminQuery = (sql, params = []) => {
    const statement = db.prepare(sql);
    if (statement.reader)
      return Promise.resolve(statement.all(...params) as Record<string, unknown>[]);
    statement.run(...params);
    return Promise.resolve([]);
  };
  return Promise.resolve({
    url: file,
    admin,
    tableExists: async (t) =>
      (await admin("SELECT name FROM sqlite_master WHERE type = 'table' AND name = ?", [t]))
        .length > 0,
    drop() {
      db.close();
      rmSync(dir, { recursive: true, force: true });
      return Promise.resolve();
    },
  });
}

const ENGINES: Engine[] = [
  {
    label: 'SQLite',
    open: sqliteDatabase,
    source: (file) => createSqliteSource(file),
    // Counts forever: only the timeout (which terminates the worker) ends it.
    slow: 'WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c) SELECT count(*) FROM c',
    timeoutError: /statement timeout/,
    // Refused before it runs: better-sqlite3 tells a statement that returns no rows.
    readOnlyError: /must be a query that returns rows/,
    secondStatementError: /only one statement is allowed/,
    writes: WRITES,
    emptyWhere: 'WHERE 0',
  },
  {
    label: 'PostgreSQL',
    service: 'postgres',
    open: () =>
      serverDatabase(
        createPostgresDatabase,
        async (db, t) => (await db.admin('SELECT to_regclass($1) AS t', [t]))[0]?.t !== null,
      ),
    source: (url, pool) => createPostgresSource(url, { pool, log: quiet }),
    slow: 'SELECT pg_sleep(5)',
    timeoutError: /statement timeout/,
    readOnlyError: /read-only transaction/,
    secondStatementError: /single statement/,
    writes: WRITES,
    emptyWhere: 'WHERE false',
    killOwnConnection: {
      sql: 'SELECT pg_terminate_backend(pg_backend_pid())',
      error: /terminating connection/,
    },
    urlAt: (port) => `postgres://postgres@127.0.0.1:${port}/nothing`,
  },
  {
    label: 'MariaDB',
    service: 'mysql',
    open: () =>
      serverDatabase(
        createMysqlDatabase,
        async (db, t) =>
          (
            await db.admin(
              'SELECT COUNT(*) AS n FROM information_schema.tables WHERE table_schema = DATABASE() AND table_name = ?',
              [t],
            )
          )[0]?.n !== 0,
      ),
    source: (url, pool) => createMysqlSource(url, { pool }),
    slow: 'SELECT SLEEP(5)',
    timeoutError: /max_statement_time exceeded/,
    readOnlyError: /READ ONLY/,
    secondStatementError: /single statement/,
    writes: WRITES,
    emptyWhere: 'WHERE 1 = 0',
    // KILL CONNECTION_ID() ends the very connection the query runs on.
    killOwnConnection: { sql: 'KILL CONNECTION_ID()', error: /killed/ },
    urlAt: (port) => `mysql://root@127.0.0.1:${port}/nothing`,
  },
];

const opts = { timeoutMs: 5000, maxRows: 100 };

for (const engine of ENGINES) {
  const { urlAt } = engine;
  if (urlAt) {
    describe(`${engine.label} source without a database`, () => {
      it('does not connect at construction; query and ping reject against a closed port', async () => {
        const source = engine.source(urlAt(1), 1);
        await expect(source.query('SELECT 1', { timeoutMs: 1000, maxRows: 10 })).rejects.toThrow(
          /ECONNREFUSED/,
        );
        await expect(source.ping(1000)).rejects.toThrow(/ECONNREFUSED/);
        await source.close();
      });

      it('ping rejects after its timeout when the server never answers', async () => {
        const { server, port, sockets } = await silentServer();
        const source = engine.source(urlAt(port), 1);
        const started = Date.now();
        await expect(source.ping(300)).rejects.toThrow(/timed out/);
        expect(Date.now() - started).toBeLessThan(1500);
        for (const s of sockets) s.destroy();
        await source.close();
        server.close();
      });

      it('rejects a chained second statement before sending anything', async () => {
        const source = engine.source(urlAt(1), 1);
        await expect(
          source.query('SELECT 1; DELETE FROM orders', { timeoutMs: 1000, maxRows: 10 }),
        ).rejects.toThrow(/single statement/);
        await source.close();
      });
    });
  }

  const suite = () => {
    let db: Fixture;
    let source: DataSource;

    beforeAll(async () => {
      db = await engine.open();
      source = engine.source(db.url, 2);
    });

    afterAll(async () => {
      await source.close();
      await db.drop();
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
      const result = await source.query(`SELECT id, name FROM orders ${engine.emptyWhere}`, opts);
      expect(result).toEqual({
        rows: [],
        columns: [
          { name: 'id', type: 'number' },
          { name: 'name', type: 'string' },
        ],
        truncated: false,
      });
    });

    it('aborts a query that overruns the statement timeout, and stays usable', async () => {
      const started = Date.now();
      await expect(source.query(engine.slow, { timeoutMs: 300, maxRows: 10 })).rejects.toThrow(
        engine.timeoutError,
      );
      expect(Date.now() - started).toBeLessThan(2000);
      expect((await source.query('SELECT 1 AS ok', opts)).rows).toEqual([{ ok: 1 }]);
    });

    it('runs read-only, DDL included, and returns connections after failures', async () => {
      // Pool of 2 and three failures: a leaked connection would make the last query time out.
      for (const sql of engine.writes)
        await expect(source.query(sql, opts)).rejects.toThrow(engine.readOnlyError);
      expect((await source.query('SELECT count(*) AS n FROM orders', opts)).rows).toEqual([
        { n: 10 },
      ]);
      expect(await db.tableExists('sneaky')).toBe(false);
    });

    it('refuses a second statement and accepts a trailing semicolon', async () => {
      await expect(source.query('SELECT 1; DROP TABLE orders', opts)).rejects.toThrow(
        engine.secondStatementError,
      );
      expect((await source.query('SELECT 1 AS one;', opts)).rows).toEqual([{ one: 1 }]);
    });

    it('pings', async () => {
      await expect(source.ping(2000)).resolves.toBeUndefined();
    });

    const kill = engine.killOwnConnection;
    if (kill) {
      it('destroys a connection that dies mid-query and keeps serving', async () => {
        const single = engine.source(db.url, 1);
        try {
          await expect(single.query(kill.sql, opts)).rejects.toThrow(kill.error);
          expect((await single.query('SELECT 2 AS two', opts)).rows).toEqual([{ two: 2 }]);
        } finally {
          await single.close();
        }
      });
    }
  };

  const title = `${engine.label} source: the DataSource contract`;
  if (engine.service) await describeWithService(engine.service, title, suite);
  else describe(title, suite);
}

/** A TCP server that accepts connections and never says a word: a hung database. */
async function silentServer(): Promise<{ server: Server; port: number; sockets: Socket[] }> {
  const sockets: Socket[] = [];
  const server = createServer((socket) => sockets.push(socket));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('no port');
  return { server, port: address.port, sockets };
}
