import type { Logger } from '../log.js';
import type { ChangeListener, DataSource } from '../sources/DataSource.js';
import type { SectionEngine } from '../sections/SectionEngine.js';
import { MissedChangeWarnings } from './MissedChangeWarnings.js';
import { NotifyRoutes } from './NotifyRoutes.js';
import { readIfDatabaseGone } from './readIfDatabaseGone.js';
import { startRecheck } from './startRecheck.js';
import { TableCounterRecheck } from './tableCounterRecheck.js';
import {
  feedWarning,
  formatPeriod,
  verifyNotifyFeed,
  type FeedSection,
} from '../verify/verifyNotifyFeed.js';
import type { Watcher } from './Watcher.js';

export interface NotifyWatcherOptions {
  channel: string;
  /**
   * Safety re-check period, for changes no trigger reports: PostgreSQL's change counters of the
   * sections' tables are read, and only sections whose tables' counters moved (or whose feed is
   * not trusted) re-run (TableCounterRecheck).
   */
  recheckMs: number;
  /** Statement timeout of the verification's catalog queries and of the re-check's counters. */
  timeoutMs: number;
  /** Shared with the sections' reads (TableCounterRecheck.sectionSource); else one of its own. */
  counters?: TableCounterRecheck;
  /** The sections' SQL and configured tables, for the feed verification. */
  sections: readonly FeedSection[];
  log: Logger;
  /** Lines for people (standard output of `serve`). */
  notice?: (line: string) => void;
}

/**
 * Notify mode (PostgreSQL): a dedicated LISTEN connection maps each notification's table name to
 * the sections that read that table. After the connection drops and comes back every section
 * re-runs, since notifications sent meanwhile are lost.
 *
 * It never trusts the feed blindly: at start (and at each re-check while anything is wrong) it
 * verifies from the catalog that the tables exist, are covered and have notify triggers, derives
 * the tables of sections without `tables:` from their plans, and gives each section whose feed
 * cannot be trusted a `warning`. A re-check that finds a change nobody announced proves a missed
 * change: that section is warned too. While nothing changes, a re-check reads no user table.
 */
