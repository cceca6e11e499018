import { notifyTriggerSql, tableLabel, tableSql } from '../config/notifyTriggerSql.js';
import { errorText } from '../sections/errorText.js';
import type { FeedCatalog, RelationInfo, TableRef, TriggerInfo } from '../sources/FeedCatalog.js';
import { triggerCoverage } from './triggerCoverage.js';
import { isAnswerAboutQuery } from './isAnswerAboutQuery.js';

/** A section as the verification sees it; `index` names it in fixes (`sections[2].tables`). */
export interface FeedSection {
  id: string;
  index: number;
  sql: string;
  tables?: readonly string[];
}

export interface FeedProblem {
  section: string;
  /** What is wrong and what it costs, in one line for people. */
  message: string;
  /** The exact fix: SQL to run in the database, or the change to make in the file. */
  fix: string;
  /** A table that needs the notify trigger (what `check --install-triggers` creates). */
  installOn?: TableRef;
}

export interface SectionFeed {
  section: string;
  /** The tables whose notifications re-run the section; undefined when they are unknown. */
  tables?: TableRef[];
  /** True when `tables:` was absent and the tables come from the query's plan. */
  derived: boolean;
  problems: FeedProblem[];
}

export interface NotifyFeedSettings {
  channel: string;
  recheckMs: number;
  timeoutMs: number;
}

/**
 * Verifies what notify mode relies on, from the catalog: each table in `tables:` exists and is a
 * table; the tables the query really reads (its plan) are all listed (or, without `tables:`, are
 * the list); and each has an enabled trigger that notifies the channel with the table name on
 * INSERT, UPDATE and DELETE. Each problem names the section and table, what it costs and the fix.
 */
