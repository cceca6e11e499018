import type { DataSource } from '../sources/DataSource.js';
import type { TableRef } from '../sources/FeedCatalog.js';
import { readTableCounters, tableKey } from '../sources/postgresTableCounters.js';

/**
 * Which sections the notify-mode safety re-check re-reads, so that a quiet database costs one
 * catalog query per period and no read of any user table. A section is re-read when its feed is
 * not trusted (not verified yet, or a problem was found: its tables are unknown, lack triggers,
 * are views, foreign tables...), when it is unhealthy, or when the change counters of one of its
 * tables (readTableCounters) differ from those of the previous re-check: then something changed
 * it, announced or not, and the read tells which (a result nobody announced is a missed change).
 *
 * The counters are read before the re-reads they cause, so every change counted in them is
 * visible to those reads; a change counted later moves the next fingerprint.
 */
export class TableCounterRecheck {
  private readonly trusted = new Map<string, TableRef[]>();
  private last = new Map<string, string | undefined>();

  constructor(
    private readonly source: DataSource,
    private readonly timeoutMs: number,
  ) {}

  /** The verification's verdict on a section: its tables when its feed is sound, else undefined. */
  setTrusted(id: string, tables: readonly TableRef[] | undefined): void {
    if (tables && tables.length > 0) this.trusted.set(id, [...tables]);
    else this.trusted.delete(id);
  }

  /** Of these sections, the ones to re-read now. */
  async due(ids: readonly string[], unhealthy: (id: string) => boolean): Promise<string[]> {
    const tables = new Map<string, TableRef>();
    for (const id of ids) for (const t of this.trusted.get(id) ?? []) tables.set(tableKey(t), t);
    let now: Map<string, string | undefined> | undefined;
    try {
      now = await readTableCounters(this.source, [...tables.values()], this.timeoutMs);
    } catch {
      // The database is not answering: re-read everything; the reads report the error.
      now = undefined;
    }
    const previous = this.last;
    if (now) this.last = now;
    return ids.filter((id) => {
      const watched = this.trusted.get(id);
      if (!watched || !now || unhealthy(id)) return true;
      return watched.some((t) => {
        const key = tableKey(t);
        const current = now.get(key);
        return current === undefined || current !== previous.get(key);
      });
    });
  }
}
