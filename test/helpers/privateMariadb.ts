import {
  startTempMariadb,
  tempMariadbUnavailable,
  type TempMariadb,
} from '../../testkit/tempMariadb.js';
import { inCi } from './services.js';

/**
 * The private MariaDB of the binlog tests (testkit/tempMariadb: binary log on, row format) with a
 * database `sales`, following the services convention (docs/testing.md): where mariadbd is
 * missing the file is skipped with the reason; in CI it fails instead.
 */

/** Why the file is skipped (undefined: it runs); throws in CI. `file` is the test's import.meta.url. */
export function privateMariadbUnavailable(file: string): string | undefined {
  const unavailable = tempMariadbUnavailable();
  if (unavailable && inCi()) throw new Error(`${unavailable} (CI is set, so this fails)`);
  if (unavailable) console.warn(`skipping ${file}: ${unavailable}`);
  return unavailable;
}

/** The events table of the serve tests: an id and a note. */
export const EVENTS_WITH_NOTES =
  'CREATE TABLE sales.events (id INT AUTO_INCREMENT PRIMARY KEY, note VARCHAR(40) NOT NULL)';

export interface SalesMariadbOptions {
  /** The `CREATE TABLE sales.…` statements. */
  tables: string[];
  /** The user `opsdeck` with SELECT on `sales` and the REPLICATION privileges a binlog reader needs. */
  binlogReader?: boolean;
  /** Statements run after the rest (further users, grants). */
  then?: string[];
}

/** Starts the server, pushes its stop on `cleanups` and creates `sales` with its tables and users. */
export async function startSalesMariadb(
  cleanups: (() => unknown)[],
  options: SalesMariadbOptions,
): Promise<TempMariadb> {
  const db = await startTempMariadb();
  cleanups.push(() => db.stop());
  const reader = options.binlogReader
    ? [
        "CREATE USER 'opsdeck'@'%'",
        "GRANT SELECT ON sales.* TO 'opsdeck'@'%'",
        "GRANT REPLICATION SLAVE, REPLICATION CLIENT ON *.* TO 'opsdeck'@'%'",
      ]
    : [];
  const statements = [
    'CREATE DATABASE sales',
    ...options.tables,
    ...reader,
    ...(options.then ?? []),
  ];
  await db.sql(statements.map((s) => `${s};`).join('\n'));
  return db;
}