export function notifyWatcher(
  engine: SectionEngine,
  source: DataSource,
  options: NotifyWatcherOptions,
): Watcher {
  if (!source.listen) throw new Error(`notify mode is not supported by ${source.kind}`);
  const listen = source.listen.bind(source);
  const routes = new NotifyRoutes(options.sections);
  const feedWarnings = new Map<string, string>();
  const counters = options.counters ?? new TableCounterRecheck(source, options.timeoutMs);
  for (const section of options.sections) counters.setSql(section.id, section.sql);
  const sectionIds = options.sections.map((s) => s.id);
  const period = formatPeriod(options.recheckMs);
  let listener: ChangeListener | undefined;
  let stopRecheck: (() => void) | undefined;
  let stopped = false;
  let verified = false;
  let verifying: Promise<void> | undefined;
  let announced: string | undefined;
  let rechecking = false;
  /** While the LISTEN connection is down: every section's warning (notifications are lost). */
  let listenDown: string | undefined;
  /** The first LISTEN attempt is over (a loss after it is news). */
  let listening = false;

  /** Read through a function: stop() may run while a verification is awaited. */
  const isStopped = () => stopped;
  const publishWarning = (id: string): void => {
    engine.setWarning(id, listenDown ?? feedWarnings.get(id) ?? missed.get(id));
  };

  const verify = (): Promise<void> => {
    const catalog = source.catalog;
    if (!catalog || stopped) return Promise.resolve();
    // One verification at a time; `finally` clears it only after the first await (never before
    // the assignment below).
    return (verifying ??= (async () => {
      try {
        const feeds = await verifyNotifyFeed(catalog, options.sections, options);
        if (isStopped()) return;
        verified = true;
        const lines: string[] = [];
        for (const feed of feeds) {
          routes.setDerived(feed);
          counters.setTrusted(feed.section, feed.problems.length === 0 ? feed.tables : undefined);
          const warning = feedWarning(feed);
          if (warning) feedWarnings.set(feed.section, warning);
          else feedWarnings.delete(feed.section);
          publishWarning(feed.section);
          for (const p of feed.problems) lines.push(`warning: section ${p.section}: ${p.message}`);
        }
        const summary = lines.join('\n');
        if (summary !== announced) {
          announced = summary;
          if (lines.length > 0) {
            options.notice?.(`${summary}\n(\`opsdeck check --config FILE\` prints the exact fix)`);
          } else if (feeds.length > 0) {
            options.notice?.(
              `notify feed verified: every section's tables notify "${options.channel}"`,
            );
          }
        }
      } catch (error) {
        // The database is not answering: the sections' own reads report that; verify again later.
        options.log.debug({ err: (error as Error).message }, 'notify feed verification failed');
      } finally {
        verifying = undefined;
      }
    })());
  };

  /** One safety re-check: the counters first, then the sections they (or distrust) point at. */
  const recheckSections = async (): Promise<void> => {
    if (rechecking) return; // the previous one still waits for the database
    rechecking = true;
    try {
      const detectedAt = Date.now();
      const due = await counters.due(sectionIds, (id) => engine.status(id)?.healthy === false);
      if (isStopped()) return;
      // A "today" section re-read with none of its tables changed: new rows are the clock moving.
      for (const id of due) {
        engine.request(id, detectedAt, counters.changedByClock(id) ? 'clock' : 'recheck');
      }
    } finally {
      rechecking = false;
    }
  };

  const missed = new MissedChangeWarnings(engine, {
    text: `a change that no notification announced was found by the ${period} re-check: a table it reads may lack a notify trigger, or its SQL depends on the clock`,
    log: options.log,
    logFields: { channel: options.channel },
    notice: options.notice,
    publish: publishWarning,
    // Find out why (a trigger dropped since the last verification?): that warning is more precise.
    afterMissed: () => void verify(),
  });

  return {
    readsInitially: true,
    start() {
      missed.start();
      void listen(options.channel, {
        onTable(table) {
          const now = Date.now();
          for (const id of routes.sectionsFor(table)) {
            engine.request(id, now, 'change');
            missed.announced(id);
          }
        },
        onResync() {
          options.log.info(
            { channel: options.channel },
            'LISTEN connection restored; re-running all sections',
          );
          if (listenDown) options.notice?.('notify feed: LISTEN connection restored');
          listenDown = undefined;
          sectionIds.forEach(publishWarning);
          // Failing sections too, at once: their backoff was waiting for this database.
          engine.retryFailing();
          engine.requestAll(Date.now(), 'resync');
          if (!verified) void verify();
        },
        onError(error) {
          if (stopped) return;
          options.log.warn(
            { channel: options.channel, err: error.message },
            'LISTEN connection lost; retrying',
          );
          const wasUp = listenDown === undefined;
          listenDown = `the LISTEN connection is lost (${error.message}); reconnecting: changes are not seen until it is back`;
          sectionIds.forEach(publishWarning);
          if (!wasUp || !listening) return; // at start, the first reads report the database
          options.notice?.(`warning: notify feed: ${error.message}; reconnecting`);
          void readIfDatabaseGone(source, engine, isStopped);
        },
      }).then((l) => {
        listening = true;
        if (stopped) void l.close();
        else listener = l;
        // The first read of every section, now that LISTEN took effect (or its first attempt
        // failed: then the reads report the database's error and LISTEN keeps retrying).
        engine.requestAll(Date.now(), 'resync');
        void verify();
      });
      stopRecheck = startRecheck(options.recheckMs, () => {
        void recheckSections();
        if (!verified || feedWarnings.size > 0) void verify();
      });
    },
    async stop() {
      stopped = true;
      missed.stop();
      stopRecheck?.();
      await listener?.close();
    },
  };
}
