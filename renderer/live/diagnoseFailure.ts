/**
 * "Test connection" diagnoses: what went wrong, in words for people, with what to try. Each helper
 * reads one kind of evidence (the page's scheme, a network error, the Socket.IO handshake, the
 * catalog answer). Plain TypeScript: no React.
 */
import type { ServerInfo } from '../../common/protocol.js';
import type { FailureDiagnosis } from './connectionTestTypes.js';
import {
  browserCannotTell,
  connectionRefused,
  hostNotFound,
  httpNotOpsdeck,
  noRoute,
  TLS_CODES,
  tlsFailed,
  tokenMissing,
  tokenRefused,
} from './failureMessages.js';
import type { HealthProbe } from './probeHealth.js';

/** Ports that browsers (and fetch) never connect to: https://fetch.spec.whatwg.org/#bad-port */
const BAD_PORTS = new Set([
  0, 1, 7, 9, 11, 13, 15, 17, 19, 20, 21, 22, 23, 25, 37, 42, 43, 53, 69, 77, 79, 87, 95, 101, 102,
  103, 104, 109, 110, 111, 113, 115, 117, 119, 123, 135, 137, 139, 143, 161, 179, 389, 427, 465,
  512, 513, 514, 515, 526, 530, 531, 532, 540, 548, 554, 556, 563, 587, 601, 636, 989, 990, 993,
  995, 1719, 1720, 1723, 2049, 3659, 4045, 4190, 5060, 5061, 6000, 6566, 6665, 6666, 6667, 6668,
  6669, 6679, 6697, 10080,
]);

/** A page loaded over https cannot open http or ws connections (mixed content). */
export function diagnoseMixedContent(url: string, page: string | undefined): string | undefined {
  if (!page?.startsWith('https:') || !url.startsWith('http:')) return undefined;
  const host = new URL(url).hostname;
  if (host === 'localhost' || host === '127.0.0.1' || host === '[::1]') return undefined; // allowed by browsers
  return `This console was loaded over https, so the browser blocks plain http connections to ${url} (mixed content). Serve that server over https (listen.tls) and use an https:// URL.`;
}

/**
 * Nothing answered HTTP at the URL. Where the runtime names the cause (Node's fetch, the desktop
 * app) it says which; a browser does not, and then the message says so and lists what it can be.
 */
export function diagnoseUnreachable(url: string, secure: boolean, code?: string): FailureDiagnosis {
  const parsed = new URL(url);
  const host = parsed.host;
  const port = Number(parsed.port || (secure ? 443 : 80));
  if (code && TLS_CODES[code]) return tlsFailed(url, host, code);
  if (BAD_PORTS.has(port)) {
    return {
      kind: 'unreachable',
      message: `${url} cannot be reached: browsers never connect to port ${port} (it is reserved for other protocols). Use the port the Opsdeck server listens on, 3001 by default.`,
    };
  }
  if (code === 'ECONNREFUSED') return connectionRefused(host, port);
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') return hostNotFound(parsed.hostname, code);
  if (code === 'EHOSTUNREACH' || code === 'ENETUNREACH') return noRoute(host, code);
  return browserCannotTell(url, host, port, secure);
}

export type ConnectFailure = Error & { type?: string; description?: unknown; data?: unknown };

/**
 * Why the Socket.IO handshake failed: a refused token, a timeout, a Socket.IO server that is not
 * Opsdeck, or a transport error read together with the /healthz probe.
 */
export function diagnoseConnectError(
  error: ConnectFailure,
  url: string,
  secure: boolean,
  probe: HealthProbe,
  hadToken: boolean,
): FailureDiagnosis {
  if (error.message === 'unauthorized') return hadToken ? tokenRefused(url) : tokenMissing(url);
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
  if (code && TLS_CODES[code]) return diagnoseUnreachable(url, secure, code);
  if (probe.reachable && probe.healthy) {
    return {
      kind: 'unreachable',
      message: `${url} answers like an Opsdeck server over HTTP, but refused the WebSocket connection${detail ? ` (${detail})` : ''}. The server may not allow this console's origin (listen.allowedOrigins), or a proxy in between may block WebSockets.`,
    };
  }
  if (probe.reachable) {
    const health =
      probe.status !== undefined
        ? `GET /healthz answered ${probe.status} without Opsdeck\u2019s {"ok":true}`
        : 'its /healthz is not Opsdeck\u2019s (no {"ok":true} that any page may read)';
    return httpNotOpsdeck(
      new URL(url).host,
      `${health}, and it has no Opsdeck Socket.IO endpoint at /socket.io/`,
    );
  }
  return diagnoseUnreachable(url, secure, code);
}

/** What is wrong with the answer to the catalog request, if anything: undefined for an Opsdeck catalog. */
export function diagnoseCatalog(catalog: unknown, url: string): FailureDiagnosis | undefined {
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
        token: 'refused',
        message: `${url} refused to list its sections: the token is not accepted. Check it, or ask for a current one.`,
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
