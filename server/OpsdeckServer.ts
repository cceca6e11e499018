import { readFileSync } from 'node:fs';
import { createServer as createHttpServer, type Server as HttpServer } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { Server } from 'socket.io';
import type { AlertRule, DashboardInfo } from '../common/alerts.js';
import type { CatalogBody } from '../common/protocol.js';
import { AlertService } from './alerts/AlertService.js';
import { compileRule } from './alerts/compileRule.js';
import type { ClusterSettings } from './cluster/ClusterRuntime.js';
import { ClusterNode } from './delivery/ClusterNode.js';
import { DeliveryCore } from './delivery/DeliveryCore.js';
import { SingleNode } from './delivery/SingleNode.js';
import type { Topology } from './delivery/Topology.js';
import { httpHandler } from './http/httpHandler.js';
import { findConsoleDir, staticConsole } from './http/staticConsole.js';
import type { Logger } from './log.js';
import type { Metrics } from './metrics/Metrics.js';
import { NodeStats } from './sections/NodeStats.js';
import type { SectionEngine, SectionSpec } from './sections/SectionEngine.js';
import { instrumentAdminUi, type AdminUiSettings } from './observability/adminUi.js';
import { attachProtocol, type OpsdeckIo } from './socket/attachProtocol.js';
import { ClientsList } from './socket/clientsList.js';
import { clientsHandler } from './socket/clientsListHandler.js';
import { enforceFrameLimit, MAX_CLIENT_FRAME_BYTES } from './socket/FrameLimit.js';
import { originAllowed, requestOrigin } from './socket/originPolicy.js';
import { tokenChecker } from './socket/tokenCheck.js';
import type { Watcher } from './watch/Watcher.js';
import { PRODUCT_NAME, PRODUCT_VERSION } from './version.js';

export interface ServerOptions {
  host: string;
  port: number;
  tls?: { cert: string; key: string };
  allowedOrigins?: string[];
  /** Empty: anonymous access (the caller has checked that this is allowed). */
  tokens: string[];
  sections: SectionSpec[];
  /** Change feeds, created once the engine exists. */
  watchers: (engine: SectionEngine) => Watcher[];
  readiness: () => Promise<void>;
  /** Releases what the caller opened (data source, demo floor); runs after clients are told. */
  onClose?: () => Promise<void>;
  metrics: Metrics;
  log: Logger;
  /** Alert rules (docs/config.md `alerts`), already validated against the sections. */
  alerts?: AlertRule[];
  /** Named pages of sections for the console (docs/config.md `dashboards`). */
  dashboards?: DashboardInfo[];
  /** Several server processes sharing Redis (docs/config.md, `cluster`). */
  cluster?: ClusterSettings;
  /** The official Socket.IO Admin UI on /admin (docs/config.md `observability.adminUi`). */
  adminUi?: AdminUiSettings;
  /** False for a `--workers` worker: the primary process owns the port (sticky sessions). */
  listen?: boolean;
  engineTiming?: {
    settleMs?: number;
    minGapMs?: number;
    backoff?: { initialMs: number; maxMs: number };
  };
}

export interface RunningServer {
  url: string;
  /** True when the web console is built and served at `/`. */
  hasConsole: boolean;
  port: number;
  /** The delivery core (its `engine` is this node's SectionEngine). */
  hub: DeliveryCore;
  /** This node's alerts: the rules, the firing set. */
  alerts: AlertService;
  io: OpsdeckIo;
  http: HttpServer;
  close(): Promise<void>;
}

/**
 * Composes one server process: HTTP endpoints, Socket.IO protocol, the delivery core (section
 * engine, change feeds, slow-consumer guard, rooms) and its topology (alone, or in a cluster).
 * Resolves once it accepts connections.
 */
