import type { CellValue, Row } from '../../common/protocol.js';
import { accountSql, replicationGrants } from './binlogGrants.js';
import type { FeedSection } from './verifyNotifyFeed.js';

/** What the server says about its binary log, for `check` and the start-up verification. */
export interface BinlogServerFacts {
  version: string;
  logBin: boolean;
  format: string;
  rowImage: string;
  serverId: number;
  user: string;
  /** The URL's schema (DATABASE()); unqualified `tables:` entries live there. */
  database: string | undefined;
}

export interface BinlogProblem {
  /** Undefined: the server or the user, so every section. */
  section?: string;
  message: string;
  /** The exact fix: SQL, a my.cnf line, or the change to make in the file. */
  fix: string;
}

export interface BinlogSectionFeed {
  section: string;
  /** `schema.table` entries whose row events re-run it; undefined: any change in the schema. */
  tables: string[] | undefined;
}

export interface BinlogFeedReport {
  facts: BinlogServerFacts;
  problems: BinlogProblem[];
  sections: BinlogSectionFeed[];
}

/** Runs one statement and returns its rows (the data source's query, for example). */
export type RunSql = (sql: string) => Promise<Row[]>;

/**
 * Verifies what binlog mode relies on: the binary log is on, row-based, the server has a
 * server_id (and not the one this reader announces), the user holds REPLICATION SLAVE and
 * REPLICATION CLIENT, and every table in `tables:` exists and is a base table (a view has no row
 * events of its own). Each problem says what it costs and the exact fix.
 */
export async function verifyBinlogFeed(
  run: RunSql,
  sections: readonly FeedSection[],
  readerServerId: number,
): Promise<BinlogFeedReport> {
  const [row = {}] = await run(
    'SELECT VERSION() AS version, @@GLOBAL.log_bin AS log_bin, @@GLOBAL.binlog_format AS format, @@GLOBAL.binlog_row_image AS row_image, @@GLOBAL.server_id AS server_id, CURRENT_USER() AS user, DATABASE() AS db',
  );
  const facts: BinlogServerFacts = {
    version: text(row['version']),
    logBin: Number(row['log_bin']) === 1 || text(row['log_bin']).toUpperCase() === 'ON',
    format: text(row['format']).toUpperCase(),
    rowImage: text(row['row_image']).toUpperCase(),
    serverId: Number(row['server_id'] ?? 0),
    user: text(row['user']),
    database: typeof row['db'] === 'string' ? row['db'] : undefined,
  };
  const everything = 'no change reaches the dashboard until the next safety re-check';
  const problems: BinlogProblem[] = [];
  if (!facts.logBin) {
    problems.push({
      message: `the binary log is off (log_bin=OFF): ${everything}`,
      fix: 'in my.cnf, under [mysqld]: log_bin = mysql-bin, binlog_format = ROW and server_id = 1, then restart the server (log_bin cannot be set at run time)',
    });
  }
  if (facts.format !== 'ROW') {
    problems.push({
      message: `binlog_format is ${facts.format || 'unknown'}, not ROW: changes are logged as statements, not rows, so every statement re-runs every section, and one run from another default schema is not seen`,
      fix: "SET GLOBAL binlog_format = 'ROW';  -- new connections; reconnect the writers\nand in my.cnf, under [mysqld]: binlog_format = ROW",
    });
  }
  if (facts.serverId === 0) {
    problems.push({
      message: 'server_id is 0: the server refuses replication clients',
      fix: 'SET GLOBAL server_id = 1;\nand in my.cnf, under [mysqld]: server_id = 1',
    });
  } else if (facts.serverId === readerServerId) {
    problems.push({
      message: `server_id ${facts.serverId} is the id this reader announces: the server would refuse it`,
      fix: 'give the server another server_id (SET GLOBAL server_id = 1; and in my.cnf) or another cluster.name',
    });
  }
  if (!/mariadb/i.test(facts.version)) {
    // MySQL 8.0.20+: compressed transactions arrive as one payload zongji cannot decode.
    const compressed = await run('SELECT @@GLOBAL.binlog_transaction_compression AS c').then(
      (rows) => Number(rows[0]?.['c']) === 1,
      () => false, // older than 8.0.20: no such variable, nothing compressed
    );
    if (compressed) {
      problems.push({
        message: 'binlog_transaction_compression is ON: compressed transactions cannot be read',
        fix: 'SET GLOBAL binlog_transaction_compression = OFF;\nand in my.cnf, under [mysqld]: binlog_transaction_compression = OFF',
      });
    }
  }
  const grants = replicationGrants((await run('SHOW GRANTS')).map((r) => text(firstValue(r))));
  const missing = [
    ...(grants.slave ? [] : ['REPLICATION SLAVE']),
    ...(grants.client ? [] : ['REPLICATION CLIENT']),
  ];
  if (missing.length > 0) {
    problems.push({
      message: `${facts.user} lacks ${missing.join(' and ')}: the binary log cannot be read`,
      fix: `GRANT REPLICATION SLAVE, REPLICATION CLIENT ON *.* TO ${accountSql(facts.user)};`,
    });
  }
  const feeds: BinlogSectionFeed[] = [];
  for (const section of sections) {
    if (!section.tables) {
      feeds.push({ section: section.id, tables: undefined });
      continue;
    }
    const names = section.tables.map((t) => qualify(t, facts.database));
    feeds.push({ section: section.id, tables: names });
    for (const [i, name] of names.entries()) {
      const kind = await tableType(run, name);
      if (kind === 'BASE TABLE' || kind === 'SYSTEM VERSIONED') continue;
      problems.push({
        section: section.id,
        message:
          kind === undefined
            ? `table ${name} (tables: ${section.tables[i] ?? name}) does not exist: its changes are never seen`
            : `${name} is a ${kind.toLowerCase()}, which has no row events: list the tables it reads`,
        fix: `in the file: sections[${section.index}].tables: list the base tables the query reads (schema.table for another schema)`,
      });
    }
  }
  return { facts, problems, sections: feeds };
}

/** `orders` -> `sales.orders` (the URL's schema); `other.orders` stays. */
export function qualify(table: string, database: string | undefined): string {
  const clean = table.replace(/`/g, '');
  return clean.includes('.') || !database ? clean : `${database}.${clean}`;
}

async function tableType(run: RunSql, qualified: string): Promise<string | undefined> {
  const dot = qualified.indexOf('.');
  const schema = dot < 0 ? '' : qualified.slice(0, dot);
  const name = dot < 0 ? qualified : qualified.slice(dot + 1);
  const rows = await run(
    `SELECT table_type AS kind FROM information_schema.TABLES WHERE table_schema = ${literal(schema)} AND table_name = ${literal(name)}`,
  );
  const kind = rows[0]?.['kind'];
  return typeof kind === 'string' ? kind.toUpperCase() : undefined;
}

function literal(text: string): string {
  return `'${text.replace(/\\/g, '\\\\').replace(/'/g, "''")}'`;
}

function firstValue(row: Row): CellValue | undefined {
  return Object.values(row)[0];
}

function text(value: CellValue | undefined): string {
  return typeof value === 'string' || typeof value === 'number' ? String(value) : '';
}
