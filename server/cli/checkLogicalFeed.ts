import type { OpsdeckConfig } from '../config/configSchema.js';
import { feedSections } from '../configuredServer.js';
import { errorText } from '../sections/errorText.js';
import type { DataSource } from '../sources/DataSource.js';
import type { TableRef } from '../sources/FeedCatalog.js';
import { PostgresLogicalAdmin } from '../sources/postgresLogicalAdmin.js';
import {
  logicalFeedSettings,
  logicalProblems,
  logicalSectionFeeds,
  publicationCoverage,
} from '../verify/verifyLogicalFeed.js';
import { formatPeriod, uniqueTables } from '../verify/verifyNotifyFeed.js';
import { printFeedReport } from './printFeedReport.js';

/**
 * The logical-feed part of `opsdeck check`: wal_level, the role's REPLICATION attribute, free
 * slots and WAL senders, the slot, the publication (exists or can be created by serve, covers
 * every section's tables), then one line per section. Creates nothing. Returns the FAIL count.
 */
export async function checkLogicalFeed(
  config: OpsdeckConfig,
  source: DataSource,
  out: (line: string) => void,
): Promise<number> {
  const catalog = source.catalog;
  if (!catalog) return 0; // logical mode is PostgreSQL only (the schema says so)
  const settings = logicalFeedSettings(config);
  out('');
  out(
    `logical feed: slot ${settings.slot}, publication ${settings.publication}, safety re-check every ${formatPeriod(settings.recheckMs)}`,
  );
  try {
    const feeds = await logicalSectionFeeds(catalog, feedSections(config), settings);
    const tables = uniqueTables(feeds.flatMap((f): TableRef[] => f.tables ?? []));
    const admin = new PostgresLogicalAdmin(settings.url, settings.timeoutMs);
    const info = await admin.prerequisites(settings.slot, settings.publication, tables);
    let failures = 0;
    for (const problem of logicalProblems(info, settings, tables)) {
      failures += 1;
      out(`  FAIL  ${problem.message}`);
      const [first = '', ...rest] = problem.fix.split('\n');
      out(`        fix: ${first}`);
      for (const line of rest) out(`          ${line}`);
    }
    if (info.walLevel === 'logical') out(`  ok    wal_level is logical`);
    if (info.superuser || info.replication) {
      out(`  ok    role ${info.role} may stream (${info.superuser ? 'superuser' : 'REPLICATION'})`);
    }
    const slot = info.slot;
    out(
      slot
        ? `  ok    slot ${settings.slot} exists${slot.retainedBytes !== undefined ? ` (retains ${slot.retainedBytes} bytes of WAL)` : ''}${slot.activePid ? `, streaming to PID ${slot.activePid}` : ''}`
        : `  ok    slot ${settings.slot} does not exist yet: serve creates it`,
    );
    if (!info.publication && info.ownsTables) {
      out(`  ok    publication ${settings.publication} does not exist yet: serve creates it`);
    } else if (info.publication) out(`  ok    publication ${settings.publication} exists`);
    const covered = info.publication
      ? publicationCoverage(feeds, settings.publication, info.publication, settings.recheckMs)
      : feeds;
    return failures + printFeedReport(covered, out);
  } catch (error) {
    out(`  FAIL  cannot read the catalog: ${errorText(error).replace(/\n/g, '\n        ')}`);
    return 1;
  }
}
