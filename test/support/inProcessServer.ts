/**
 * The server composition (startServer: HTTP, Socket.IO, delivery core, topology) started on port 0
 * inside the test process, with in-memory sections, and stock socket.io-client connections to it
 * over real sockets; in the spirit of socket.io's own test/support/util.ts. Runs from the
 * TypeScript sources: no build, nothing from dist/.
 */
import type { AlertRule, DashboardInfo } from '../../common/alerts.js';
import type { ClusterSettings } from '../../server/cluster/ClusterRuntime.js';
import { silentLogger, type Logger } from '../../server/log.js';
import { Metrics } from '../../server/metrics/Metrics.js';
import type { AdminUiSettings } from '../../server/observability/adminUi.js';
import { startServer, type RunningServer } from '../../server/OpsdeckServer.js';
import type { SectionEngine, SectionSpec } from '../../server/sections/SectionEngine.js';
import type { Watcher } from '../../server/watch/Watcher.js';
import { connect, type TestSocket } from '../helpers/client.js';
import type { ControlledSection } from './controlledSection.js';

export interface InProcessOptions {
  sections: (ControlledSection | SectionSpec)[];
  tokens?: string[];
  /** Join a cluster (real Redis): use a unique `name` per test file. */
  cluster?: ClusterSettings;
  /** Extra change feeds (each leadership creates them anew). */
  watchers?: (engine: SectionEngine) => Watcher[];
  log?: Logger;
  alerts?: AlertRule[];
  dashboards?: DashboardInfo[];
  /** The Socket.IO Admin UI on /admin. */
  adminUi?: AdminUiSettings;
}

export interface InProcessServer {
  readonly url: string;
  readonly running: RunningServer;
  readonly metrics: Metrics;
  /** This node's engine (reads only while this node leads). */
  readonly engine: SectionEngine;
  /** What a change feed does: the data behind these sections (all when none) changed. */
  change(...ids: string[]): void;
  /** A connected client, closed by close(). */
  client(options?: Parameters<typeof connect>[1]): Promise<TestSocket>;
  /** The sum of a metric's samples that carry these labels (0 when none). */
  metric(name: string, labels?: Record<string, string>): Promise<number>;
  /** Closes the clients, then the server (as on SIGTERM). */
  close(): Promise<void>;
}

export async function startInProcessServer(options: InProcessOptions): Promise<InProcessServer> {
  const metrics = new Metrics();
  const running = await startServer({
    host: '127.0.0.1',
    port: 0,
    tokens: options.tokens ?? [],
    sections: options.sections.map((s) => ('spec' in s ? s.spec : s)),
    watchers: (engine) => options.watchers?.(engine) ?? [],
    readiness: () => Promise.resolve(),
    metrics,
    log: options.log ?? silentLogger(),
    ...(options.cluster ? { cluster: options.cluster } : {}),
    ...(options.alerts ? { alerts: options.alerts } : {}),
    ...(options.dashboards ? { dashboards: options.dashboards } : {}),
    ...(options.adminUi ? { adminUi: options.adminUi } : {}),
    // Fast and deterministic: a change is read on the next turn of the event loop.
    engineTiming: { settleMs: 0, minGapMs: 0, backoff: { initialMs: 20, maxMs: 50 } },
  });
  const clients: TestSocket[] = [];
  const engine = running.hub.engine;
  return {
    url: running.url,
    running,
    metrics,
    engine,
    change(...ids) {
      if (ids.length === 0) engine.requestAll();
      for (const id of ids) engine.request(id);
    },
    async client(clientOptions) {
      const socket = await connect(running.url, clientOptions);
      clients.push(socket);
      return socket;
    },
    async metric(name, labels = {}) {
      const metric = metrics.registry.getSingleMetric(name);
      if (!metric) throw new Error(`no metric ${name}`);
      const wanted = Object.entries(labels);
      return (await metric.get()).values
        .filter((v) => wanted.every(([k, value]) => v.labels[k] === value))
        .reduce((sum, v) => sum + v.value, 0);
    },
    async close() {
      for (const socket of clients) socket.close();
      await running.close();
    },
  };
}
