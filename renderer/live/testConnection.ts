/**
 * "Test connection" for the connect dialog: a one-off check of a server URL and token that says
 * precisely what is wrong (host not found, refused, not an Opsdeck server, TLS, token, too slow)
 * or, when it works, what answers there. Plain TypeScript: no React. It never touches the
 * console's own connection (PushClient).
 */
import { io } from 'socket.io-client';
import type { PingAck, SectionInfo, ServerInfo } from '../../common/protocol.js';
import { CLUSTER_SECTION_ID } from '../../common/protocol.js';
import { checkServerUrl } from './checkServerUrl.js';
import type {
  FailureDiagnosis,
  TestFailure,
  TestOptions,
  TestResult,
  TestTarget,
} from './connectionTestTypes.js';
import {
  diagnoseCatalog,
  diagnoseConnectError,
  diagnoseMixedContent,
  diagnoseUnreachable,
  type ConnectFailure,
} from './diagnoseFailure.js';
import { diagnoseProbe } from './diagnoseProbe.js';
import { probeHealth, type HealthProbe } from './probeHealth.js';
import type { OpsdeckSocket } from './opsdeckSocket.js';

// The URL check and the result types, for callers that import them from here.
export { checkServerUrl, type UrlCheck } from './checkServerUrl.js';
export type {
  TestFailure,
  TestFailureKind,
  TestOptions,
  TestResult,
  TestSuccess,
  TestTarget,
} from './connectionTestTypes.js';

export const DEFAULT_TEST_TIMEOUT_MS = 8000;
/** How long a connected server gets to answer the catalog request before it is judged foreign. */
const CATALOG_ACK_MS = 4000;
const PING_ACK_MS = 2000;
const PINGS = 3;

/** Why the test stopped early: the caller's signal or the overall deadline. */
class Stop extends Error {
  constructor(readonly kind: 'cancelled' | 'timeout') {
    super(kind);
  }
}

/**
 * Checks a server: validates the URL, probes it (from the desktop app's main process when
 * `probeServer` is given, else `/healthz` with fetch, to tell "nothing there" from "something
 * there that is not Opsdeck"), connects once over Socket.IO with the token, reads the
 * catalog and measures the round trip. Always closes what it opened; never rejects.
 */
