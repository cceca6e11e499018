import type { Logger } from '../log.js';
import type { SectionEngine } from '../sections/SectionEngine.js';
import type { DataSource } from '../sources/DataSource.js';
import type { TableRef } from '../sources/FeedCatalog.js';
import { openLogicalStream, type LogicalStream } from '../sources/postgresLogical.js';
import { PostgresLogicalAdmin } from '../sources/postgresLogicalAdmin.js';
import { readIfDatabaseGone } from './readIfDatabaseGone.js';
import {
  logicalSectionFeeds,
  publicationCoverage,
  type LogicalFeedSettings,
} from '../verify/verifyLogicalFeed.js';
import {
  feedWarning,
  formatPeriod,
  uniqueTables,
  type FeedSection,
} from '../verify/verifyNotifyFeed.js';
import { NotifyRoutes } from './NotifyRoutes.js';
import { PendingAcks } from './PendingAcks.js';
import { startRecheck } from './startRecheck.js';
import type { Watcher } from './Watcher.js';

export interface LogicalWatcherOptions extends LogicalFeedSettings {
  sections: readonly FeedSection[];
  log: Logger;
  notice?: (line: string) => void;
  /** WAL the slot retains (bytes), read at start and at each re-check; undefined once stopped. */
  onLag?: (bytes: number | undefined) => void;
  /** A slot held by another walsender this long is taken over (its holder lost the lease). */
  takeoverMs?: number;
  retryMs?: [number, number];
}

/**
 * Logical mode (PostgreSQL 10+, wal_level=logical): the slot's pgoutput stream maps each committed
 * insert, update, delete or truncate to the sections that read the table; nothing is queried
 * between changes. At start it finds each section's tables (`tables:` or the plan), creates the
 * publication when it is missing (the tables' owner may) and the slot (REPLICATION), and warns
 * the sections whose tables are not published. While the stream is down every section carries a
 * warning; changes meanwhile stay in the slot and arrive once it is back. Only a cluster's
 * leader runs watchers, so only it holds the slot; a new leader waits for the old walsender to
 * go (and ends it after `takeoverMs`).
 */
