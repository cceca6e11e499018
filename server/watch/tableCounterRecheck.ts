import type { DataSource, QueryOptions, QueryResult } from '../sources/DataSource.js';
import type { TableRef } from '../sources/FeedCatalog.js';
import {
  countedReads,
  readTableCounters,
  tableKey,
  type TableCounters,
} from '../sources/postgresTableCounters.js';

/**
 * Which sections the notify-mode safety re-check re-reads, so that a quiet database costs one
 * catalog query per period and no read of any user table. A section is re-read when its feed is
 * not trusted (not verified yet, or a problem was found: its tables are unknown, lack triggers,
 * are views, foreign tables...), when its SQL reads the clock (now(), current_date, 'today'...:
 * its result changes with time alone), when it is unhealthy, or when the change counters of one of its
 * tables (readTableCounters) differ from those its last read saw: then something changed it,
 * announced or not, and the read tells which (a result nobody announced is a missed change).
 *
 * Each read of a trusted section brings the counters as they were just before it, from its own
 * transaction (sectionSource), so a change that was announced and read costs no second read. A
 * section read without them is compared with the counters of the previous re-check, which were
 * read before the re-reads they caused. Either way every change counted in the reference is
 * visible to the read it stands for; one counted later moves the next fingerprint.
 */
export class TableCounterRecheck {
  private readonly trusted = new Map<string, TableRef[]>();
  private readonly clocked = new Set<string>();
  /** The counters each section's last read saw (only reads that brought them). */
  private readonly seenByRead = new Map<string, TableCounters>();
  private lastRecheck: TableCounters = new Map();

  constructor(
    private readonly source: DataSource,
    private readonly timeoutMs: number,
  ) {}

  /** The verification's verdict on a section: its tables when its feed is sound, else undefined. */
  setTrusted(id: string, tables: readonly TableRef[] | undefined): void {
    if (tables && tables.length > 0) this.trusted.set(id, [...tables]);
    else this.trusted.delete(id);
  }

  /** A section's SQL: one that reads the clock is re-read at every re-check. */
  setSql(id: string, sql: string): void {
    if (readsTheClock(sql)) this.clocked.add(id);
    else this.clocked.delete(id);
  }

  /** The source a section reads through: its reads note the counters they saw. */
  sectionSource(id: string): DataSource {
    const reads = countedReads(this.source);
    if (!reads) return this.source;
    const query = async (sql: string, options: QueryOptions): Promise<QueryResult> => {
      const tables = this.trusted.get(id);
      this.seenByRead.delete(id); // until this read succeeds, the previous re-check stands
      if (!tables) return this.source.query(sql, options);
      const { result, counters } = await reads.readWithCounters(sql, options, tables);
      if (counters && this.trusted.get(id) === tables) this.seenByRead.set(id, counters);
      return result;
    };
    return { ...this.source, query };
  }

  /** Of these sections, the ones to re-read now. */
  async due(ids: readonly string[], unhealthy: (id: string) => boolean): Promise<string[]> {
    const tables = new Map<string, TableRef>();
    for (const id of ids) for (const t of this.trusted.get(id) ?? []) tables.set(tableKey(t), t);
    let now: TableCounters | undefined;
    try {
      now = await readTableCounters(this.source, [...tables.values()], this.timeoutMs);
    } catch {
      // The database is not answering: re-read everything; the reads report the error.
      now = undefined;
    }
    const previous = this.lastRecheck;
    if (now) this.lastRecheck = now;
    return ids.filter((id) => {
      const watched = this.trusted.get(id);
      if (!watched || !now || this.clocked.has(id) || unhealthy(id)) return true;
      const reference = this.seenByRead.get(id) ?? previous;
      return watched.some((t) => {
        const key = tableKey(t);
        const current = now.get(key);
        return current === undefined || current !== reference.get(key);
      });
    });
  }
}

/**
 * Does the SQL read the clock (PostgreSQL's current-time functions and special date inputs)? A
 * match in a comment or string only costs a re-read per re-check.
 */
export function readsTheClock(sql: string): boolean {
  return /\b(now|clock_timestamp|statement_timestamp|transaction_timestamp|timeofday)\s*\(|\b(current_date|current_time|current_timestamp|localtime|localtimestamp)\b|'(now|today|tomorrow|yesterday)'/i.test(
    sql,
  );
}
