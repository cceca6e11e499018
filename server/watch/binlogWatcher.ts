import type { Logger } from '../log.js';
import type { DataSource } from '../sources/DataSource.js';
import { openBinlogFeed, type BinlogFeed, type BinlogOpen } from '../sources/mysqlBinlog.js';
import { parseMysqlUrl } from '../sources/mysqlUrl.js';
import { readIfDatabaseGone } from './readIfDatabaseGone.js';
import type { SectionEngine } from '../sections/SectionEngine.js';
import { qualify, verifyBinlogFeed } from '../verify/verifyBinlogFeed.js';
import { formatPeriod, type FeedSection } from '../verify/verifyNotifyFeed.js';
import { MissedChangeWarnings } from './MissedChangeWarnings.js';
import { NotifyRoutes } from './NotifyRoutes.js';
import { startRecheck } from './startRecheck.js';
import type { Watcher } from './Watcher.js';

export interface BinlogWatcherOptions {
  url: string;
  /** The server id this reader announces to the primary. */
  serverId: number;
  /** Safety re-check of every section (clock-based SQL, tables missing from `tables:`). */
  recheckMs: number;
  sections: readonly FeedSection[];
  log: Logger;
  /** Lines for people (standard output of `serve`). */
  notice?: (line: string) => void;
  /** Reconnect backoff of the binlog connection. */
  backoff?: { initialMs: number; maxMs: number };
}

/**
 * Binlog mode (MySQL 8, MariaDB 10.5+): one replication connection reads the row-based binary
 * log; a row event on a table re-runs the sections that read it (`tables:`; a section without
 * them re-runs on any row event of the watched schema), a statement (DDL, statement-logged DML)
 * re-runs every section. No query runs between changes.
 *
 * The first read of every section happens once the stream is open, so no commit falls between the
 * read and the stream. While the connection is lost every section carries a warning (nothing
 * looks live); the reader resumes at its last position (nothing is missed, nothing re-read) or,
 * when that position was purged, re-reads every section once. The server's settings and the
 * user's privileges are verified at start (and at each re-check while a problem is left): a
 * problem warns every section it concerns.
 */