export async function testConnection(
  target: TestTarget,
  options: TestOptions = {},
): Promise<TestResult> {
  const checked = checkServerUrl(target.url);
  if (!checked.ok) return { ok: false, kind: 'invalid_url', message: checked.message };
  const url = checked.url;
  const secure = url.startsWith('https:');
  const timeoutMs = options.timeoutMs ?? DEFAULT_TEST_TIMEOUT_MS;
  const started = Date.now();
  const remaining = () => Math.max(1, timeoutMs - (Date.now() - started));

  const mixed = diagnoseMixedContent(url, options.pageUrl ?? pageUrl());
  if (mixed) return { ok: false, kind: 'unreachable', message: mixed };

  // One controller for both ways of stopping; its reason says which one it was.
  const stop = new AbortController();
  const onAbort = () => stop.abort(new Stop('cancelled'));
  if (options.signal?.aborted) return cancelled();
  options.signal?.addEventListener('abort', onAbort, { once: true });
  const deadline = setTimeout(() => stop.abort(new Stop('timeout')), timeoutMs);
  const stopped = new Promise<never>((_, reject) => {
    stop.signal.addEventListener('abort', () => reject(stop.signal.reason as Stop), { once: true });
  });
  stopped.catch(() => undefined); // observed through race() only
  const race = <T>(promise: Promise<T>): Promise<T> => Promise.race([promise, stopped]);

  let socket: OpsdeckSocket | undefined;
  try {
    // The desktop app names the failing step (DNS, TCP, TLS, HTTP); a browser can only guess.
    let probe: HealthProbe | undefined;
    // A web server whose /healthz is not Opsdeck's may still proxy /socket.io/ to one: that
    // verdict waits for the handshake. Every other probe failure is final.
    let notOpsdeck: FailureDiagnosis | undefined;
    if (options.probeServer) {
      const found = await race(options.probeServer(url).catch(() => undefined));
      if (found) {
        const wrong = diagnoseProbe(url, found);
        if (wrong && found.outcome !== 'http_not_opsdeck') return { ok: false, ...wrong };
        notOpsdeck = wrong;
        probe = wrong
          ? {
              reachable: true,
              healthy: false,
              ...(found.httpStatus ? { status: found.httpStatus } : {}),
            }
          : { reachable: true, healthy: true, status: 200 };
      }
    }
    probe ??= await race(probeHealth(url, stop.signal));
    if (!probe.reachable) return { ok: false, ...diagnoseUnreachable(url, secure, probe.code) };

    const factory = options.socketFactory ?? ((u, o) => io(u, o));
    const opened = factory(url, {
      transports: ['websocket'],
      reconnection: false,
      forceNew: true,
      timeout: remaining(),
      ...(target.token ? { auth: { token: target.token } } : {}),
    });
    socket = opened;
    const connectError = await race(
      new Promise<ConnectFailure | undefined>((resolve) => {
        opened.once('connect', () => resolve(undefined));
        opened.once('connect_error', (error: Error) => resolve(error as ConnectFailure));
      }),
    );
    if (connectError) {
      const diagnosis = diagnoseConnectError(connectError, url, secure, probe, !!target.token);
      // A refused token proves an Opsdeck server; otherwise the probe's evidence says more.
      return {
        ok: false,
        ...(diagnosis.kind === 'unauthorized' ? diagnosis : (notOpsdeck ?? diagnosis)),
      };
    }

    const catalogSent = Date.now();
    // Whatever answers is untrusted until it looks like an Opsdeck catalog.
    let catalog: unknown;
    try {
      const ack: unknown = await race<unknown>(
        opened.timeout(Math.min(CATALOG_ACK_MS, remaining())).emitWithAck('catalog'),
      );
      catalog = ack;
    } catch (error) {
      if (error instanceof Stop) throw error;
      return {
        ok: false,
        kind: 'not_opsdeck',
        message: `${url} accepted a Socket.IO connection but did not answer Opsdeck's catalog request: it is probably a different Socket.IO application.`,
      };
    }
    const catalogRtt = Date.now() - catalogSent;
    const refused = diagnoseCatalog(catalog, url);
    if (refused) return { ok: false, ...refused };
    const body = catalog as { server: ServerInfo; sections: SectionInfo[] };

    const rttMs = (await race(bestPing(opened, remaining))) ?? catalogRtt;
    return {
      ok: true,
      url,
      serverName: body.server.name,
      version: body.server.version,
      nodeId: body.server.nodeId,
      nodes: body.server.clusterSize,
      sections: body.sections.filter((s) => s.id !== CLUSTER_SECTION_ID).length,
      rttMs,
    };
  } catch (error) {
    if (error instanceof Stop && error.kind === 'cancelled') return cancelled();
    if (error instanceof Stop) {
      return {
        ok: false,
        kind: 'timeout',
        message: `${url} did not answer within ${formatSeconds(timeoutMs)}. The server may be overloaded, or a firewall or proxy may be holding the connection open.`,
      };
    }
    return {
      ok: false,
      kind: 'unreachable',
      message: `Testing ${url} failed: ${(error as Error).message}`,
    };
  } finally {
    clearTimeout(deadline);
    options.signal?.removeEventListener('abort', onAbort);
    if (!stop.signal.aborted) stop.abort(new Stop('cancelled'));
    socket?.removeAllListeners();
    socket?.close();
  }
}

function cancelled(): TestFailure {
  return { ok: false, kind: 'cancelled', message: 'Stopped before the server answered.' };
}

/** The smallest of a few ping round trips (the first may include lazy work on either side). */
async function bestPing(
  socket: OpsdeckSocket,
  remaining: () => number,
): Promise<number | undefined> {
  let best: number | undefined;
  for (let i = 0; i < PINGS; i++) {
    const sent = performance.now();
    try {
      const ack: unknown = await socket
        .timeout(Math.min(PING_ACK_MS, remaining()))
        .emitWithAck('ping');
      if ((ack as PingAck | null)?.ok !== true) return best;
    } catch {
      return best;
    }
    const rtt = Math.round((performance.now() - sent) * 10) / 10;
    best = best === undefined ? rtt : Math.min(best, rtt);
  }
  return best;
}

function pageUrl(): string | undefined {
  const location = (globalThis as { location?: { href?: unknown } }).location;
  return typeof location?.href === 'string' ? location.href : undefined;
}

function formatSeconds(ms: number): string {
  return ms % 1000 === 0 ? `${ms / 1000} s` : `${(ms / 1000).toFixed(1)} s`;
}
