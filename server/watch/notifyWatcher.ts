import type { Logger } from '../log.js';
import type { ChangeListener, DataSource } from '../sources/DataSource.js';
import type { SectionEngine } from '../sections/SectionEngine.js';
import type { Watcher } from './Watcher.js';

export interface NotifyWatcherOptions {
  channel: string;
  /** Safety re-check of every section, for changes no trigger reports (and clock-based SQL). */
  recheckMs: number;
  log: Logger;
}

/**
 * Notify mode (PostgreSQL): a dedicated LISTEN connection maps each notification's table name to
 * the sections that read that table. After the connection drops and comes back every section
 * re-runs, since notifications sent meanwhile are lost.
 */
export function notifyWatcher(
  engine: SectionEngine,
  source: DataSource,
  options: NotifyWatcherOptions,
): Watcher {
  if (!source.listen) throw new Error(`notify mode is not supported by ${source.kind}`);
  const listen = source.listen.bind(source);
  const byTable = tableIndex(engine);
  let listener: ChangeListener | undefined;
  let recheck: NodeJS.Timeout | undefined;
  let stopped = false;

  return {
    readsInitially: true,
    start() {
      void listen(options.channel, {
        onTable(table) {
          const ids = byTable.get(normalizeTable(table));
          if (!ids) return;
          const now = Date.now();
          for (const id of ids) engine.request(id, now);
        },
        onResync() {
          options.log.info(
            { channel: options.channel },
            'LISTEN connection restored; re-running all sections',
          );
          engine.requestAll();
        },
        onError(error) {
          options.log.warn(
            { channel: options.channel, err: error.message },
            'LISTEN connection lost; retrying',
          );
        },
      }).then((l) => {
        if (stopped) void l.close();
        else listener = l;
        // The first read of every section, now that LISTEN took effect (or its first attempt
        // failed: then the reads report the database's error and LISTEN keeps retrying).
        engine.requestAll();
      });
      recheck = setInterval(() => engine.requestAll(), options.recheckMs);
      recheck.unref();
    },
    async stop() {
      stopped = true;
      if (recheck) clearInterval(recheck);
      await listener?.close();
    },
  };
}

/** `public.Orders` and `orders` name the same table for matching purposes. */
export function normalizeTable(name: string): string {
  const last = name.split('.').pop() ?? name;
  return last.replace(/"/g, '').toLowerCase();
}

function tableIndex(engine: SectionEngine): Map<string, string[]> {
  const index = new Map<string, string[]>();
  for (const id of engine.ids()) {
    for (const table of engine.tablesOf(id)) {
      const key = normalizeTable(table);
      index.set(key, [...(index.get(key) ?? []), id]);
    }
  }
  return index;
}
