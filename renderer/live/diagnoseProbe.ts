/**
 * The desktop app's diagnosis: what the main process's probe (DNS, TCP, TLS, /healthz from Node;
 * common/serverProbe.ts) found, in words for people. Plain TypeScript: no React.
 */
import { assertNever } from '../../common/assertNever.js';
import type { ServerProbe } from '../../common/serverProbe.js';
import type { FailureDiagnosis } from './connectionTestTypes.js';
import {
  connectionRefused,
  hostNotFound,
  httpNotOpsdeck,
  noRoute,
  notHttp,
  portHint,
  speaksTls,
  tlsFailed,
} from './failureMessages.js';

const HTTP_REASONS: Record<number, string> = {
  301: 'Moved Permanently',
  302: 'Found',
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  500: 'Internal Server Error',
  502: 'Bad Gateway',
  503: 'Service Unavailable',
};

/**
 * What is wrong at `url` according to the probe, or undefined when its /healthz answers like
 * Opsdeck's (the Socket.IO handshake and the catalog then have the last word).
 */
export function diagnoseProbe(url: string, probe: ServerProbe): FailureDiagnosis | undefined {
  const hostPort = new URL(url).host;
  const seconds = `${Math.max(1, Math.round(probe.elapsedMs / 1000))} s`;
  switch (probe.outcome) {
    case 'opsdeck':
      return undefined;
    case 'dns_failed':
      return hostNotFound(probe.host, probe.code);
    case 'refused':
      return connectionRefused(hostPort, probe.port);
    case 'no_route':
      return noRoute(hostPort, probe.code);
    case 'timeout':
      return timedOut(hostPort, probe, seconds);
    case 'tls_failed':
      return tlsFailed(url, hostPort, probe.code ?? 'EPROTO');
    case 'not_http':
      if (probe.speaksTls) return speaksTls(hostPort);
      return notHttp(
        hostPort,
        probe.port,
        probe.detail === 'closed the connection without answering' ? undefined : probe.detail,
      );
    case 'http_not_opsdeck': {
      const status = probe.httpStatus ?? 0;
      const reason = HTTP_REASONS[status];
      const server = probe.server ? ` from “${probe.server.slice(0, 60)}”` : '';
      return httpNotOpsdeck(
        hostPort,
        `GET /healthz answered ${status}${reason ? ` ${reason}` : ''}${server}, where Opsdeck answers 200 {"ok":true}`,
      );
    }
    case 'error':
      return {
        kind: 'unreachable',
        message: `Connecting to ${hostPort} failed at the ${probe.stage.toUpperCase()} step${probe.code ? ` (${probe.code})` : ''}${probe.detail ? `: ${probe.detail}` : ''}. Check the URL and the network.`,
      };
    default:
      return assertNever(probe.outcome, 'probe outcome');
  }
}

function timedOut(hostPort: string, probe: ServerProbe, seconds: string): FailureDiagnosis {
  switch (probe.stage) {
    case 'dns':
      return {
        kind: 'host_not_found',
        message: `Looking up the host name “${probe.host}” took longer than ${seconds}: the DNS server does not answer. Check this computer's network connection or VPN, then test again.`,
      };
    case 'tcp':
      return {
        kind: 'unreachable',
        message: `${hostPort} did not accept a connection within ${seconds}: the host may be down, or a firewall drops the connection. Check the firewall, and that the server listens on an address this computer can reach (listen.host: 0.0.0.0 for other machines).`,
      };
    case 'tls':
      return {
        kind: 'tls',
        message: `${hostPort} accepted the connection but did not complete a TLS handshake within ${seconds}. If the server has no TLS, use http:// instead.`,
      };
    case 'http':
      return {
        kind: 'timeout',
        message: `${hostPort} accepted the connection but sent nothing back within ${seconds}: whatever listens there does not answer HTTP, so it is not (or not yet) an Opsdeck server.${portHint(probe.port)} Check the port, and that the server is not stuck.`,
      };
    default:
      return assertNever(probe.stage, 'probe stage');
  }
}
