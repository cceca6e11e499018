/**
 * The words of "Test connection": one function per thing that can be wrong, each saying what
 * happened and what to do. Shared by the browser's diagnosis (diagnoseFailure.ts) and the desktop
 * app's (diagnoseProbe.ts), so that the same problem reads the same everywhere. Plain TypeScript.
 */
import type { FailureDiagnosis } from './connectionTestTypes.js';

/** Default ports of services people mistake for the Opsdeck server's. */
const WELL_KNOWN_PORTS: Record<number, string> = {
  22: 'SSH',
  1433: 'SQL Server',
  1521: 'Oracle',
  3306: 'MySQL and MariaDB',
  5432: 'PostgreSQL',
  5672: 'RabbitMQ',
  6379: 'Redis',
  9092: 'Kafka',
  11211: 'memcached',
  27017: 'MongoDB',
};

/** Node's (and Electron main's) TLS error codes; browsers do not expose them. */
export const TLS_CODES: Record<string, string> = {
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
  ERR_SSL_WRONG_VERSION_NUMBER: 'it does not speak TLS on this port',
  EPROTO: 'the TLS handshake failed',
};

const OPSDECK_PORT_HINT = 'Opsdeck listens on port 3001 unless listen.port says otherwise';

const DATABASE_PORTS = new Set([1433, 1521, 3306, 5432, 27017]);

/** " Port 5432 is PostgreSQL's default port, not Opsdeck's ..." or "". */
export function portHint(port: number): string {
  const service = WELL_KNOWN_PORTS[port];
  if (!service) return '';
  const where = DATABASE_PORTS.has(port)
    ? ': the database\u2019s address belongs in the Opsdeck server\u2019s configuration (database.url), not here'
    : ', not Opsdeck\u2019s';
  return ` Port ${port} is ${service}'s default port${where}.`;
}

export function hostNotFound(host: string, code: string | undefined): FailureDiagnosis {
  if (code === 'EAI_AGAIN') {
    return {
      kind: 'host_not_found',
      message: `The host name “${host}” could not be looked up: no DNS server answered (EAI_AGAIN). Check this computer's network connection or VPN, then test again.`,
    };
  }
  return {
    kind: 'host_not_found',
    message: `The host name “${host}” was not found: DNS knows no address for it${code ? ` (${code})` : ''}. Check the spelling in the URL; for an internal name, connect to the VPN or network that knows it.`,
  };
}

export function connectionRefused(hostPort: string, port: number): FailureDiagnosis {
  return {
    kind: 'refused',
    message: `Nothing is listening on ${hostPort}: the connection was refused. Start the Opsdeck server there (it prints “listening on http://…” when ready), or fix the port: ${OPSDECK_PORT_HINT}.${portHint(port)}`,
  };
}

export function noRoute(hostPort: string, code: string | undefined): FailureDiagnosis {
  return {
    kind: 'unreachable',
    message: `There is no network route to ${hostPort}${code ? ` (${code})` : ''}. Check the network, VPN or firewall between this computer and the server.`,
  };
}

/** TCP connected, but what answered is not HTTP (a database, SSH, ...). */
export function notHttp(hostPort: string, port: number, answer: string | undefined) {
  const said = answer
    ? `answered “${answer.slice(0, 60)}”, which is not HTTP`
    : 'closed it without an HTTP answer';
  return {
    kind: 'not_opsdeck',
    message: `${hostPort} accepted the connection but ${said}: it is not a web server, so not Opsdeck.${portHint(port)} Enter the Opsdeck server's URL (${OPSDECK_PORT_HINT}).`,
  } satisfies FailureDiagnosis;
}

/** HTTP answered, and `/healthz` (or the whole Socket.IO endpoint) is not Opsdeck's. */
export function httpNotOpsdeck(hostPort: string, evidence: string): FailureDiagnosis {
  return {
    kind: 'not_opsdeck',
    message: `${hostPort} is a web server, but not an Opsdeck server: ${evidence}. Check the host and port (${OPSDECK_PORT_HINT}); behind a reverse proxy, route / and /socket.io/ (with WebSockets) to Opsdeck.`,
  };
}

export function tlsFailed(url: string, hostPort: string, code: string): FailureDiagnosis {
  if (code === 'ERR_SSL_WRONG_VERSION_NUMBER' || code === 'ERR_SSL_PACKET_LENGTH_TOO_LONG') {
    return {
      kind: 'tls',
      message: `${hostPort} does not speak TLS: it answered the TLS handshake with plain data. Use http://${hostPort} instead, or turn TLS on at the server (listen.tls).`,
    };
  }
  if (code === 'ECONNRESET') {
    return {
      kind: 'tls',
      message: `${hostPort} closed the connection during the TLS handshake: nothing there speaks HTTPS on this port.${portHint(Number(new URL(url).port))} Check the port, or use http:// if the server has no TLS.`,
    };
  }
  const why = TLS_CODES[code] ?? 'the TLS handshake failed';
  return {
    kind: 'tls',
    message: `${url} answered, but the TLS connection failed: ${why} (${code}). Trust the server's certificate (or its CA) on this computer, or give the server a certificate from an authority this system already trusts.`,
  };
}

export function speaksTls(hostPort: string): FailureDiagnosis {
  return {
    kind: 'tls',
    message: `${hostPort} answered with TLS: the server uses https. Use https://${hostPort}.`,
  };
}

export function tokenMissing(url: string): FailureDiagnosis {
  return {
    kind: 'unauthorized',
    token: 'missing',
    message: `${url} is an Opsdeck server that needs a token. Enter one of the tokens configured on the server (auth.tokens, or --token of opsdeck demo).`,
  };
}

export function tokenRefused(url: string): FailureDiagnosis {
  return {
    kind: 'unauthorized',
    token: 'refused',
    message: `${url} is an Opsdeck server, but it refused the token. Check it for typos and stray spaces, or ask whoever runs the server for a current one (auth.tokens).`,
  };
}

/**
 * A browser's fetch() failed without saying why: say so, list what it can be, and what to try.
 * Only the port is evidence here (a database's default port, for example).
 */
export function browserCannotTell(url: string, hostPort: string, port: number, secure: boolean) {
  const tlsHint = secure
    ? ' Over https, the browser may also distrust the server\u2019s certificate.'
    : '';
  return {
    kind: 'unreachable',
    message: `The browser could not connect to ${hostPort}. It does not say why: the host name may not exist, nothing may listen on that port, a firewall may drop the connection, or the service there may not speak HTTP (a database, for example).${tlsHint}${portHint(port)} Check the URL and that the Opsdeck server runs; opening ${url}/healthz in a new tab shows the browser's own error, and the desktop app names the cause.`,
  } satisfies FailureDiagnosis;
}
