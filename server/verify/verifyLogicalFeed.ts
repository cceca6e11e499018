import type { OpsdeckConfig } from '../config/configSchema.js';
import { tableLabel, tableSql } from '../config/notifyTriggerSql.js';
import { errorText } from '../sections/errorText.js';
import type { FeedCatalog, RelationInfo, TableRef } from '../sources/FeedCatalog.js';
import {
  addToPublicationSql,
  createPublicationSql,
  type LogicalPrerequisites,
} from '../sources/postgresLogicalAdmin.js';
import {
  formatPeriod,
  uniqueTables,
  type FeedProblem,
  type FeedSection,
  type SectionFeed,
} from './verifyNotifyFeed.js';
import { isAnswerAboutQuery } from './isAnswerAboutQuery.js';

export interface LogicalFeedSettings {
  url: string;
  slot: string;
  publication: string;
  recheckMs: number;
  timeoutMs: number;
  maxLagBytes: number;
}

/** A server-wide prerequisite of logical mode that is not met, with the exact change to make. */
export interface LogicalProblem {
  message: string;
  fix: string;
}

/** `opsdeck_<cluster.name>` as an identifier PostgreSQL accepts for slots and publications. */
export function defaultFeedName(clusterName: string | undefined): string {
  const name = (clusterName ?? 'default').toLowerCase().replace(/[^a-z0-9_]/g, '_');
  return `opsdeck_${name}`.slice(0, 63);
}

/** The slot, publication, re-check period and lag limit of a configuration in logical mode. */
export function logicalFeedSettings(config: OpsdeckConfig): LogicalFeedSettings {
  const name = defaultFeedName(config.cluster?.name);
  return {
    url: config.database.url,
    slot: config.watch.slot ?? name,
    publication: config.watch.publication ?? name,
    recheckMs: config.watch.intervalMs ?? 60_000,
    timeoutMs: config.database.statementTimeoutMs,
    maxLagBytes: config.watch.maxLagBytes,
  };
}

/**
 * The tables each section's changes arrive from: `tables:` (each must exist and be a table, and
 * cover what the query's plan reads) or, without it, the plan's tables. Views, materialized views
 * and foreign tables produce no row changes in the WAL: such a section is told so.
 */
export async function logicalSectionFeeds(
  catalog: FeedCatalog,
  sections: readonly FeedSection[],
  settings: Pick<LogicalFeedSettings, 'recheckMs' | 'timeoutMs'>,
): Promise<SectionFeed[]> {
  const later = `its changes show up only at the ${formatPeriod(settings.recheckMs)} re-check`;
  const feeds: SectionFeed[] = [];
  for (const section of sections) {
    const problems: FeedProblem[] = [];
    const add = (message: string, fix: string) =>
      problems.push({ section: section.id, message, fix });
    const path = `sections[${section.index}].tables`;
    let planned: TableRef[] | undefined;
    let planError = 'no plan';
    try {
      planned = await catalog.planTables(section.sql, settings.timeoutMs);
    } catch (error) {
      // The database not answering says nothing about this query: verify again later.
      if (!isAnswerAboutQuery(error)) throw error;
      planError = errorText(error).split('\n')[0] ?? planError;
    }
    const relations: RelationInfo[] = [];
    const names = section.tables ?? (planned ?? []).map(tableSql);
    for (const name of names) {
      const relation = await catalog.resolve(name);
      if (relation) relations.push(relation);
      else add(`tables: lists ${name}, which does not exist`, `correct ${path}`);
    }
    if (section.tables) {
      for (const table of planned ?? []) {
        if (relations.some((r) => r.schema === table.schema && r.name === table.name)) continue;
        add(
          `reads ${tableLabel(table)} (from the query plan), which tables: does not list: ${later}`,
          `add ${tableLabel(table)} to ${path}, or remove tables: so that Opsdeck derives them`,
        );
      }
    } else if (!planned) {
      add(
        `cannot tell which tables it reads (${planError}): it re-runs on every change`,
        `fix the query, or list its tables in ${path}`,
      );
    }
    const tables: TableRef[] = [];
    for (const r of uniqueTables(relations)) {
      if (r.kind === 'table' || r.kind === 'partitioned') tables.push(r);
      else {
        add(
          `reads ${tableLabel(r)}, a ${r.kind === 'matview' ? 'materialized view' : r.kind === 'foreign' ? 'foreign table' : 'view'}: it has no row changes of its own in the WAL, so ${later}`,
          r.kind === 'view'
            ? `list the tables the view reads in ${path}`
            : 'use watch.mode: poll for this data, or a shorter watch.intervalMs',
        );
      }
    }
    const known = Boolean(section.tables) || planned !== undefined;
    feeds.push({
      section: section.id,
      ...(known ? { tables: tables.map(({ schema, name }) => ({ schema, name })) } : {}),
      derived: !section.tables,
      problems,
    });
  }
  return feeds;
}

