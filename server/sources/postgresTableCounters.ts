import pg from 'pg';
import type { DataSource, QueryOptions, QueryResult } from './DataSource.js';
import type { TableRef } from './FeedCatalog.js';

/** The key of a table in the map readTableCounters returns. */
export function tableKey(table: TableRef): string {
  return `${table.schema}\u0000${table.name}`;
}

/**
 * PostgreSQL's own change counters for each table, in one query that reads only the catalog and
 * the statistics (never the tables): the rows inserted, updated and deleted (the counters of
 * pg_stat_user_tables, partitions included) and the relfilenode (which TRUNCATE and a non-concurrent REFRESH change).
 * A fingerprint differs whenever the table changed since the last one; it can differ without a
 * change too (a statistics reset, VACUUM FULL): callers treat any difference as a change.
 *
 * Undefined for a table whose counters cannot be trusted: it does not exist, it has no statistics
 * (a foreign table), or track_counts is off. Backends publish their counts up to about a second
 * after their transaction commits, so a change shows up in the fingerprint that follows it by a
 * second or so; never earlier than the change is visible to reads.
 */
export async function readTableCounters(
  source: DataSource,
  tables: readonly TableRef[],
  timeoutMs: number,
): Promise<TableCounters> {
  if (tables.length === 0) return new Map();
  const result = await source.query(tableCountersSql(tables), {
    timeoutMs,
    maxRows: tables.length,
  });
  return parseTableCounters(tables, result.rows);
}

/** Fingerprint per table key (tableKey); undefined: no counters to trust for that table. */
export type TableCounters = Map<string, string | undefined>;

/** A source whose section reads can bring the counters of the tables they read (PostgreSQL). */
export interface CountedReads {
  /**
   * The read, and the tables' counters as they were just before it, from the same transaction
   * and round trip: every change they count is visible to the read.
   */
  readWithCounters(
    sql: string,
    options: QueryOptions,
    tables: readonly TableRef[],
  ): Promise<{ result: QueryResult; counters: TableCounters | undefined }>;
  /**
   * How many change notifications (and LISTEN reconnections) the source has received so far. A
   * read sent before this count moved may predate a change that was announced since.
   */
  notified(): number;
}

export function countedReads(source: DataSource): CountedReads | undefined {
  const candidate = source as Partial<CountedReads>;
  return typeof candidate.readWithCounters === 'function' &&
    typeof candidate.notified === 'function'
    ? (candidate as CountedReads)
    : undefined;
}

/**
 * The counters query (readTableCounters) for these tables; it reads no user table. The statistics
 * functions behind pg_stat_user_tables, not the view: the view's join takes milliseconds to plan,
 * and this runs before every notified section read.
 */
export function tableCountersSql(tables: readonly TableRef[]): string {
  const literal = (t: TableRef) =>
    pg.escapeLiteral(`${pg.escapeIdentifier(t.schema)}.${pg.escapeIdentifier(t.name)}`);
  return `SELECT u.i::int AS i,
  CASE WHEN current_setting('track_counts')::bool THEN (
    SELECT string_agg(concat_ws(':', c.oid, c.relfilenode, pg_stat_get_tuples_inserted(c.oid),
                                pg_stat_get_tuples_updated(c.oid), pg_stat_get_tuples_deleted(c.oid)),
                      ' ' ORDER BY c.oid)
      FROM pg_class c
     WHERE (c.oid = u.r OR c.oid IN (SELECT relid FROM pg_partition_tree(u.r)))
       AND c.relkind IN ('r', 'm', 'p', 't')
  ) END AS counters
FROM (SELECT i, to_regclass(name) AS r
        FROM unnest(ARRAY[${tables.map(literal).join(', ')}]::text[]) WITH ORDINALITY AS t(name, i)) u`;
}

/** The rows of tableCountersSql as fingerprints per table. */
export function parseTableCounters(
  tables: readonly TableRef[],
  rows: readonly Record<string, unknown>[],
): TableCounters {
  const counters: TableCounters = new Map(tables.map((t) => [tableKey(t), undefined]));
  for (const row of rows) {
    const table = tables[Number(row.i) - 1];
    if (table && typeof row.counters === 'string') counters.set(tableKey(table), row.counters);
  }
  return counters;
}
