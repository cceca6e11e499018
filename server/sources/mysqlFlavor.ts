import type { PoolConnection } from 'mysql2';
import { rowsOf } from './mysqlConnection.js';

/** Server flavor: MariaDB and MySQL name their statement timeout and read-only variables differently. */

export interface Flavor {
  mariadb: boolean;
  /** Session variable that makes every later transaction read-only. */
  readOnlyVariable: string;
}

export async function detectFlavor(conn: PoolConnection): Promise<Flavor> {
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
export function sessionSettings(flavor: Flavor, timeoutMs: number): string {
  const timeout = flavor.mariadb
    ? `max_statement_time = ${(timeoutMs / 1000).toFixed(3)}` // seconds, as a decimal
    : `max_execution_time = ${timeoutMs}`; // milliseconds (SELECT statements only)
  return `SET SESSION ${timeout}, time_zone = '+00:00', ${flavor.readOnlyVariable} = 1`;
}
