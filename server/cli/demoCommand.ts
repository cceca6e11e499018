import { randomBytes } from 'node:crypto';
import { existsSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { isLoopback } from '../config/serveOptions.js';
import { demoAlerts, demoDashboards, demoSections } from '../demo/demoSections.js';
import { HistorySeeding } from '../demo/historySeeding.js';
import { openDemoConnection } from '../demo/openDemoConnection.js';
import type { SalesFloor } from '../demo/salesFloor.js';
import { Metrics } from '../metrics/Metrics.js';
import type { Logger } from '../log.js';
import { startServer } from '../OpsdeckServer.js';
import { sqlSection } from '../sections/sqlSection.js';
import { createSqliteSource } from '../sources/sqliteSource.js';
import { sqliteDataVersionWatcher } from '../watch/sqliteDataVersionWatcher.js';
import type { Watcher } from '../watch/Watcher.js';
import { DEMO_COMMAND, optionsOf } from './commandSpecs.js';
import { parseFlags, portFlag, rangeFlag } from './flags.js';
import { DEMO_DEFAULTS, DEMO_RATE_RANGE, TOKEN_MIN_LENGTH } from './limits.js';
import { runUntilSignal } from './runUntilSignal.js';
import { UsageError } from './usage.js';

/** Re-check period for clock-based SQL ("today") when no order arrives. */
const DEMO_RECHECK_MS = 60_000;

/** `opsdeck demo [--host H] [--port N] [--rate R] [--seed S] [--db FILE] [--token T]` */
export async function demoCommand(args: string[], log: Logger): Promise<number> {
  const flags = parseFlags(args, optionsOf(DEMO_COMMAND));
  const host = flags.host ?? DEMO_DEFAULTS.host;
  const port = portFlag(flags.port) ?? DEMO_DEFAULTS.port;
  const rate = rangeFlag(DEMO_RATE_RANGE, flags.rate) ?? DEMO_DEFAULTS.rate;
  const seed = flags.seed ?? DEMO_DEFAULTS.seed;
  // OPSDECK_TOKEN: like --token, but not visible to other users in the process list.
  const envToken = process.env.OPSDECK_TOKEN;
  if (flags.token === undefined && envToken) flags.token = envToken;
  if (flags.token !== undefined && flags.token.length < TOKEN_MIN_LENGTH) {
    throw new UsageError(`--token: must be at least ${TOKEN_MIN_LENGTH} characters`);
  }
  if (!flags.token && !isLoopback(host)) {
    throw new UsageError(`--token is required to listen on ${host}`);
  }

  const temporary = flags.db === undefined;
  const file = temporary
    ? join(tmpdir(), `opsdeck-demo-${process.pid}-${randomBytes(4).toString('hex')}.db`)
    : resolve(flags.db as string);
  if (!temporary && !existsSync(dirname(file))) {
    throw new UsageError(`--db: the folder ${dirname(file)} does not exist`);
  }
  const removeTemporary = () => {
    if (!temporary) return;
    for (const suffix of ['', '-wal', '-shm', '-journal']) rmSync(file + suffix, { force: true });
  };

  const db = openDemoConnection(file);
  // Written once the server listens (see HistorySeeding); until then the sections wait for it.
  const history = new HistorySeeding({ db, seed });
  const source = createSqliteSource(file);
  const metrics = new Metrics();
  const limits = { timeoutMs: 5000, maxRows: 5000 };
  const sections = demoSections().map((s) =>
    history.gate(
      sqlSection(
        {
          // The demo's SQL is no secret: Inspect and evidence files show it (showSql).
          info: { id: s.id, title: s.title, view: s.view, mode: 'push', sql: s.sql },
          sql: s.sql,
        },
        source,
        limits,
        metrics,
      ),
    ),
  );

  const server = await startServer({
    host,
    port,
    tokens: flags.token ? [flags.token] : [],
    sections,
    alerts: demoAlerts(),
    dashboards: demoDashboards(),
    watchers: (engine) => {
      // The floor reads the agents and the open orders of the history: it starts after it.
      let floor: SalesFloor | undefined;
      let stopped = false;
      const floorWatcher: Watcher = {
        start: () =>
          void Promise.all([history.ready, import('../demo/salesFloor.js')]).then(
            ([, loaded]) => {
              if (stopped) return;
              floor = new loaded.SalesFloor({
                db,
                rate,
                seed,
                onChange: () => engine.requestAll(),
                onError: (error) => log.warn({ err: error }, 'sales floor write failed; retrying'),
              });
              floor.start();
            },
            (error: unknown) => log.warn({ err: error }, 'sales floor not started'),
          ),
        stop: () => {
          stopped = true;
          return Promise.resolve(floor?.stop());
        },
      };
      const recheck = setInterval(() => engine.requestAll(), DEMO_RECHECK_MS);
      recheck.unref();
      const recheckWatcher: Watcher = {
        start: () => undefined,
        stop: () => Promise.resolve(clearInterval(recheck)),
      };
      // Watching through the floor's own connection: its writes are pushed in-process already,
      // and data_version reports only commits by other connections (the sqlite3 shell, scripts).
      const external = sqliteDataVersionWatcher({
        file,
        connection: db,
        onChange: () => engine.requestAll(),
      });
      return [floorWatcher, external, recheckWatcher];
    },
    readiness: async () => {
      history.check();
      await source.ping(2000);
    },
    onClose: async () => {
      await history.finished(); // a kept --db file gets its whole history, never half of it
      await source.close();
      db.close();
      removeTemporary();
    },
    metrics,
    log,
  }).catch((error: unknown) => {
    db.close();
    removeTemporary();
    throw error;
  });
  log.info({ db: file, temporary, rate, seed }, 'demo running');
  const done = runUntilSignal(server, log);
  history.start().then(
    (written) => {
      if (written.orders > 0) log.info(written, 'demo history written');
    },
    (error: unknown) => log.error({ err: error }, 'demo history could not be written'),
  );
  return done;
}
