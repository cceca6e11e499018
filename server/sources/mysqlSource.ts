import type { PoolConnection } from 'mysql2';
import mysql from 'mysql2/promise';
import type { DataSource } from './DataSource.js';
import { settle, withPooledConnection } from './mysqlConnection.js';
import { detectFlavor, type Flavor } from './mysqlFlavor.js';
import { runQuery } from './mysqlQuery.js';
import { describeMysqlUrl, parseMysqlUrl } from './mysqlUrl.js';

export interface MysqlSourceOptions {
  /** Max connections for section queries. */
  pool: number;
}

/** Bounds the TCP connect + handshake of a new connection, so a black-holed host fails. */
const CONNECT_TIMEOUT_MS = 10_000;

/**
 * MySQL and MariaDB: section queries through a pool, each in a read-only session and transaction
 * with a server-side statement timeout. Rows are streamed and only maxRows + 1 are kept, so a
 * runaway result never fills memory. The change feed is the caller's: polling, or the binary log
 * (mysqlBinlog, on connections of its own).
 */
export function createMysqlSource(url: string, opts: MysqlSourceOptions): DataSource {
  const target = parseMysqlUrl(url);
  // createPool never connects: a database that is down at start surfaces from query()/ping().
  const pool = mysql.createPool({
    host: target.host,
    port: target.port,
    user: target.user,
    password: target.password,
    ...(target.database !== undefined ? { database: target.database } : {}),
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
