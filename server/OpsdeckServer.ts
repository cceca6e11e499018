import { readFileSync } from 'node:fs';
import { createServer as createHttpServer, type Server as HttpServer } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { Server } from 'socket.io';
import type { CatalogBody, SectionInfo } from '../common/protocol.js';
import { CLUSTER_SECTION_ID, sectionRoom } from '../common/protocol.js';
import { Metrics } from './http/Metrics.js';
import { httpHandler } from './http/httpHandler.js';
import { findConsoleDir, staticConsole } from './http/staticConsole.js';
import type { Logger } from './log.js';
import { clusterSection, CLUSTER_REFRESH_MS } from './sections/clusterSection.js';
import { NodeStats } from './sections/NodeStats.js';
import { SectionEngine, type SectionSpec } from './sections/SectionEngine.js';
import { MemorySnapshotStore } from './sections/SnapshotStore.js';
import { attachProtocol, type OpsdeckIo } from './socket/attachProtocol.js';
import { SlowConsumerGuard } from './socket/SlowConsumerGuard.js';
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
  engine: SectionEngine;
  io: OpsdeckIo;
  close(): Promise<void>;
}

/** Largest client message accepted; the protocol's requests are a few hundred bytes. */
const MAX_CLIENT_MESSAGE_BYTES = 16 * 1024;

/**
 * Composes one server process: HTTP endpoints, Socket.IO protocol, section engine, change feeds.
 * Resolves once it accepts connections.
 */
export async function startServer(options: ServerOptions): Promise<RunningServer> {
  const { metrics, log } = options;
  const stats = new NodeStats();
  const store = new MemorySnapshotStore();

  const cluster = clusterSection(stats, {
    leader: () => true,
    clients: () => io.sockets.sockets.size,
    subscriptions: () => countSubscriptions(io),
    queries: () => metrics.queryCount(),
    updatesSent: () => metrics.messageCount(),
  });
  const engine = new SectionEngine({
    specs: [...options.sections, cluster],
    store,
    log,
    ...options.engineTiming,
  });

  const catalog = (): CatalogBody => ({
    server: { name: PRODUCT_NAME, version: PRODUCT_VERSION, nodeId: stats.nodeId, clusterSize: 1 },
    sections: engine.catalog() satisfies SectionInfo[],
  });
  const consoleDir = findConsoleDir();
  const checkToken = options.tokens.length > 0 ? tokenChecker(options.tokens) : null;

  const handler = httpHandler({
    metrics,
    catalog,
    readiness: options.readiness,
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
    maxHttpBufferSize: MAX_CLIENT_MESSAGE_BYTES,
    allowRequest: (req, callback) => {
      const ok = originAllowed(options.allowedOrigins, requestOrigin(req));
      callback(ok ? null : 'origin not allowed', ok);
    },
    ...(options.allowedOrigins ? { cors: { origin: options.allowedOrigins } } : {}),
  });
  io.use((socket, next) => {
    if (!checkToken) return next();
    const token: unknown = (socket.handshake.auth as Record<string, unknown> | undefined)?.token;
    if (checkToken(token)) return next();
    next(new Error('unauthorized'));
  });
  attachProtocol(io, { engine, catalog, metrics, log });

  metrics.isLeader.set(1);
  const guard = new SlowConsumerGuard(io, (id) => engine.snapshot(id), {
    sent: (n) => metrics.messagesSent.inc(n),
    skipped: (n) => metrics.skippedUpdates.inc(n),
    lagging: (n) => metrics.slowClients.set(n),
  });
  io.on('connection', (socket) => socket.on('disconnect', () => guard.forget(socket.id)));
  engine.on('update', (update, lagMs) => {
    guard.emitUpdate(update);
    if (update.section !== CLUSTER_SECTION_ID) {
      metrics.sectionUpdates.inc({ section: update.section });
      metrics.updateLag.observe(lagMs / 1000);
    }
  });
  engine.on('status', (status) => {
    const room = sectionRoom(status.section);
    io.to(room).emit('section-status', status);
    metrics.messagesSent.inc(io.sockets.adapter.rooms.get(room)?.size ?? 0);
    metrics.sectionHealthy.set({ section: status.section }, status.healthy ? 1 : 0);
  });
  engine.on('read', (section, ms, ok) => {
    if (section === CLUSTER_SECTION_ID) return;
    metrics.queryDuration.observe(ms / 1000);
    if (!ok) metrics.sectionErrors.inc({ section });
  });
  for (const spec of options.sections) metrics.sectionHealthy.set({ section: spec.info.id }, 1);

  await new Promise<void>((resolve, reject) => {
    http.once('error', reject);
    http.listen(options.port, options.host, () => {
      http.off('error', reject);
      resolve();
    });
  });
  http.on('error', (error) => log.error({ err: error }, 'HTTP server error'));

  const watchers = options.watchers(engine);
  for (const w of watchers) w.start();
  engine.requestAll();
  const clusterTimer = setInterval(() => engine.request(CLUSTER_SECTION_ID), CLUSTER_REFRESH_MS);
  clusterTimer.unref();

  const port = (http.address() as AddressInfo).port;
  const scheme = options.tls ? 'https' : 'http';
  const url = `${scheme}://${formatHost(options.host)}:${port}`;

  let closing: Promise<void> | undefined;
  const close = (): Promise<void> =>
    (closing ??= (async () => {
      clearInterval(clusterTimer);
      engine.stop();
      await Promise.allSettled(watchers.map((w) => w.stop()));
      // Tell clients, then drop the transports without a disconnect packet so that standard
      // Socket.IO clients reconnect by themselves when the server comes back.
      io.emit('server-shutdown', { reason: 'shutdown' });
      await new Promise<void>((resolve) => {
        void io.close(() => resolve());
        http.closeAllConnections();
      });
      stats.stop();
      await options.onClose?.();
    })());

  return { url, hasConsole: consoleDir !== undefined, port, engine, io, close };
}

/** Socket-section pairs on this process: the sizes of the section rooms. */
function countSubscriptions(io: OpsdeckIo): number {
  let total = 0;
  for (const [room, members] of io.sockets.adapter.rooms) {
    if (room.startsWith('section:')) total += members.size;
  }
  return total;
}

function formatHost(host: string): string {
  return host.includes(':') ? `[${host}]` : host;
}
