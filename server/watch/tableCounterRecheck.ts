import type { DataSource, QueryOptions, QueryResult } from '../sources/DataSource.js';
import type { TableRef } from '../sources/FeedCatalog.js';
import {
  countedReads,
  readTableCounters,
  tableKey,
  type CountedReads,
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
 *
 * A re-check costs one transaction: the sections it re-reads whatever the counters say are read
 * with the counters (due), and their own reads, asked for a moment later, take those answers
 * unless a change was announced since (then they read again).
 */
export class TableCounterRecheck {
  private readonly trusted = new Map<string, TableRef[]>();
  private readonly clocked = new Set<string>();
  /** The counters each section's last read saw (only reads that brought them). */
  private readonly seenByRead = new Map<string, TableCounters>();
  private lastRecheck: TableCounters = new Map();
  /** Each section's last read (its SQL and limits), so that a re-check can make it. */
  private readonly lastRead = new Map<string, { sql: string; options: QueryOptions }>();
  /** Reads the last re-check made, waiting for the section's own read to take them. */
  private readonly prefetched = new Map<string, Prefetch>();
  /** Verified sections that read no table: only functions or the clock can change them. */
  private readonly tableless = new Set<string>();
  /** Sections the last re-check re-read only for the clock: none of their tables' counters moved. */
  private readonly clockOnly = new Set<string>();

  constructor(
    private readonly source: DataSource,
    private readonly timeoutMs: number,
  ) {}

  /**
   * The verification's verdict on a section: its tables when its feed is sound, else undefined.
   * A sound feed of no table (`SELECT now()`, `generate_series`, `pg_stat_activity`: functions,
   * which no trigger can announce) is re-read at every re-check like an untrusted one, but a new
   * version from it is the data moving on its own, not a missed change.
   */
  setTrusted(id: string, tables: readonly TableRef[] | undefined): void {
    if (tables?.length === 0) this.tableless.add(id);
    else this.tableless.delete(id);
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
      this.lastRead.set(id, { sql, options });
      const made = this.takePrefetch(id, sql, options, reads);
      this.seenByRead.delete(id); // until this read succeeds, the previous re-check stands
      const { result, counters, tables } = await (made ?? this.fetch(id, sql, options));
      if (counters && this.trusted.get(id) === tables) this.seenByRead.set(id, counters);
      return result;
    };
    return { ...this.source, query };
  }

  /**
   * Of these sections, the ones to re-read now. The counters query and the reads of the sections
   * re-read whatever it says (their SQL reads the clock, or their feed is not trusted) go in the
   * same turn of the event loop, so in one round trip and one transaction (the PostgreSQL source
   * batches them); each section's own read, asked for right after, takes its answer.
   */
  async due(ids: readonly string[], unhealthy: (id: string) => boolean): Promise<string[]> {
    const tables = new Map<string, TableRef>();
    for (const id of ids) for (const t of this.trusted.get(id) ?? []) tables.set(tableKey(t), t);
    const counting = readTableCounters(this.source, [...tables.values()], this.timeoutMs);
    this.prefetch(
      ids.filter((id) => !unhealthy(id) && (this.clocked.has(id) || !this.trusted.has(id))),
    );
    let now: TableCounters | undefined;
    try {
      now = await counting;
    } catch {
      // The database is not answering: re-read everything; the reads report the error.
      now = undefined;
    }
    const previous = this.lastRecheck;
    if (now) this.lastRecheck = now;
    const counted = now;
    const moved = (id: string, watched: readonly TableRef[], counters: TableCounters): boolean => {
      const reference = this.seenByRead.get(id) ?? previous;
      return watched.some((t) => {
        const key = tableKey(t);
        const current = counters.get(key);
        return current === undefined || current !== reference.get(key);
      });
    };
    this.clockOnly.clear();
    return ids.filter((id) => {
      if (this.tableless.has(id) && !unhealthy(id)) {
        this.clockOnly.add(id);
        return true;
      }
      const watched = this.trusted.get(id);
      if (!watched || !counted || unhealthy(id)) return true;
      if (moved(id, watched, counted)) return true;
      if (!this.clocked.has(id)) return false;
      this.clockOnly.add(id);
      return true;
    });
  }

  /**
   * Whether the last re-check re-read this section only because its SQL reads the clock, its
   * trusted tables unchanged: a new version from that read is the clock moving ("today" became
   * tomorrow), not a change the feed failed to announce.
   */
  changedByClock(id: string): boolean {
    return this.clockOnly.has(id);
  }

  /** One section read, with its tables' counters when its feed is trusted. */
  private fetch(id: string, sql: string, options: QueryOptions): Promise<Fetched> {
    const reads = countedReads(this.source);
    const tables = this.trusted.get(id);
    if (!reads || !tables) {
      return this.source
        .query(sql, options)
        .then((result) => ({ result, counters: undefined, tables }));
    }
    return reads
      .readWithCounters(sql, options, tables)
      .then(({ result, counters }) => ({ result, counters, tables }));
  }

  private prefetch(ids: readonly string[]): void {
    const reads = countedReads(this.source);
    this.prefetched.clear(); // the last period's, never taken
    if (!reads) return;
    for (const id of ids) {
      const last = this.lastRead.get(id);
      if (!last) continue;
      const result = this.fetch(id, last.sql, last.options);
      result.catch(() => undefined); // the section's read reports it, if it takes it
      this.prefetched.set(id, { ...last, notified: reads.notified(), at: Date.now(), result });
    }
  }

  /**
   * The read a re-check made for this section, if it is the same read and still as good as a new
   * one: no change was announced since it was sent (a change it may not see), and it is recent.
   */
  private takePrefetch(
    id: string,
    sql: string,
    options: QueryOptions,
    reads: CountedReads,
  ): Promise<Fetched> | undefined {
    const made = this.prefetched.get(id);
    if (!made) return undefined;
    this.prefetched.delete(id);
    const same =
      made.sql === sql &&
      made.options.timeoutMs === options.timeoutMs &&
      made.options.maxRows === options.maxRows;
    const fresh = made.notified === reads.notified() && Date.now() - made.at <= PREFETCH_MAX_AGE_MS;
    return same && fresh ? made.result : undefined;
  }
}

/** How long a read made by a re-check may wait for the section's own read to take it. */
const PREFETCH_MAX_AGE_MS = 2_000;

interface Fetched {
  result: QueryResult;
  counters: TableCounters | undefined;
  /** The trusted tables the read was made for (undefined: none). */
  tables: TableRef[] | undefined;
}

interface Prefetch {
  sql: string;
  options: QueryOptions;
  /** The source's notification count when the read was sent. */
  notified: number;
  at: number;
  result: Promise<Fetched>;
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