export function binlogWatcher(
  engine: SectionEngine,
  source: DataSource,
  options: BinlogWatcherOptions,
): Watcher {
  const routes = new NotifyRoutes(options.sections);
  const database = parseMysqlUrl(options.url).database;
  const period = formatPeriod(options.recheckMs);
  const ids = options.sections.map((s) => s.id);
  const include = includeFilter(options.sections, database);
  const feedWarnings = new Map<string, string>();
  let streamWarning: string | undefined;
  let feed: BinlogFeed | undefined;
  let stopRecheck: (() => void) | undefined;
  let stopped = false;
  let verifying: Promise<void> | undefined;
  let readOnce = false;
  let announced: string | undefined;

  const publish = (id: string): void => {
    // A verified cause (binary log off, a missing grant) says what to fix; "reconnecting" not.
    engine.setWarning(id, feedWarnings.get(id) ?? streamWarning ?? missed.get(id));
  };
  const publishAll = (): void => ids.forEach(publish);
  const isStopped = () => stopped;

  const verify = (): Promise<void> =>
    (verifying ??= (async () => {
      try {
        const limits = { timeoutMs: 5000, maxRows: 1000 };
        const report = await verifyBinlogFeed(
          async (sql) => (await source.query(sql, limits)).rows,
          options.sections,
          options.serverId,
        );
        if (isStopped()) return;
        feedWarnings.clear();
        const lines: string[] = [];
        for (const p of report.problems) {
          for (const id of p.section ? [p.section] : ids) {
            feedWarnings.set(id, [feedWarnings.get(id), p.message].filter(Boolean).join('; '));
          }
          lines.push(
            `warning: ${p.section ? `section ${p.section}` : 'binlog feed'}: ${p.message}`,
          );
        }
        publishAll();
        const summary = lines.join('\n');
        if (summary !== announced) {
          announced = summary;
          options.notice?.(
            lines.length > 0
              ? `${summary}\n(\`opsdeck check --config FILE\` prints the exact fix)`
              : `binlog feed verified: ${report.facts.version}, binlog_format ${report.facts.format}, reader server id ${options.serverId}`,
          );
        }
      } catch (error) {
        // The database is not answering: the sections' own reads report that; verify again later.
        options.log.debug({ err: (error as Error).message }, 'binlog feed verification failed');
      } finally {
        verifying = undefined;
      }
    })());

  const onOpen = (how: BinlogOpen): void => {
    if (how !== 'start') options.log.info({ how }, 'binlog connection restored');
    if (how === 'lost') {
      options.notice?.(
        'binlog: the last position was purged from the binary log; re-reading every section',
      );
    }
    streamWarning = undefined;
    publishAll();
    // What was wrong may be fixed now (a grant given, the binary log turned on): verify again.
    if (feedWarnings.size > 0) void verify();
    // Sections that failed meanwhile retry now: their backoff was waiting for this database.
    engine.retryFailing();
    // The first read, or a purged position: anything may have changed. Resumed: the log replays.
    if (how !== 'resumed' || !readOnce) {
      readOnce = true;
      engine.requestAll(Date.now(), 'resync');
    }
  };

  const onError = (error: Error, retryInMs: number): void => {
    options.log.warn({ err: error.message, retryInMs }, 'binlog connection lost; retrying');
    const wasUp = streamWarning === undefined;
    streamWarning = `the binlog connection is lost (${error.message}); reconnecting: changes are not seen until it is back`;
    publishAll();
    if (!readOnce) {
      // The sections show what the database says meanwhile (down, refused, ...).
      readOnce = true;
      engine.requestAll(Date.now(), 'resync');
    } else if (wasUp) void readIfDatabaseGone(source, engine, isStopped);
  };

  const missed = new MissedChangeWarnings(engine, {
    text: `a change that no row event announced was found by the ${period} re-check: a table it reads may be missing from tables:, or its SQL depends on the clock`,
    log: options.log,
    notice: options.notice,
    publish,
    // Find out why (binlog_format changed, a grant revoked?): that warning is more precise.
    afterMissed: () => void verify(),
  });

  return {
    readsInitially: true,
    start() {
      missed.start();
      feed = openBinlogFeed(
        options.url,
        {
          serverId: options.serverId,
          ...(include ? { include } : {}),
          ...(options.backoff ? { backoff: options.backoff } : {}),
        },
        {
          onRows(_schema, table) {
            const now = Date.now();
            for (const id of routes.sectionsFor(table)) {
              engine.request(id, now, 'change');
              missed.announced(id);
            }
          },
          onStatement: () => engine.requestAll(Date.now(), 'change'),
          onOpen,
          onError,
        },
      );
      void verify();
      stopRecheck = startRecheck(options.recheckMs, () => {
        engine.requestAll(Date.now(), 'recheck');
        // Also while all is well: binlog_format and grants can change under a running server.
        void verify();
      });
    },
    async stop() {
      stopped = true;
      missed.stop();
      stopRecheck?.();
      await feed?.close();
    },
  };
}

/**
 * Which schemas and tables zongji decodes: the listed tables when every section has `tables:`,
 * otherwise the whole schema of the URL (plus the schemas named in `tables:`). Undefined (every
 * schema) when the URL names no schema and some table cannot be placed.
 */
function includeFilter(
  sections: readonly FeedSection[],
  database: string | undefined,
): Record<string, string[] | true> | undefined {
  const include: Record<string, string[] | true> = {};
  const everyTable = sections.some((s) => !s.tables);
  if (everyTable) {
    if (!database) return undefined;
    include[database] = true;
  }
  for (const section of sections) {
    for (const table of section.tables ?? []) {
      const name = qualify(table, database);
      const dot = name.indexOf('.');
      if (dot < 0) return undefined;
      const schema = name.slice(0, dot);
      const current = include[schema];
      if (current === true) continue;
      include[schema] = [...(current ?? []), name.slice(dot + 1)];
    }
  }
  return include;
}