export async function verifyNotifyFeed(
  catalog: FeedCatalog,
  sections: readonly FeedSection[],
  settings: NotifyFeedSettings,
): Promise<SectionFeed[]> {
  const relations = memo((name: string) => catalog.resolve(name));
  const triggersOf = new Map<string, Promise<TriggerInfo[]>>();
  const triggers = (table: TableRef): Promise<TriggerInfo[]> => {
    const key = `${table.schema}\u0000${table.name}`;
    let hit = triggersOf.get(key);
    if (!hit) triggersOf.set(key, (hit = catalog.triggers(table)));
    return hit;
  };
  const later = `changes show up only at the ${formatPeriod(settings.recheckMs)} re-check`;
  const results: SectionFeed[] = [];

  for (const section of sections) {
    const problems: FeedProblem[] = [];
    const add = (message: string, fix: string, installOn?: TableRef) =>
      problems.push({ section: section.id, message, fix, ...(installOn ? { installOn } : {}) });
    const path = `sections[${section.index}].tables`;

    let planned: TableRef[] | undefined;
    let planError: string | undefined;
    try {
      planned = await catalog.planTables(section.sql, settings.timeoutMs);
    } catch (error) {
      // The database not answering says nothing about this query: verify again later.
      if (!isAnswerAboutQuery(error)) throw error;
      planError = errorText(error).split('\n')[0];
    }

    let watched: RelationInfo[] = [];
    const uncovered: RelationInfo[] = [];
    if (section.tables) {
      for (const name of section.tables) {
        const relation = await relations(name);
        if (!relation) {
          add(
            `tables: lists ${name}, which does not exist: no change to it can re-run this section`,
            `correct ${path}${planned ? ` (the query reads ${labels(planned)})` : ''}, or remove tables: so that Opsdeck derives them from the query`,
          );
        } else if (relation.kind === 'view') {
          const base = await catalog
            .planTables(`SELECT * FROM ${tableSql(relation)}`, settings.timeoutMs)
            .catch(() => []);
          add(
            `tables: lists ${name}, a view: views send no notifications, so no change re-runs this section`,
            `list the tables the view reads instead${base.length ? ` (${labels(base)})` : ''} in ${path}, or remove tables:`,
          );
        } else watched.push(relation);
      }
      for (const table of planned ?? []) {
        if (watched.some((w) => sameTable(w, table))) continue;
        // Checked for triggers below too: once it is listed, it needs one.
        const relation = await relations(tableSql(table));
        if (relation) uncovered.push(relation);
        add(
          `reads ${tableLabel(table)} (from the query plan), which tables: does not list: its ${later}`,
          `add ${tableLabel(table)} to ${path}, or remove tables: so that Opsdeck derives them from the query`,
        );
      }
    } else if (planned) {
      for (const table of planned) {
        const relation = await relations(tableSql(table));
        if (relation) watched.push(relation);
      }
    } else {
      add(
        `cannot tell which tables it reads (${planError ?? 'no plan'}): it re-runs on every notification`,
        `fix the query, or list its tables in ${path}`,
      );
    }
    watched = uniqueTables(watched);

    for (const table of uniqueTables([...watched, ...uncovered])) {
      const label = tableLabel(table);
      if (table.kind === 'matview') {
        add(
          `reads ${label}, a materialized view: REFRESH sends no notification, so its ${later}`,
          `run NOTIFY ${settings.channel}, '${table.name}' after each REFRESH MATERIALIZED VIEW ${label}, or use watch.mode: poll`,
        );
        continue;
      }
      if (table.kind === 'foreign') {
        add(
          `reads ${label}, a foreign table: changes made on its remote server are not notified, so they show up only at the ${formatPeriod(settings.recheckMs)} re-check`,
          'use watch.mode: poll for this data, or a shorter watch.intervalMs',
        );
        continue;
      }
      const found: TriggerInfo[] = await triggers(table);
      const coverage = triggerCoverage(found, settings.channel, table.name);
      const fix = `run in the database (or: opsdeck check --config FILE --install-triggers):\n${notifyTriggerSql(settings.channel, [table])}`;
      if (coverage.notifying.length === 0) {
        const why =
          coverage.disabled.length > 0
            ? `its notify trigger ${coverage.disabled.join(', ')} is disabled`
            : coverage.wrongPayload.length > 0
              ? `its trigger ${coverage.wrongPayload.join(', ')} notifies "${settings.channel}" without the table name as payload`
              : `it has no trigger that notifies channel "${settings.channel}"`;
        add(`${label}: ${why}: ${later}`, fix, table);
      } else if (coverage.missingEvents.length > 0) {
        add(
          `${label}: its notify trigger ${coverage.notifying.join(', ')} does not fire on ${coverage.missingEvents.join(', ')}: those ${later}`,
          fix,
          table,
        );
      }
    }

    const tables =
      section.tables || planned ? watched.map(({ schema, name }) => ({ schema, name })) : undefined;
    results.push({
      section: section.id,
      ...(tables ? { tables } : {}),
      derived: !section.tables,
      problems,
    });
  }
  return results;
}

/** The feed problems of one section as the `warning` of its section-status (or undefined). */
export function feedWarning(feed: SectionFeed): string | undefined {
  if (feed.problems.length === 0) return undefined;
  return feed.problems.map((p) => p.message).join('; ');
}

/** 60000 -> "60 s", 120000 -> "2 min". */
export function formatPeriod(ms: number): string {
  if (ms >= 120_000 && ms % 60_000 === 0) return `${ms / 60_000} min`;
  return `${Math.round(ms / 100) / 10} s`;
}

function labels(tables: readonly TableRef[]): string {
  return tables.map(tableLabel).join(', ');
}

function sameTable(a: TableRef, b: TableRef): boolean {
  return a.schema === b.schema && a.name === b.name;
}

/** The tables once each, in first-seen order. */
export function uniqueTables<T extends TableRef>(tables: T[]): T[] {
  return tables.filter((t, i) => tables.findIndex((o) => sameTable(o, t)) === i);
}

function memo<T>(load: (key: string) => Promise<T>): (key: string) => Promise<T> {
  const cache = new Map<string, Promise<T>>();
  return (key) => {
    let hit = cache.get(key);
    if (!hit) {
      hit = load(key);
      cache.set(key, hit);
    }
    return hit;
  };
}
