import type { FieldPacket, PoolConnection, RowDataPacket } from 'mysql2';
import mysql from 'mysql2/promise';
import type { Column, ColumnType, Row } from '../../common/protocol.js';
import type { DataSource, QueryOptions, QueryResult } from './DataSource.js';
import { normalizeValue } from './normalizeValue.js';
import { findSecondStatement } from './singleStatement.js';

export interface MysqlSourceOptions {
  /** Max connections for section queries. */
  pool: number;
}

/** Bounds the TCP connect + handshake of a new connection, so a black-holed host fails. */
const CONNECT_TIMEOUT_MS = 10_000;
/**
 * The server enforces the statement timeout; this client-side margin only catches a connection that
 * stopped answering altogether (then it is destroyed rather than waited on forever).
 */
const CLIENT_GRACE_MS = 2_000;

/**
 * MySQL and MariaDB: section queries through a pool, each in a read-only session and transaction
 * with a server-side statement timeout. Rows are streamed and only maxRows + 1 are kept, so a
 * runaway result never fills memory. There is no change feed: the caller polls.
 */
export function createMysqlSource(url: string, opts: MysqlSourceOptions): DataSource {
  const target = parseMysqlUrl(url);
  // createPool never connects: a database that is down at start surfaces from query()/ping().
  const pool = mysql.createPool({
    host: target.host,
    port: target.port,
    user: target.user,
    password: target.password,
    database: target.database,
    connectionLimit: opts.pool,
    decimalNumbers: true,
    supportBigNumbers: true, // BIGINTs beyond 2^53 come as exact strings rather than wrong numbers
    bigNumberStrings: false,
    dateStrings: ['DATE'], // a DATE is a calendar day: keep 'YYYY-MM-DD', no midnight-in-some-zone
    timezone: 'Z',
    multipleStatements: false,
    connectTimeout: CONNECT_TIMEOUT_MS,
    enableKeepAlive: true,
  });
  // The callback-style core pool: its connections stream rows and are typed as what they are.
  const core = pool.pool;
  // mysql2 handles only the first 'error' of a pooled connection (once); a second one (for example
  // a write after the socket closed) with no listener would crash the process. The pool drops the
  // connection on its own and the next query reports the failure.
  core.on('connection', (conn: PoolConnection) => conn.on('error', () => undefined));

  let flavor: Promise<Flavor> | undefined;
  const flavorOf = (conn: PoolConnection): Promise<Flavor> => {
    flavor ??= detectFlavor(conn).catch((err: unknown) => {
      flavor = undefined; // try again next time
      throw err;
    });
    return flavor;
  };
  let closing: Promise<void> | undefined;

  return {
    kind: 'mysql',
    description: describeMysqlUrl(url),
    query: (sql, options) => runQuery(core, flavorOf, sql, options),
    ping: (timeoutMs) =>
      withPooledConnection(core, timeoutMs, 'ping', (lease) =>
        settle((done) => lease.conn.ping((err) => done(err, undefined))),
      ),
    close() {
      // end() reports the failure of connections that already died (a database that went away):
      // there is nothing left to close then, and shutting down must not fail because of it.
      closing ??= pool.end().catch(() => undefined);
      return closing;
    },
  };
}

// ---------------------------------------------------------------------------------------------
// URL

export interface MysqlTarget {
  host: string;
  port: number;
  user: string;
  password: string;
  database: string | undefined;
}

