/**
 * "Test connection" for the connect dialog: a one-off check of a server URL and token that says
 * precisely what is wrong (not reachable, refused token, not an Opsdeck server, TLS, too slow)
 * or, when it works, what answers there. Plain TypeScript: no React. It never touches the
 * console's own connection (PushClient).
 */
import { io } from 'socket.io-client';
import type { PingAck, SectionInfo, ServerInfo } from '../../common/protocol.js';
import { CLUSTER_SECTION_ID } from '../../common/protocol.js';
import type { OpsdeckSocket, SocketFactory } from './PushClient.js';

export type TestFailureKind =
  'invalid_url' | 'unreachable' | 'unauthorized' | 'not_opsdeck' | 'tls' | 'timeout' | 'cancelled';

export interface TestSuccess {
  ok: true;
  /** The URL that was tested, normalized. */
  url: string;
  /** What the server calls itself in its catalog (`opsdeck`). */
  serverName: string;
  version: string;
  nodeId: string;
  /** Server processes in the cluster (1 for a single server). */
  nodes: number;
  /** Sections in the catalog, `$cluster` not counted. */
  sections: number;
  /** Round trip of a ping (or of the catalog request when the server has no ping). */
  rttMs: number;
}

export interface TestFailure {
  ok: false;
  kind: TestFailureKind;
  /** One or two sentences for people: what happened and what to try. */
  message: string;
}

export type TestResult = TestSuccess | TestFailure;

export interface TestTarget {
  url: string;
  token?: string;
}

export interface TestOptions {
  signal?: AbortSignal;
  /** Whole test, from the first request to the answer (default 8 s). */
  timeoutMs?: number;
  socketFactory?: SocketFactory;
  /** The page's own URL, for the mixed-content check; defaults to `location` in a browser. */
  pageUrl?: string;
}

export const DEFAULT_TEST_TIMEOUT_MS = 8000;
/** How long a connected server gets to answer the catalog request before it is judged foreign. */
const CATALOG_ACK_MS = 4000;
const PING_ACK_MS = 2000;
const PINGS = 3;

export type UrlCheck = { ok: true; url: string } | { ok: false; message: string };

/**
 * Validates a server URL as typed by a person and returns its canonical form (`scheme://host:port`,
 * no trailing slash). Only http and https; no path, query, fragment or credentials, because the
 * console connects to the root of the server (Socket.IO at /socket.io).
 */
export function checkServerUrl(input: string): UrlCheck {
  const text = input.trim();
  if (text === '')
    return { ok: false, message: 'Enter the server URL, for example http://localhost:3001.' };
  // "localhost:3001" parses as a URL with the scheme "localhost:"; people mean http.
  if (/^(\[[0-9a-f:.]+\]|[a-z0-9.-]+):\d+\/?$/i.test(text)) {
    return {
      ok: false,
      message: `Start the URL with http:// or https://. Did you mean http://${text.replace(/\/$/, '')}?`,
    };
  }
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return {
      ok: false,
      message: `“${text}” is not a URL. Write it like http://host:3001 or https://ops.example.com.`,
    };
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    const suggestion =
      url.protocol === 'ws:'
        ? ' Use http:// instead.'
        : url.protocol === 'wss:'
          ? ' Use https:// instead.'
          : '';
    return {
      ok: false,
      message: `Only http:// and https:// URLs work (this one is ${url.protocol}//).${suggestion}`,
    };
  }
  if (url.hostname === '') return { ok: false, message: 'The URL has no host name.' };
  if (url.username || url.password) {
    return { ok: false, message: 'Put the token in the token field, not in the URL.' };
  }
  if ((url.pathname !== '/' && url.pathname !== '') || url.search || url.hash) {
    return {
      ok: false,
      message: `Use the server's address without a path (${url.protocol}//${url.host}): Opsdeck serves at the root of its host.`,
    };
  }
  return { ok: true, url: `${url.protocol}//${url.host}` };
}

/** Ports that browsers (and fetch) never connect to: https://fetch.spec.whatwg.org/#bad-port */
const BAD_PORTS = new Set([
  0, 1, 7, 9, 11, 13, 15, 17, 19, 20, 21, 22, 23, 25, 37, 42, 43, 53, 69, 77, 79, 87, 95, 101, 102,
  103, 104, 109, 110, 111, 113, 115, 117, 119, 123, 135, 137, 139, 143, 161, 179, 389, 427, 465,
  512, 513, 514, 515, 526, 530, 531, 532, 540, 548, 554, 556, 563, 587, 601, 636, 989, 990, 993,
  995, 1719, 1720, 1723, 2049, 3659, 4045, 4190, 5060, 5061, 6000, 6566, 6665, 6666, 6667, 6668,
  6669, 6679, 6697, 10080,
]);

