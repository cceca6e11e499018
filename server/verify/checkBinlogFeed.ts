import type { OpsdeckConfig } from '../config/configSchema.js';
import { errorText } from '../sections/errorText.js';
import type { DataSource } from '../sources/DataSource.js';
import { binlogFeedSettings } from './binlogFeedSettings.js';
import { formatPeriod, type FeedSection } from './verifyNotifyFeed.js';
import { verifyBinlogFeed, type BinlogProblem } from './verifyBinlogFeed.js';

type Out = (line: string) => void;

/**
 * The binlog-feed part of `opsdeck check`: the server's binary log settings, the user's
 * replication privileges and each section's tables, `ok` or `FAIL` with the exact fix (printed
 * once when several lines share it). Returns the number of FAIL lines.
 */
export async function checkBinlogFeed(
  config: OpsdeckConfig,
  sections: readonly FeedSection[],
  source: DataSource,
  out: Out,
): Promise<number> {
  const settings = binlogFeedSettings(config);
  const limits = { timeoutMs: config.database.statementTimeoutMs, maxRows: 1000 };
  out('');
  out(
    `binlog feed: reader server id ${settings.serverId}, safety re-check every ${formatPeriod(settings.recheckMs)}`,
  );
  let report;
  try {
    report = await verifyBinlogFeed(
      async (sql) => (await source.query(sql, limits)).rows,
      sections,
      settings.serverId,
    );
  } catch (error) {
    out(
      `  FAIL  cannot read the server's settings: ${errorText(error).replace(/\n/g, '\n        ')}`,
    );
    return 1;
  }
  const { facts, problems } = report;
  const fixes = new Set<string>();
  const fail = (label: string, problem: BinlogProblem): void => {
    out(`  FAIL  ${label}${problem.message}`);
    if (fixes.has(problem.fix)) return out('        fix: the same as above');
    fixes.add(problem.fix);
    const [first = '', ...rest] = problem.fix.split('\n');
    out(`        fix: ${first}`);
    for (const line of rest) out(`          ${line}`);
  };
  const serverProblems = problems.filter((p) => p.section === undefined);
  out(
    `  ${serverProblems.length === 0 ? 'ok  ' : 'info'}  ${facts.version}: log_bin ${facts.logBin ? 'ON' : 'OFF'}, binlog_format ${facts.format}, binlog_row_image ${facts.rowImage} (any image will do: only table names are read), server_id ${facts.serverId}, user ${facts.user}`,
  );
  for (const problem of serverProblems) fail('', problem);
  const width = Math.max(0, ...report.sections.map((s) => s.section.length));
  for (const feed of report.sections) {
    const own = problems.filter((p) => p.section === feed.section);
    const name = feed.section.padEnd(width);
    if (own.length === 0) {
      out(
        feed.tables
          ? `  ok    ${name}  watches ${feed.tables.join(', ')}`
          : `  ok    ${name}  re-runs on any row change in ${facts.database ?? 'the server'} (list its tables in tables: to narrow it)`,
      );
    }
    for (const problem of own) fail(`${name}  `, problem);
  }
  return problems.length;
}
