import { resolve } from 'node:path';
import { checkServable } from '../config/serveOptions.js';
import { loadConfig } from '../config/loadConfig.js';
import { configuredParts } from '../configuredServer.js';
import { Metrics } from '../metrics/Metrics.js';
import type { Logger } from '../log.js';
import { startServer } from '../OpsdeckServer.js';
import cluster from 'node:cluster';
import { ConfigError } from '../config/ConfigError.js';
import { adminUiSettings } from '../config/observabilitySchema.js';
import { optionsOf, SERVE_COMMAND } from './commandSpecs.js';
import { parseFlags, portFlag, rangeFlag } from './flags.js';
import { WORKERS_RANGE } from './limits.js';
import { runWorker } from './runWorker.js';
import { runWorkerPool, WORKER_ENV } from './workerPool.js';
import { reportUnreachableDatabase } from './reportUnreachableDatabase.js';
import { runUntilSignal } from './runUntilSignal.js';
import { checkRedisAtStart } from './checkRedisAtStart.js';
import { UsageError } from './usage.js';

/** `opsdeck serve --config FILE [--host H] [--port N]` */
export async function serveCommand(args: string[], log: Logger): Promise<number> {
  const flags = parseFlags(args, optionsOf(SERVE_COMMAND));
  if (!flags.config) throw new UsageError('serve needs --config FILE');
  const { config, baseDir } = loadConfig(flags.config);
  if (flags.host) config.listen.host = flags.host;
  const port = portFlag(flags.port);
  if (port !== undefined) config.listen.port = port;
  checkServable(config, baseDir);
  const workers = rangeFlag(WORKERS_RANGE, flags.workers);
  if (workers !== undefined) {
    const problems: string[] = [];
    if (!config.cluster)
      problems.push(
        'config: cluster: required for --workers (workers share snapshots through Redis)',
      );
    if (config.listen.tls)
      problems.push(
        'config: listen.tls: not supported with --workers (terminate TLS at the load balancer)',
      );
    if (problems.length > 0) throw new ConfigError(problems);
  }
  if (workers !== undefined && cluster.isPrimary) {
    return runWorkerPool(workers, config.listen.host, config.listen.port, log);
  }
  const isWorker = process.env[WORKER_ENV] === '1';

  const redis = config.cluster ? await checkRedisAtStart(config.cluster, baseDir) : undefined;
  if (config.cluster && !redis) return 1;

  const metrics = new Metrics();
  const adminUi = adminUiSettings(config);
  const say = (line: string) => process.stdout.write(`${line}\n`);
  const parts = configuredParts(config, baseDir, metrics, log, say);
  const server = await startServer({
    host: config.listen.host,
    port: config.listen.port,
    ...(config.listen.tls
      ? {
          tls: {
            cert: resolve(baseDir, config.listen.tls.cert),
            key: resolve(baseDir, config.listen.tls.key),
          },
        }
      : {}),
    ...(config.listen.allowedOrigins ? { allowedOrigins: config.listen.allowedOrigins } : {}),
    tokens: config.auth.tokens ?? [],
    sections: parts.sections,
    watchers: parts.watchers,
    ...(config.alerts ? { alerts: config.alerts } : {}),
    ...(config.dashboards ? { dashboards: config.dashboards } : {}),
    readiness: () => parts.source.ping(2000),
    ...(config.cluster && redis ? { cluster: { topology: redis, name: config.cluster.name } } : {}),
    onClose: () => parts.source.close(),
    metrics,
    log,
    listen: !isWorker,
    ...(adminUi ? { adminUi } : {}),
  });
  log.info({ database: parts.source.description, mode: config.watch.mode }, 'serving');
  const running = isWorker ? runWorker(server, log) : runUntilSignal(server, log);
  // With --workers every worker watches; the first one speaks for them.
  const speaks = !isWorker || cluster.worker?.id === 1;
  const report = reportUnreachableDatabase(parts.source, {
    timeoutMs: Math.min(config.database.statementTimeoutMs, 5000),
    say: speaks ? say : () => undefined,
    onReachable: () => server.hub.engine.retryFailing(),
    log,
  });
  // A section that starts failing later may mean the database went away: say so, and retry the
  // sections as soon as it answers again. If it answers, the failure is the section's: say that.
  const failing = new Set<string>();
  server.hub.engine.on('status', (status) => {
    const { section } = status;
    if (status.healthy) {
      if (failing.delete(section) && speaks) say(`section ${section} recovered`);
      return;
    }
    report.suspect(() => {
      if (failing.has(section) || server.hub.engine.status(section)?.healthy !== false) return;
      failing.add(section);
      const reason = (status.error ?? 'failing').split('\n')[0] ?? 'failing';
      if (speaks) say(`section ${section} failing: ${reason}`);
    });
  });
  return running.finally(() => report.stop());
}