/** Node's (and Electron main's) TLS error codes; browsers do not expose them. */
const TLS_CODES: Record<string, string> = {
  DEPTH_ZERO_SELF_SIGNED_CERT: 'its certificate is self-signed',
  SELF_SIGNED_CERT_IN_CHAIN: 'its certificate chain contains a self-signed certificate',
  UNABLE_TO_VERIFY_LEAF_SIGNATURE: 'its certificate cannot be verified (unknown issuer)',
  UNABLE_TO_GET_ISSUER_CERT_LOCALLY:
    'its certificate was issued by an authority this system does not trust',
  UNABLE_TO_GET_ISSUER_CERT:
    'its certificate was issued by an authority this system does not trust',
  CERT_HAS_EXPIRED: 'its certificate has expired',
  CERT_NOT_YET_VALID: 'its certificate is not valid yet',
  ERR_TLS_CERT_ALTNAME_INVALID: 'its certificate is for a different host name',
  ERR_SSL_WRONG_VERSION_NUMBER: 'it does not speak TLS on this port (try http://)',
  EPROTO: 'the TLS handshake failed',
};

/** Why the test stopped early: the caller's signal or the overall deadline. */
class Stop extends Error {
  constructor(readonly kind: 'cancelled' | 'timeout') {
    super(kind);
  }
}

/**
 * Checks a server: validates the URL, probes `/healthz` over HTTP (to tell "nothing there" from
 * "something there that is not Opsdeck"), connects once over Socket.IO with the token, reads the
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

  const mixed = mixedContent(url, options.pageUrl ?? pageUrl());
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
    const probe = await race(probeHttp(url, stop.signal));
    if (!probe.reachable) {
      return { ok: false, ...unreachable(url, secure, probe.detail, probe.code) };
    }

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
    if (connectError)
      return {
        ok: false,
        ...classifyConnectError(connectError, url, secure, probe, !!target.token),
      };

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
    const refused = catalogProblem(catalog, url);
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

type Probe =
  | { reachable: false; detail?: string; code?: string }
  /** `healthy`: /healthz answered Opsdeck's `{"ok":true}`; undefined when the answer is opaque (cross-origin). */
  | { reachable: true; healthy: boolean | undefined };

/**
 * GET /healthz without CORS: in a browser the answer to another origin is opaque, but whether there
 * was one at all still tells "nothing there" from "something there". Where the answer is readable
 * (same origin, Node, Electron main) it also tells whether that something looks like Opsdeck.
 */
async function probeHttp(url: string, signal: AbortSignal): Promise<Probe> {
  let response: Response;
  try {
    response = await fetch(`${url}/healthz`, {
      mode: 'no-cors',
      signal,
      cache: 'no-store',
      credentials: 'omit',
    });
  } catch (error) {
    const cause = (error as { cause?: { code?: unknown; message?: unknown } }).cause;
    return {
      reachable: false,
      ...(typeof cause?.message === 'string' ? { detail: cause.message } : {}),
      ...(typeof cause?.code === 'string' ? { code: cause.code } : {}),
    };
  }
  if (response.type === 'opaque') return { reachable: true, healthy: undefined };
  try {
    const body: unknown = await response.json();
    return {
      reachable: true,
      healthy: response.ok && (body as { ok?: unknown } | null)?.ok === true,
    };
  } catch {
    return { reachable: true, healthy: false };
  }
}

function unreachable(
  url: string,
  secure: boolean,
  detail?: string,
  code?: string,
): Omit<TestFailure, 'ok'> {
  const host = new URL(url).host;
  const tls = code ? TLS_CODES[code] : undefined;
  if (tls) {
    return {
      kind: 'tls',
      message: `${url} answered, but the TLS connection failed: ${tls}. Install the server's certificate (or its CA) as trusted, or use a certificate this system already trusts.`,
    };
  }
  const port = Number(new URL(url).port || (secure ? 443 : 80));
  if (BAD_PORTS.has(port)) {
    return {
      kind: 'unreachable',
      message: `${url} cannot be reached: browsers never connect to port ${port} (it is reserved for other protocols). Use the port the Opsdeck server listens on, 3001 by default.`,
    };
  }
  const why =
    code === 'ECONNREFUSED'
      ? `nothing accepts connections on ${host} (connection refused). Is the server running, and on this port?`
      : code === 'ENOTFOUND' || code === 'EAI_AGAIN'
        ? `the host name ${new URL(url).hostname} could not be resolved. Check the spelling and your network or VPN.`
        : code === 'EHOSTUNREACH' || code === 'ENETUNREACH' || code === 'ETIMEDOUT'
          ? `there is no route to ${host}. Check the network, VPN or firewall.`
          : detail && !/^fetch failed$/i.test(detail)
            ? `${detail}.`
            : `nothing answered at ${host}. The server may be stopped, the host or port may be wrong, or a firewall may block it.`;
  const tlsHint = secure
    ? ` If the server uses a self-signed or private certificate, this browser may not trust it: open ${url}/healthz in a browser tab to see the certificate error, and trust the certificate or use one from a trusted authority.`
    : '';
  return { kind: 'unreachable', message: `${url} cannot be reached: ${why}${tlsHint}` };
}

