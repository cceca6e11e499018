import { loadConfig } from '../config/loadConfig.js';
import { notifyTriggerSql, tableLabel } from '../config/notifyTriggerSql.js';
import { checkServable } from '../config/serveOptions.js';
import { feedSections, notifyFeedSettings } from '../configuredServer.js';
import { createDataSource } from '../sources/createDataSource.js';
import type { DataSource } from '../sources/DataSource.js';
import { errorText } from '../sections/errorText.js';
import type { Logger } from '../log.js';
import { checkRedis } from './checkRedis.js';
import type { OpsdeckConfig } from '../config/configSchema.js';
import {
  formatPeriod,
  uniqueTables,
  verifyNotifyFeed,
  type SectionFeed,
} from '../verify/verifyNotifyFeed.js';
import { CHECK_COMMAND, optionsOf } from './commandSpecs.js';
import { parseFlags } from './flags.js';
import { printFeedReport } from './printFeedReport.js';
import { checkBinlogFeed } from '../verify/checkBinlogFeed.js';
import { checkLogicalFeed } from './checkLogicalFeed.js';
import { printAlertChecks } from './printAlertChecks.js';
import type { Column } from '../../common/protocol.js';
import { checkView } from '../../common/viewColumns.js';
import { UsageError } from './usage.js';

type Out = (line: string) => void;

/**
 * `opsdeck check --config FILE [--install-triggers]`: validates the file, connects, runs every
 * section (and probe) once and prints per section rows, bytes and milliseconds, or the error; in
 * notify mode it then verifies the change feed (tables, triggers, coverage of the query's tables)
 * and prints the exact fix for each problem. Exit 0 only if everything passes.
 */
export async function checkCommand(args: string[], log: Logger): Promise<number> {
  const flags = parseFlags(args, optionsOf(CHECK_COMMAND));
  if (!flags.config) throw new UsageError('check needs --config FILE');
  const { config, baseDir } = loadConfig(flags.config);
  checkServable(config, baseDir);
  const install = flags['install-triggers'] === true;
  if (install && config.watch.mode !== 'notify') {
    throw new UsageError('--install-triggers: only in notify mode (watch.mode: notify)');
  }
  const out: Out = (line) => process.stdout.write(`${line}\n`);
  out(
    `config: ${flags.config}: ok (${config.sections.length} sections, ${config.watch.mode} mode)`,
  );

  const source = createDataSource(config.database.url, { pool: 1, baseDir, log });
  const limits = {
    timeoutMs: config.database.statementTimeoutMs,
    maxRows: config.database.maxRows,
  };
  let failures = 0;
  try {
    const started = Date.now();
    try {
      await source.ping(limits.timeoutMs);
      out(`database: ${source.description}: ok (${Date.now() - started} ms)`);
    } catch (error) {
      out(`database: ${source.description}: FAILED: ${indent(errorText(error))}`);
      return 1;
    }
    if (config.cluster)
      failures += await checkRedis(config.cluster, baseDir, limits.timeoutMs, out);
    const width = Math.max(...config.sections.map((s) => s.id.length));
    const columns = new Map<string, Column[]>(); // per section that ran, for the alert rules
    for (const section of config.sections) {
      const runs: [string, string][] = [[section.id, section.sql]];
      if (section.probe) runs.push([`${section.id} (probe)`, section.probe]);
      for (const [label, sql] of runs) {
        const t0 = Date.now();
        try {
          const result = await source.query(sql, limits);
          if (label === section.id) columns.set(section.id, result.columns);
          const bytes = Buffer.byteLength(JSON.stringify(result.rows));
          const truncated = result.truncated ? ` (truncated at maxRows ${limits.maxRows})` : '';
          out(
            `section ${label.padEnd(width)}  ok      ${String(result.rows.length).padStart(6)} rows ${String(bytes).padStart(9)} bytes ${String(Date.now() - t0).padStart(6)} ms${truncated}`,
          );
          if (label !== section.id) continue;
          // The console would show a notice instead of this view: fix the view or the query.
          for (const problem of checkView(section.view, result).configProblems) {
            failures += 1;
            out(`section ${label.padEnd(width)}  FAILED  view: ${problem}`);
          }
        } catch (error) {
          failures += 1;
          out(`section ${label.padEnd(width)}  FAILED  ${indent(errorText(error))}`);
        }
      }
    }
    failures += printAlertChecks(config.alerts ?? [], columns, out);
    if (config.watch.mode === 'notify') {
      failures += await checkNotifyFeed(config, source, install, out);
    }
    if (config.watch.mode === 'binlog') {
      failures += await checkBinlogFeed(config, feedSections(config), source, out);
    }
    if (config.watch.mode === 'logical') failures += await checkLogicalFeed(config, source, out);
  } finally {
    await source.close();
  }
  out('');
  out(failures === 0 ? 'all checks passed' : `${failures} failed`);
  return failures === 0 ? 0 : 1;
}

/** Verifies the notify feed (and installs missing triggers when asked); returns the FAIL count. */
async function checkNotifyFeed(
  config: OpsdeckConfig,
  source: DataSource,
  install: boolean,
  out: Out,
): Promise<number> {
  const catalog = source.catalog;
  if (!catalog) return 0; // notify mode is PostgreSQL only (the schema says so)
  const settings = notifyFeedSettings(config);
  const verify = () => verifyNotifyFeed(catalog, feedSections(config), settings);
  out('');
  out(
    `notify feed: channel "${settings.channel}", safety re-check every ${formatPeriod(settings.recheckMs)}`,
  );
  let feeds: SectionFeed[];
  try {
    feeds = await verify();
  } catch (error) {
    out(`  FAIL  cannot read the catalog: ${indent(errorText(error))}`);
    return 1;
  }
  const missing = uniqueTables(feeds.flatMap((f) => f.problems.flatMap((p) => p.installOn ?? [])));
  if (install && missing.length > 0) {
    const names = missing.map(tableLabel).join(', ');
    try {
      await catalog.executeInTransaction(notifyTriggerSql(settings.channel, missing));
      out(`  installed notify triggers on ${names} (one transaction)`);
      feeds = await verify();
    } catch (error) {
      out(`  FAIL  installing triggers on ${names}: ${indent(errorText(error))}`);
      out('        nothing was changed (the transaction was rolled back)');
      return 1 + printFeedReport(feeds, out);
    }
  } else if (install) out('  no notify trigger is missing: nothing to install');
  return printFeedReport(feeds, out);
}

/** Continuation lines of a multi-line error (DETAIL, HINT) under the first one. */
function indent(text: string): string {
  return text.replace(/\n/g, '\n          ');
}
