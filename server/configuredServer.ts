import type { OpsdeckConfig } from './config/configSchema.js';
import type { Metrics } from './metrics/Metrics.js';
import type { Logger } from './log.js';
import type { SectionSpec } from './sections/SectionEngine.js';
import { sqlProbe, sqlSection } from './sections/sqlSection.js';
import { createDataSource, sqlitePath } from './sources/createDataSource.js';
import type { DataSource, QueryOptions } from './sources/DataSource.js';
import { binlogWatcher } from './watch/binlogWatcher.js';
import { binlogFeedSettings } from './verify/binlogFeedSettings.js';
import { logicalWatcher } from './watch/logicalWatcher.js';
import { logicalFeedSettings } from './verify/verifyLogicalFeed.js';
import { notifyWatcher } from './watch/notifyWatcher.js';
import { TableCounterRecheck } from './watch/tableCounterRecheck.js';
import { pollWatcher } from './watch/pollWatcher.js';
import { sqliteDataVersionWatcher } from './watch/sqliteDataVersionWatcher.js';
import type { ServerOptions } from './OpsdeckServer.js';
import type { FeedSection, NotifyFeedSettings } from './verify/verifyNotifyFeed.js';

/** Default poll period, and the notify-mode safety re-check period, when the file sets none. */
export const DEFAULT_POLL_MS = 3000;
export const DEFAULT_NOTIFY_RECHECK_MS = 60_000;

export interface ConfiguredParts {
  source: DataSource;
  limits: QueryOptions;
  sections: SectionSpec[];
  watchers: ServerOptions['watchers'];
}

/** The data source, sections and change feeds a configuration file describes. */
export function configuredParts(
  config: OpsdeckConfig,
  baseDir: string,
  metrics: Metrics,
  log: Logger,
  /** Lines for people: feed problems found at start and at run time. */
  notice?: (line: string) => void,
): ConfiguredParts {
  const source = createDataSource(config.database.url, {
    pool: config.database.pool,
    baseDir,
    log,
  });
  const limits: QueryOptions = {
    timeoutMs: config.database.statementTimeoutMs,
    maxRows: config.database.maxRows,
  };
  const mode = config.watch.mode;
  const pollMs = (sectionMs?: number) => sectionMs ?? config.watch.intervalMs ?? DEFAULT_POLL_MS;
  // Notify mode: section reads bring their tables' change counters for the safety re-check.
  const counters =
    mode === 'notify' ? new TableCounterRecheck(source, limits.timeoutMs) : undefined;

  const sections = config.sections.map((s) =>
    sqlSection(
      {
        info: {
          id: s.id,
          title: s.title,
          view: s.view,
          mode: mode === 'binlog' || mode === 'logical' ? 'push' : mode, // the database streams
          ...(mode === 'poll' ? { intervalMs: pollMs(s.intervalMs) } : {}),
          // Only where allowed (showSql): SQL can reveal the schema.
          ...((s.showSql ?? config.showSql) ? { sql: s.sql } : {}),
        },
        sql: s.sql,
      },
      counters ? counters.sectionSource(s.id) : source,
      limits,
      metrics,
    ),
  );

  const watchers: ServerOptions['watchers'] = (engine) => {
    if (mode === 'binlog') {
      return [
        binlogWatcher(engine, source, {
          ...binlogFeedSettings(config),
          sections: feedSections(config),
          log,
          ...(notice ? { notice } : {}),
        }),
      ];
    }
    if (mode === 'logical') {
      const settings = logicalFeedSettings(config);
      return [
        logicalWatcher(engine, source, {
          ...settings,
          sections: feedSections(config),
          log,
          ...(notice ? { notice } : {}),
          onLag(bytes) {
            metrics.replicationLagBytes.set(bytes ?? 0);
            metrics.degradedReason =
              bytes !== undefined && bytes > settings.maxLagBytes
                ? `degraded: replication slot ${settings.slot} retains ${bytes} bytes of WAL (watch.maxLagBytes ${settings.maxLagBytes})`
                : undefined;
          },
        }),
      ];
    }
    if (mode === 'notify') {
      return [
        notifyWatcher(engine, source, {
          ...notifyFeedSettings(config),
          ...(counters ? { counters } : {}),
          sections: feedSections(config),
          log,
          ...(notice ? { notice } : {}),
        }),
      ];
    }
    const list = [
      pollWatcher(
        engine,
        config.sections.map((s) => ({
          id: s.id,
          intervalMs: pollMs(s.intervalMs),
          ...(s.probe ? { probe: sqlProbe(s.id, s.probe, source, limits, metrics) } : {}),
        })),
      ),
    ];
    if (source.kind === 'sqlite') {
      // Commits by other processes show up within a second, whatever the poll period.
      const file = sqlitePath(config.database.url, baseDir);
      list.push(sqliteDataVersionWatcher({ file, onChange: () => engine.requestAll() }));
    }
    return list;
  };

  return { source, limits, sections, watchers };
}

/** The notify channel, the safety re-check period and the catalog queries' timeout. */
export function notifyFeedSettings(config: OpsdeckConfig): NotifyFeedSettings {
  return {
    channel: config.watch.channel,
    recheckMs: config.watch.intervalMs ?? DEFAULT_NOTIFY_RECHECK_MS,
    timeoutMs: config.database.statementTimeoutMs,
  };
}

/** The configured sections as the notify-feed verification sees them. */
export function feedSections(config: OpsdeckConfig): FeedSection[] {
  return config.sections.map((s, index) => ({
    id: s.id,
    index,
    sql: s.sql,
    ...(s.tables ? { tables: s.tables } : {}),
  }));
}
