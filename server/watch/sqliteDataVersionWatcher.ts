import Database from 'better-sqlite3';
import type { Watcher } from './Watcher.js';

export interface DataVersionWatcherOptions {
  /** The database file; a read-only connection of our own watches it. */
  file: string;
  /**
   * Or an existing connection to watch. PRAGMA data_version changes only for commits made by
   * *other* connections, so passing the demo floor's writer means its own writes (already pushed
   * in-process) are not seen twice while writes from the sqlite3 shell are.
   */
  connection?: Database.Database;
  intervalMs?: number;
  onChange: () => void;
}

/**
 * Notices commits made to a SQLite file by other connections or processes, by polling
 * `PRAGMA data_version` (a cheap in-memory read) four times a second.
 */
export function sqliteDataVersionWatcher(options: DataVersionWatcherOptions): Watcher {
  let db = options.connection;
  const owned = !options.connection;
  let last: number | undefined;
  let timer: NodeJS.Timeout | undefined;

  function tick(): void {
    try {
      db ??= new Database(options.file, { readonly: true, fileMustExist: true });
      const version = db.pragma('data_version', { simple: true }) as number;
      if (last !== undefined && version !== last) options.onChange();
      last = version;
    } catch {
      // File missing or locked: the section reads report the problem; try again next tick.
      if (owned) {
        db?.close();
        db = undefined;
      }
      last = undefined;
    }
  }

  return {
    start() {
      tick();
      timer = setInterval(tick, options.intervalMs ?? 250);
      timer.unref();
    },
    stop() {
      if (timer) clearInterval(timer);
      if (owned) db?.close();
      return Promise.resolve();
    },
  };
}