export async function startServer(options: ServerOptions): Promise<RunningServer> {
  const { metrics, log } = options;
  const stats = new NodeStats();
  const cluster = options.cluster
    ? // Loaded only for a cluster (Redis clients, adapter, lease): not on a single node's start-up.
      new (await import('./cluster/ClusterRuntime.js')).ClusterRuntime(
        options.cluster,
        stats.nodeId,
        log,
      )
    : undefined;
  const consoleDir = findConsoleDir();
  const checkToken = options.tokens.length > 0 ? tokenChecker(options.tokens) : null;

  // The core exists once Socket.IO does; the HTTP handler only needs it per request.
  const ref: { hub?: DeliveryCore; topology?: Topology; alerts?: AlertService } = {};
  const catalog = (): CatalogBody => ({
    server: {
      name: PRODUCT_NAME,
      version: PRODUCT_VERSION,
      nodeId: stats.nodeId,
      clusterSize: ref.hub?.clusterSize() ?? 1,
    },
    sections: ref.hub?.catalog() ?? [],
    ...(options.alerts?.length ? { alerts: ref.alerts?.catalog() ?? [] } : {}),
    ...(options.dashboards ? { dashboards: options.dashboards } : {}),
  });
  const readiness = async (): Promise<void> => {
    await options.readiness();
    await ref.topology?.readiness();
  };
  const handler = httpHandler({
    metrics,
    catalog,
    readiness,
    checkToken,
    console: staticConsole(consoleDir),
  });
  const http: HttpServer = options.tls
    ? createHttpsServer(
        { cert: readFileSync(options.tls.cert), key: readFileSync(options.tls.key) },
        handler,
      )
    : createHttpServer(handler);

  const io: OpsdeckIo = new Server(http, {
    serveClient: false,
    maxHttpBufferSize: MAX_CLIENT_FRAME_BYTES,
    allowRequest: (req, callback) => {
      const ok = originAllowed(options.allowedOrigins, requestOrigin(req));
      callback(ok ? null : 'origin not allowed', ok);
    },
    ...(options.allowedOrigins ? { cors: { origin: options.allowedOrigins } } : {}),
    ...(cluster ? { adapter: cluster.adapter() } : {}),
  });
  // The HTTP request that opened a connection is read only until then (origin above, the
  // transport's headers): kept, it would cost every connection some 4 KB for its lifetime
  // (socket.io's "Memory usage" page). Nothing later reads `socket.request`, and the handshake
  // Opsdeck reads is `socket.handshake.auth`, which the client sends after this point.
  const clients = new ClientsList({
    io,
    nodeId: stats.nodeId,
    clustered: cluster !== undefined,
    log,
  });
  io.engine.on('connection', clients.agents.remember); // before the request is dropped
  io.engine.on('connection', dropRequest);
  enforceFrameLimit(io, (transport) => metrics.oversizedFrames.inc({ transport }));
  io.use((socket, next) => {
    if (!checkToken) return next();
    const token: unknown = (socket.handshake.auth as Record<string, unknown> | undefined)?.token;
    if (checkToken(token)) return next();
    next(new Error('unauthorized'));
  });
  const topology: Topology = cluster ? new ClusterNode(cluster, io, log) : new SingleNode();
  const sections = new DeliveryCore({
    io,
    topology,
    sections: options.sections,
    watchers: options.watchers,
    stats,
    metrics,
    log,
    ...(options.engineTiming ? { engineTiming: options.engineTiming } : {}),
  });
  ref.hub = sections;
  ref.topology = topology;
  const alerts = new AlertService({
    io,
    rules: (options.alerts ?? []).map(compileRule),
    engine: sections.engine,
    directory: sections,
    isLeader: () => topology.isLeader(),
    relay: cluster !== undefined,
    metrics,
    log,
  });
  ref.alerts = alerts;
  attachProtocol(io, {
    engine: sections,
    catalog,
    metrics,
    log,
    clients: clientsHandler(clients, log),
  });
  const adminUi = options.adminUi
    ? instrumentAdminUi(io, options.adminUi, stats.nodeId, log)
    : undefined;

  if (options.listen !== false) {
    await new Promise<void>((resolve, reject) => {
      http.once('error', reject);
      http.listen(options.port, options.host, () => {
        http.off('error', reject);
        resolve();
      });
    });
  }
  http.on('error', (error) => log.error({ err: error }, 'HTTP server error'));
  sections.start();
  alerts.start();

  const address = http.address() as AddressInfo | null;
  const port = address?.port ?? options.port;
  const scheme = options.tls ? 'https' : 'http';
  const url = `${scheme}://${formatHost(options.host)}:${port}`;

  let closing: Promise<void> | undefined;
  const close = (): Promise<void> =>
    (closing ??= (async () => {
      // Tell clients, then drop the transports without a disconnect packet so that standard
      // Socket.IO clients reconnect by themselves (to this server or another node).
      io.local.emit('server-shutdown', { reason: 'shutdown' });
      alerts.stop();
      await sections.stop();
      await new Promise<void>((resolve) => {
        void io.close(() => resolve());
        http.closeAllConnections();
      });
      adminUi?.close();
      // After Socket.IO: its Redis adapter unsubscribes on close, on connections still open.
      await topology.close();
      stats.stop();
      await options.onClose?.();
    })());

  return {
    url,
    hasConsole: consoleDir !== undefined,
    port,
    hub: sections,
    alerts,
    io,
    http,
    close,
  };
}

/**
 * Lets an engine.io connection's opening request go (see startServer). engine.io 6.6 itself still
 * holds the upgrade request until the TCP connection closes (its WebSocketResponse listens for
 * the socket's 'close'), so what the request refers to is let go as well: the raw header lines,
 * the parsed headers and query, and the WebSocket engine.io hung on it.
 */
function dropRequest(raw: { request: unknown }): void {
  const request = raw.request as Record<string, unknown> | null;
  raw.request = null;
  if (!request) return;
  request['headers'] = {};
  request['rawHeaders'] = [];
  request['_query'] = {};
  request['websocket'] = undefined;
}

function formatHost(host: string): string {
  return host.includes(':') ? `[${host}]` : host;
}