/** `mysql://user:password@host:port/database` (or `mariadb://`); parts are percent-decoded. */
export function parseMysqlUrl(url: string): MysqlTarget {
  const u = new URL(url);
  if (u.protocol !== 'mysql:' && u.protocol !== 'mariadb:') {
    throw new Error(`not a mysql:// or mariadb:// URL: ${u.protocol}`);
  }
  const database = decodeURIComponent(u.pathname.replace(/^\//, ''));
  return {
    host: u.hostname.replace(/^\[(.*)\]$/, '$1') || 'localhost', // IPv6 literals come bracketed
    port: u.port ? Number(u.port) : 3306,
    user: decodeURIComponent(u.username),
    password: decodeURIComponent(u.password),
    database: database || undefined,
  };
}

/** `mysql://user@host:3306/db`: the URL without password or query string, for logs. */
export function describeMysqlUrl(url: string): string {
  try {
    const u = new URL(url);
    const user = u.username ? `${u.username}@` : '';
    return `${u.protocol}//${user}${u.hostname}:${u.port || '3306'}${u.pathname}`;
  } catch {
    return url.replace(/\/\/([^:/@]*):[^@]*@/, '//$1@').replace(/\?.*$/, '');
  }
}

// ---------------------------------------------------------------------------------------------
// Server flavor: MariaDB and MySQL name their statement timeout differently.

interface Flavor {
  mariadb: boolean;
  /** Session variable that makes every later transaction read-only. */
  readOnlyVariable: string;
}

async function detectFlavor(conn: PoolConnection): Promise<Flavor> {
  const rows = await rowsOf(conn, 'SELECT VERSION() AS version');
  const version = String(rows[0]?.['version'] ?? '');
  const mariadb = /mariadb/i.test(version);
  const [major = 0, minor = 0] = version.split(/[.-]/).map(Number);
  // MariaDB renamed tx_read_only to transaction_read_only in 11.1; MySQL 8 has only the new name.
  const oldName = mariadb && (major < 11 || (major === 11 && minor < 1));
  return { mariadb, readOnlyVariable: oldName ? 'tx_read_only' : 'transaction_read_only' };
}

/**
 * One round trip that (re)asserts the whole session state a section query relies on, whatever an
 * earlier query on this pooled connection did: the timeout, UTC (TIMESTAMP values are converted to
 * the session zone before they are sent), and a read-only session. The session flag matters: DDL
 * inside START TRANSACTION READ ONLY commits implicitly and then runs, outside any transaction.
 */
function sessionSettings(flavor: Flavor, timeoutMs: number): string {
  const timeout = flavor.mariadb
    ? `max_statement_time = ${(timeoutMs / 1000).toFixed(3)}` // seconds, as a decimal
    : `max_execution_time = ${timeoutMs}`; // milliseconds (SELECT statements only)
  return `SET SESSION ${timeout}, time_zone = '+00:00', ${flavor.readOnlyVariable} = 1`;
}

// ---------------------------------------------------------------------------------------------
// Queries

async function runQuery(
  pool: mysql.Pool['pool'],
  flavorOf: (conn: PoolConnection) => Promise<Flavor>,
  sql: string,
  options: QueryOptions,
): Promise<QueryResult> {
  assertSingleStatement(sql);
  const timeoutMs = validTimeout(options.timeoutMs);
  const maxRows = validMaxRows(options.maxRows);
  return withPooledConnection(pool, timeoutMs + CLIENT_GRACE_MS, 'query', async (lease) => {
    const { conn } = lease;
    await run(conn, sessionSettings(await flavorOf(conn), timeoutMs));
    await run(conn, 'START TRANSACTION READ ONLY');
    try {
      const result = await readAtMost(conn, sql, maxRows + 1);
      await run(conn, 'COMMIT');
      const columns = toColumns(result.fields);
      return {
        columns,
        rows: result.rows.slice(0, maxRows).map((raw) => toRow(raw, columns)),
        truncated: result.rows.length > maxRows,
      };
    } catch (err) {
      // A failed ROLLBACK means the connection itself is gone: do not return it to the pool.
      await run(conn, 'ROLLBACK').catch(() => (lease.broken = true));
      throw err;
    }
  });
}

function assertSingleStatement(sql: string): void {
  const at = findSecondStatement(sql);
  if (at !== undefined) {
    throw new Error(
      `section SQL must be a single statement; a second one starts at offset ${at}: ` +
        JSON.stringify(sql.slice(at, at + 40)),
    );
  }
}

/** The timeout is interpolated into SQL, so only a positive integer may get there (0 = off). */
function validTimeout(ms: number): number {
  if (!Number.isFinite(ms) || ms <= 0) throw new Error(`invalid statement timeout: ${ms}`);
  return Math.ceil(ms);
}

function validMaxRows(n: number): number {
  if (!Number.isInteger(n) || n < 0) throw new Error(`invalid maxRows: ${n}`);
  return n;
}

interface StreamedRead {
  rows: Record<string, unknown>[];
  fields: FieldPacket[];
}

/**
 * Streams the result and keeps the first `limit` rows. The rest is read off the wire and dropped
 * (the protocol has no way to stop a result early short of killing the connection); the statement
 * timeout bounds how long that can take.
 */
function readAtMost(conn: PoolConnection, sql: string, limit: number): Promise<StreamedRead> {
  return new Promise<StreamedRead>((resolve, reject) => {
    const rows: Record<string, unknown>[] = [];
    let fields: FieldPacket[] = [];
    // A connection that dies mid-result fails the connection, not the event-style query.
    const onConnectionError = (err: Error): void => reject(err);
    conn.once('error', onConnectionError);
    conn
      .query(sql)
      .on('fields', (f: FieldPacket[]) => (fields = f))
      .on('result', (row: RowDataPacket) => {
        if (rows.length < limit) rows.push(row);
      })
      .on('error', (err) => reject(err)) // always followed by 'end'; resolve() then does nothing
      .on('end', () => {
        conn.off('error', onConnectionError);
        resolve({ rows, fields });
      });
  });
}

async function run(conn: PoolConnection, sql: string): Promise<void> {
  await settle((done) => conn.query(sql, (err) => done(err, undefined)));
}

function rowsOf(conn: PoolConnection, sql: string): Promise<RowDataPacket[]> {
  return settle((done) => conn.query<RowDataPacket[]>(sql, (err, rows) => done(err, rows)));
}

/** Adapts mysql2's callback API (its promise wrapper hides the core connection we stream from). */
function settle<T>(start: (done: (err: Error | null, value: T) => void) => void): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    start((err, value) => (err ? reject(err) : resolve(value)));
  });
}