type ConnectFailure = Error & { type?: string; description?: unknown; data?: unknown };

function classifyConnectError(
  error: ConnectFailure,
  url: string,
  secure: boolean,
  probe: Probe,
  hadToken: boolean,
): Omit<TestFailure, 'ok'> {
  if (error.message === 'unauthorized') {
    return hadToken
      ? {
          kind: 'unauthorized',
          message: `${url} refused the token. Check it for typos, or ask for a current one.`,
        }
      : {
          kind: 'unauthorized',
          message: `${url} needs a token. Enter one of the tokens configured on the server (auth.tokens).`,
        };
  }
  if (/timeout/i.test(error.message)) {
    return {
      kind: 'timeout',
      message: `${url} answers HTTP, but its Socket.IO connection did not complete in time. A proxy in between may not pass WebSockets.`,
    };
  }
  const description = error.description as { message?: unknown; code?: unknown } | undefined;
  const detail = typeof description?.message === 'string' ? description.message : undefined;
  const code = typeof description?.code === 'string' ? description.code : undefined;
  if (error.type !== 'TransportError') {
    // The Socket.IO server itself refused, with words Opsdeck does not use.
    return {
      kind: 'not_opsdeck',
      message: `${url} runs a Socket.IO server that refused the connection (“${error.message}”); an Opsdeck server refuses only with “unauthorized”. Is this the right server?`,
    };
  }
  if (code && TLS_CODES[code]) return unreachable(url, secure, detail, code);
  if (probe.reachable && probe.healthy === true) {
    return {
      kind: 'unreachable',
      message: `${url} answers like an Opsdeck server over HTTP, but refused the WebSocket connection${detail ? ` (${detail})` : ''}. The server may not allow this console's origin (listen.allowedOrigins), or a proxy in between may block WebSockets.`,
    };
  }
  if (probe.reachable) {
    return {
      kind: 'not_opsdeck',
      message: `${url} answers HTTP but has no Opsdeck Socket.IO endpoint${detail ? ` (${detail})` : ''}. Check the host and port: Opsdeck listens on 3001 by default. If it is behind a proxy, the proxy must pass WebSockets at /socket.io/.`,
    };
  }
  return unreachable(url, secure, detail, code);
}

function catalogProblem(catalog: unknown, url: string): Omit<TestFailure, 'ok'> | undefined {
  const ack = catalog as Partial<{
    ok: boolean;
    error: { code?: unknown; message?: unknown };
    server: unknown;
    sections: unknown;
  }> | null;
  if (ack?.ok === false && ack.error && typeof ack.error.message === 'string') {
    if (ack.error.code === 'unauthorized') {
      return {
        kind: 'unauthorized',
        message: `${url} refused to list its sections: the token is not accepted.`,
      };
    }
    return {
      kind: 'unreachable',
      message: `${url} is an Opsdeck server but refused the catalog request: ${ack.error.message} (${String(ack.error.code)}). Try again in a moment.`,
    };
  }
  const server = ack?.server as Partial<ServerInfo> | undefined;
  const looksRight =
    ack?.ok === true &&
    typeof server === 'object' &&
    typeof server.version === 'string' &&
    typeof server.clusterSize === 'number' &&
    Array.isArray(ack.sections);
  if (!looksRight) {
    return {
      kind: 'not_opsdeck',
      message: `${url} answered the catalog request, but not with an Opsdeck catalog: it is a different Socket.IO application.`,
    };
  }
  if (server.name !== 'opsdeck') {
    return {
      kind: 'not_opsdeck',
      message: `${url} answered the catalog request as “${String(server.name)}”, not as an Opsdeck server.`,
    };
  }
  return undefined;
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

/** A page loaded over https cannot open http or ws connections (mixed content). */
function mixedContent(url: string, page: string | undefined): string | undefined {
  if (!page?.startsWith('https:') || !url.startsWith('http:')) return undefined;
  const host = new URL(url).hostname;
  if (host === 'localhost' || host === '127.0.0.1' || host === '[::1]') return undefined; // allowed by browsers
  return `This console was loaded over https, so the browser blocks plain http connections to ${url} (mixed content). Serve that server over https (listen.tls) and use an https:// URL.`;
}

function formatSeconds(ms: number): string {
  return ms % 1000 === 0 ? `${ms / 1000} s` : `${(ms / 1000).toFixed(1)} s`;
}
