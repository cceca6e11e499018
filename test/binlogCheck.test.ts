/**
 * `opsdeck check` in binlog mode against a MariaDB of its own: it passes when the binary log is
 * row-based and the user may read it, and otherwise FAILs with the exact fix: the SET GLOBAL /
 * my.cnf line for binlog_format, the GRANT for a user without REPLICATION privileges, the file
 * change for a table that does not exist.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TempMariadb } from '../testkit/tempMariadb.js';
import { privateMariadbUnavailable, startSalesMariadb } from './helpers/privateMariadb.js';
import { runOpsdeck } from './helpers/opsdeckProcess.js';
import { tableSection, writeServeConfig } from './helpers/serveConfig.js';

let db: TempMariadb;
/** Undone newest first after the file's tests. */
const removals: (() => unknown)[] = [];

const unavailable = privateMariadbUnavailable(import.meta.url);

beforeAll(async () => {
  if (unavailable) return;
  db = await startSalesMariadb(removals, {
    tables: ['CREATE TABLE sales.events (id INT AUTO_INCREMENT PRIMARY KEY)'],
    binlogReader: true,
    then: ["CREATE USER 'reader'@'%'", "GRANT SELECT ON sales.* TO 'reader'@'%'"],
  });
}, 120_000);

afterAll(async () => {
  for (let r = removals.pop(); r; r = removals.pop()) await r();
}, 60_000);

async function check(user: string, tables = ['events']) {
  const written = writeServeConfig({
    database: { url: db.url('sales', user) },
    watch: { mode: 'binlog' },
    sections: [tableSection('total', 'SELECT COUNT(*) AS n FROM events', tables)],
  });
  removals.push(written.remove);
  return runOpsdeck(['check', '--config', written.file], {}, 30_000);
}

describe.skipIf(unavailable !== undefined)('opsdeck check, binlog mode', () => {
  it('passes on a row-based binary log read by a user with REPLICATION privileges', async () => {
    const { code, stdout } = await check('opsdeck');
    expect(stdout).toMatch(
      /^ {2}ok {4}.*log_bin ON, binlog_format ROW, .*server_id 1, user opsdeck@%$/m,
    );
    expect(stdout).toMatch(/^ {2}ok {4}total {2}watches sales\.events$/m);
    expect(stdout).toContain('all checks passed');
    expect(code).toBe(0);
  });

  it('FAILs binlog_format=STATEMENT with the SET GLOBAL and my.cnf lines', async () => {
    await db.sql("SET GLOBAL binlog_format = 'STATEMENT'");
    try {
      const { code, stdout } = await check('opsdeck');
      expect(stdout).toMatch(/^ {2}FAIL {2}binlog_format is STATEMENT, not ROW/m);
      expect(stdout).toContain("fix: SET GLOBAL binlog_format = 'ROW';");
      expect(stdout).toContain('in my.cnf, under [mysqld]: binlog_format = ROW');
      expect(code).toBe(1);
    } finally {
      await db.sql("SET GLOBAL binlog_format = 'ROW'");
    }
  });

  it('FAILs a user without REPLICATION privileges with the GRANT to run', async () => {
    const { code, stdout } = await check('reader');
    expect(stdout).toMatch(
      /^ {2}FAIL {2}reader@% lacks REPLICATION SLAVE and REPLICATION CLIENT: the binary log cannot be read$/m,
    );
    expect(stdout).toContain(
      "fix: GRANT REPLICATION SLAVE, REPLICATION CLIENT ON *.* TO 'reader'@'%';",
    );
    expect(code).toBe(1);
  });

  it('FAILs a table in tables: that does not exist', async () => {
    const { code, stdout } = await check('opsdeck', ['events', 'orderz']);
    expect(stdout).toMatch(
      /^ {2}FAIL {2}total {2}table sales\.orderz \(tables: orderz\) does not exist/m,
    );
    expect(stdout).toContain('fix: in the file: sections[0].tables:');
    expect(code).toBe(1);
  });
});