// ---------------------------------------------------------------------------------------------
// Values and columns

/** mysql2 column type codes (the protocol's MYSQL_TYPE_* constants). */
const MYSQL_TYPE = {
  DECIMAL: 0,
  TINY: 1,
  SHORT: 2,
  LONG: 3,
  FLOAT: 4,
  DOUBLE: 5,
  TIMESTAMP: 7,
  LONGLONG: 8,
  INT24: 9,
  DATE: 10,
  DATETIME: 12,
  YEAR: 13,
  NEWDATE: 14,
  TIMESTAMP2: 17,
  DATETIME2: 18,
  NEWDECIMAL: 246,
} as const;

// TINYINT stays a number: MySQL has no real boolean, and TINYINT(1) columns often hold counts too.
const NUMBER_TYPES = new Set<number>([
  MYSQL_TYPE.DECIMAL,
  MYSQL_TYPE.TINY,
  MYSQL_TYPE.SHORT,
  MYSQL_TYPE.LONG,
  MYSQL_TYPE.FLOAT,
  MYSQL_TYPE.DOUBLE,
  MYSQL_TYPE.LONGLONG,
  MYSQL_TYPE.INT24,
  MYSQL_TYPE.YEAR,
  MYSQL_TYPE.NEWDECIMAL,
]);
const TIME_TYPES = new Set<number>([
  MYSQL_TYPE.TIMESTAMP,
  MYSQL_TYPE.DATE,
  MYSQL_TYPE.DATETIME,
  MYSQL_TYPE.NEWDATE,
  MYSQL_TYPE.TIMESTAMP2,
  MYSQL_TYPE.DATETIME2,
]);

function columnType(field: FieldPacket): ColumnType {
  const code = field.columnType ?? field.type ?? -1;
  if (NUMBER_TYPES.has(code)) return 'number';
  if (TIME_TYPES.has(code)) return 'time';
  return 'string';
}

/**
 * Columns in result order. Duplicate names collapse to one column (rows are objects, where the
 * last value wins; the column keeps its first position, like the object key does).
 */
function toColumns(fields: readonly FieldPacket[]): Column[] {
  const byName = new Map<string, ColumnType>();
  for (const f of fields) byName.set(f.name, columnType(f));
  return [...byName].map(([name, type]) => ({ name, type }));
}

function toRow(raw: Record<string, unknown>, columns: readonly Column[]): Row {
  const row: Row = {};
  for (const { name } of columns) row[name] = normalizeValue(raw[name]);
  return row;
}

// ---------------------------------------------------------------------------------------------
// Pooled connections with a hard deadline

interface Lease {
  readonly conn: PoolConnection;
  /** Set when the connection must be destroyed instead of going back to the pool. */
  broken: boolean;
}

/**
 * Runs work on a pooled connection and settles within deadlineMs even if the socket hangs: on
 * expiry the call rejects and the connection is destroyed. A connection that failed fatally is
 * destroyed too; a healthy one goes back to the pool.
 */
function withPooledConnection<T>(
  pool: mysql.Pool['pool'],
  deadlineMs: number,
  what: string,
  work: (lease: Lease) => Promise<T>,
): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    let lease: Lease | undefined;
    let settled = false;
    const timer = setTimeout(() => {
      settled = true;
      reject(new Error(`${what} timed out after ${deadlineMs} ms`));
      lease?.conn.destroy();
    }, deadlineMs);

    pool.getConnection((connectError, conn) => {
      if (connectError) {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        return reject(connectError);
      }
      if (settled) return conn.release(); // deadline passed while waiting for the pool
      const current: Lease = { conn, broken: false };
      lease = current;
      const finish = (outcome: () => void): void => {
        if (settled) return; // the timer already rejected and destroyed the connection
        settled = true;
        clearTimeout(timer);
        if (current.broken || isDead(conn)) conn.destroy();
        else conn.release();
        outcome();
      };
      work(current).then(
        (value) => finish(() => resolve(value)),
        (err: unknown) => finish(() => reject(err instanceof Error ? err : new Error(String(err)))),
      );
    });
  });
}

function isDead(conn: PoolConnection): boolean {
  return conn.state === 'error' || conn.state === 'disconnected';
}
