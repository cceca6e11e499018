import { loadConfig } from '../config/loadConfig.js';
import { notifyTriggerSql } from '../config/notifyTriggerSql.js';
import { checkServable } from '../config/serveOptions.js';
import { createDataSource } from '../sources/createDataSource.js';
import { errorText } from '../sections/SectionEngine.js';
import type { Logger } from '../log.js';
import { pingRedis, redactUrl } from '../cluster/pingRedis.js';
import { parseFlags } from './flags.js';
import { UsageError } from './usage.js';

/**
 * `opsdeck check --config FILE`: validates the file, connects, runs every section (and probe) once
 * and prints per section rows, bytes and milliseconds, or the error. Exit 0 only if all pass.
 */
export async function checkCommand(args: string[], log: Logger): Promise<number> {
  const flags = parseFlags(args, { config: { type: 'string' } });
  if (!flags.config) throw new UsageError('check needs --config FILE');
  const { config, baseDir } = loadConfig(flags.config);
  checkServable(config, baseDir);
  const out = (line: string) => process.stdout.write(`${line}\n`);
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
      out(`database: ${source.description}: FAILED: ${errorText(error)}`);
      return 1;
    }
    if (config.cluster) {
      const t0 = Date.now();
      const problem = await pingRedis(config.cluster.redis, limits.timeoutMs);
      if (problem) {
        out(`redis: ${redactUrl(config.cluster.redis)}: FAILED: ${problem}`);
        failures += 1;
      } else out(`redis: ${redactUrl(config.cluster.redis)}: ok (${Date.now() - t0} ms)`);
    }
    const width = Math.max(...config.sections.map((s) => s.id.length));
    for (const section of config.sections) {
      const runs: [string, string][] = [[section.id, section.sql]];
      if (section.probe) runs.push([`${section.id} (probe)`, section.probe]);
      for (const [label, sql] of runs) {
        const t0 = Date.now();
        try {
          const result = await source.query(sql, limits);
          const bytes = Buffer.byteLength(JSON.stringify(result.rows));
          const truncated = result.truncated ? ` (truncated at maxRows ${limits.maxRows})` : '';
          out(
            `section ${label.padEnd(width)}  ok      ${String(result.rows.length).padStart(6)} rows ${String(bytes).padStart(9)} bytes ${String(Date.now() - t0).padStart(6)} ms${truncated}`,
          );
        } catch (error) {
          failures += 1;
          out(`section ${label.padEnd(width)}  FAILED  ${errorText(error)}`);
        }
      }
    }
  } finally {
    await source.close();
  }
  if (config.watch.mode === 'notify') {
    const tables = config.sections.flatMap((s) => s.tables ?? []);
    out('');
    out(
      `notify mode: run this once in the database so that changes reach channel "${config.watch.channel}":`,
    );
    out('');
    out(notifyTriggerSql(config.watch.channel, tables));
  }
  out('');
  out(failures === 0 ? 'all sections passed' : `${failures} failed`);
  return failures === 0 ? 0 : 1;
}