export function logicalWatcher(
  engine: SectionEngine,
  source: DataSource,
  options: LogicalWatcherOptions,
): Watcher {
  const admin = new PostgresLogicalAdmin(options.url, options.timeoutMs);
  const routes = new NotifyRoutes(options.sections);
  const feedWarnings = new Map<string, string>();
  let downWarning: string | undefined;
  let prepared = false;
  let started = false;
  let stopped = false;
  let stream: LogicalStream | undefined;
  let stopRecheck: (() => void) | undefined;
  let lastError: string | undefined;
  let busySince: { pid: number; at: number } | undefined;
  const acks = new PendingAcks((lsn) => stream?.acknowledge(lsn));
  const { slot, publication } = options;

  const publish = (id: string) => {
    const parts = [downWarning, feedWarnings.get(id)].filter(Boolean);
    engine.setWarning(id, parts.length > 0 ? parts.join('; ') : undefined);
  };
  const publishAll = () => options.sections.forEach((s) => publish(s.id));

  /** The sections' tables, the publication (created when missing) and its coverage. */
  const prepare = async (): Promise<void> => {
    const catalog = source.catalog;
    if (!catalog) throw new Error(`logical mode is not supported by ${source.kind}`);
    const feeds = await logicalSectionFeeds(catalog, options.sections, options);
    const tables = uniqueTables(feeds.flatMap((f): TableRef[] => f.tables ?? []));
    if (tables.length > 0 && (await admin.ensurePublication(publication, tables))) {
      options.notice?.(
        `logical feed: created publication ${publication} for ${tables.length} tables`,
      );
    }
    const info = await admin.prerequisites(slot, publication, tables);
    if (!info.publication) {
      throw new Error(`publication ${publication} does not exist (opsdeck check prints the SQL)`);
    }
    const lines: string[] = [];
    for (const feed of publicationCoverage(
      feeds,
      publication,
      info.publication,
      options.recheckMs,
    )) {
      routes.setDerived(feed);
      const warning = feedWarning(feed);
      if (warning) feedWarnings.set(feed.section, warning);
      else feedWarnings.delete(feed.section);
      for (const p of feed.problems) lines.push(`warning: section ${p.section}: ${p.message}`);
    }
    publishAll();
    if (lines.length > 0)
      options.notice?.(
        `${lines.join('\n')}\n(\`opsdeck check --config FILE\` prints the exact fix)`,
      );
    prepared = true;
  };

  /** Before each connection: prepared, the slot exists and no other walsender holds it. */
  const beforeConnect = async (): Promise<void> => {
    if (!prepared) await prepare();
    if (await admin.ensureSlot(slot))
      options.notice?.(`logical feed: created replication slot ${slot}`);
    const info = await admin.slot(slot);
    const pid = info?.activePid;
    if (pid === undefined) return (busySince = undefined);
    if (busySince?.pid !== pid) busySince = { pid, at: Date.now() };
    if (Date.now() - busySince.at >= (options.takeoverMs ?? 10_000)) {
      options.log.warn({ slot, pid }, 'slot still held by another walsender; ending it');
      await admin.terminate(pid);
      return;
    }
    throw new Error(
      `replication slot ${slot} is in use by PID ${pid} (a former leader?); waiting for it`,
    );
  };

  const readLag = async () => {
    try {
      options.onLag?.((await admin.slot(slot))?.retainedBytes);
    } catch (error) {
      options.log.debug({ err: (error as Error).message }, 'could not read the slot lag');
    }
  };

  const onRead = (id: string, durationMs: number, ok: boolean) => {
    if (ok) acks.read(id, Date.now() - durationMs);
  };

  return {
    readsInitially: true,
    start() {
      engine.on('read', onRead);
      const first = () => {
        if (started) return;
        started = true;
        // The first read of every section, now that the stream holds every later change (or
        // its first attempt failed: then the reads report the database's error).
        engine.requestAll(Date.now(), 'resync');
      };
      stream = openLogicalStream(
        {
          url: options.url,
          slot,
          publication,
          beforeConnect,
          ...(options.retryMs ? { retryMs: options.retryMs } : {}),
        },
        {
          onCommit(tables, lsn) {
            const at = Date.now();
            const ids = new Set<string>();
            for (const t of tables) for (const id of routes.sectionsFor(t.name)) ids.add(id);
            for (const id of ids) engine.request(id, at, 'change');
            acks.committed(lsn, ids, at);
          },
          onKeepalive: (lsn) => acks.idle(lsn),
          onStart() {
            acks.clear();
            lastError = undefined;
            if (downWarning)
              options.log.info({ slot }, 'logical replication resumed from the slot');
            downWarning = undefined;
            publishAll();
            // Sections that failed meanwhile retry now: their backoff waited for this database.
            engine.retryFailing();
            first();
            void readLag();
          },
          onError(error) {
            if (stopped) return;
            if (error.message !== lastError) {
              options.log.warn({ slot, err: error.message }, 'logical replication down; retrying');
              options.notice?.(`warning: logical feed: ${error.message}; retrying`);
            }
            lastError = error.message;
            const wasUp = downWarning === undefined;
            downWarning = `the logical replication feed is down (${error.message}); changes wait in slot ${slot} and show once it reconnects`;
            publishAll();
            if (started && wasUp) void readIfDatabaseGone(source, engine, () => stopped);
            first();
          },
        },
      );
      stopRecheck = startRecheck(options.recheckMs, () => {
        engine.requestAll(Date.now(), 'recheck');
        void readLag();
        // A table added to the publication (or to `tables:`'s plan) since: verify again.
        if (prepared && feedWarnings.size > 0) void prepare().catch(() => undefined);
      });
      options.log.debug(
        { slot, publication, period: formatPeriod(options.recheckMs) },
        'logical feed',
      );
    },
    async stop() {
      stopped = true;
      engine.off('read', onRead);
      stopRecheck?.();
      await stream?.close();
      options.onLag?.(undefined);
    },
  };
}