/** Each section's tables that the publication does not publish: a problem on that section. */
export function publicationCoverage(
  feeds: readonly SectionFeed[],
  publication: string,
  published: LogicalPrerequisites['publication'],
  recheckMs: number,
): SectionFeed[] {
  if (!published || published.allTables) return [...feeds];
  const has = (t: TableRef) =>
    published.tables.some((p) => p.schema === t.schema && p.name === t.name);
  return feeds.map((feed) => {
    const missing = (feed.tables ?? []).filter((t) => !has(t));
    if (missing.length === 0) return feed;
    const problem: FeedProblem = {
      section: feed.section,
      message: `${missing.map(tableLabel).join(', ')} not in publication ${publication}: changes show up only at the ${formatPeriod(recheckMs)} re-check`,
      fix: `run in the database (as the tables' owner):\n${addToPublicationSql(publication, missing)}`,
    };
    return { ...feed, problems: [...feed.problems, problem] };
  });
}

/** The server-wide prerequisites that are not met, each with its exact fix. */
export function logicalProblems(
  p: LogicalPrerequisites,
  settings: Pick<LogicalFeedSettings, 'slot' | 'publication'>,
  tables: readonly TableRef[],
): LogicalProblem[] {
  const problems: LogicalProblem[] = [];
  if (p.version < 10) {
    problems.push({
      message: `PostgreSQL ${p.version} has no pgoutput (logical mode needs 10 or later)`,
      fix: 'upgrade PostgreSQL, or use watch.mode: notify or poll',
    });
  }
  if (p.walLevel !== 'logical') {
    problems.push({
      message: `wal_level is ${p.walLevel}: the WAL carries no row changes to decode`,
      fix: 'run as a superuser: ALTER SYSTEM SET wal_level = logical; then restart PostgreSQL',
    });
  }
  if (!p.superuser && !p.replication) {
    problems.push({
      message: `role ${p.role} has no REPLICATION attribute: it may not stream from a slot`,
      fix: `run as a superuser: ALTER ROLE ${quoteIdent(p.role)} REPLICATION;`,
    });
  }
  if (!p.slot && p.otherSlots >= p.maxReplicationSlots) {
    problems.push({
      message: `all ${p.maxReplicationSlots} replication slots are in use (max_replication_slots): slot ${settings.slot} cannot be created`,
      fix: `ALTER SYSTEM SET max_replication_slots = ${p.otherSlots + 1}; then restart PostgreSQL (or drop an unused slot)`,
    });
  }
  if (!p.slot?.activePid && p.walSenders >= p.maxWalSenders) {
    problems.push({
      message: `all ${p.maxWalSenders} WAL senders are busy (max_wal_senders): the feed cannot connect`,
      fix: `ALTER SYSTEM SET max_wal_senders = ${p.walSenders + 1}; then restart PostgreSQL`,
    });
  }
  if (p.slot && p.slot.plugin !== 'pgoutput') {
    problems.push({
      message: `slot ${settings.slot} exists with plugin ${p.slot.plugin}, not pgoutput`,
      fix: `set watch.slot to another name, or drop it: SELECT pg_drop_replication_slot('${settings.slot}');`,
    });
  }
  if (!p.publication) {
    if (!p.ownsTables && tables.length > 0) {
      problems.push({
        message: `publication ${settings.publication} does not exist, and role ${p.role} does not own every watched table, so serve cannot create it`,
        fix: `run in the database as the tables' owner:\n${createPublicationSql(settings.publication, tables)}`,
      });
    }
  } else {
    const missing = (['insert', 'update', 'delete'] as const).filter(
      (a) => !p.publication?.actions[a],
    );
    if (missing.length > 0) {
      problems.push({
        message: `publication ${settings.publication} does not publish ${missing.join(', ')}: those changes show up only at the re-check`,
        fix: `ALTER PUBLICATION ${quoteIdent(settings.publication)} SET (publish = 'insert, update, delete, truncate');`,
      });
    }
  }
  return problems;
}

function quoteIdent(name: string): string {
  return /^[a-z_][a-z0-9_]*$/.test(name) ? name : `"${name.replace(/"/g, '""')}"`;
}
