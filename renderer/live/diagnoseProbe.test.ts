/**
 * The words for each thing "Test connection" can find: the desktop probe's outcomes, and the
 * browser's honest "cannot tell". (The probe itself runs against real sockets in
 * main/probe/probeServer.test.ts; both together in test/connectionDiagnosis.test.ts.)
 */
import { describe, expect, it } from 'vitest';
import type { ServerProbe } from '../../common/serverProbe.js';
import { diagnoseConnectError, diagnoseUnreachable } from './diagnoseFailure.js';
import { diagnoseProbe } from './diagnoseProbe.js';

const base = { host: 'db.internal', port: 5432, elapsedMs: 3000 } as const;
const probe = (p: Partial<ServerProbe> & Pick<ServerProbe, 'outcome' | 'stage'>): ServerProbe => ({
  ...base,
  ...p,
});
const URL = 'http://db.internal:5432';

describe('diagnoseProbe', () => {
  it('passes an Opsdeck /healthz on to the Socket.IO check', () => {
    expect(diagnoseProbe(URL, probe({ outcome: 'opsdeck', stage: 'http' }))).toBeUndefined();
  });

  it.each<[Partial<ServerProbe> & Pick<ServerProbe, 'outcome' | 'stage'>, string, RegExp]>([
    [
      { outcome: 'dns_failed', stage: 'dns', code: 'ENOTFOUND' },
      'host_not_found',
      /^The host name “db\.internal” was not found: DNS knows no address for it \(ENOTFOUND\)\. Check the spelling/,
    ],
    [
      { outcome: 'dns_failed', stage: 'dns', code: 'EAI_AGAIN' },
      'host_not_found',
      /no DNS server answered \(EAI_AGAIN\)\. Check this computer's network connection or VPN/,
    ],
    [
      { outcome: 'refused', stage: 'tcp', code: 'ECONNREFUSED' },
      'refused',
      /^Nothing is listening on db\.internal:5432: the connection was refused\. Start the Opsdeck server there .* Port 5432 is PostgreSQL's default port/,
    ],
    [
      { outcome: 'no_route', stage: 'tcp', code: 'EHOSTUNREACH' },
      'unreachable',
      /no network route to db\.internal:5432 \(EHOSTUNREACH\)/,
    ],
    [
      { outcome: 'timeout', stage: 'tcp' },
      'unreachable',
      /did not accept a connection within 3 s: .* a firewall drops the connection/,
    ],
    [{ outcome: 'timeout', stage: 'dns' }, 'host_not_found', /took longer than 3 s/],
    [{ outcome: 'timeout', stage: 'tls' }, 'tls', /did not complete a TLS handshake within 3 s/],
    [{ outcome: 'timeout', stage: 'http' }, 'timeout', /sent nothing back within 3 s/],
    [
      { outcome: 'tls_failed', stage: 'tls', code: 'DEPTH_ZERO_SELF_SIGNED_CERT' },
      'tls',
      /the TLS connection failed: its certificate is self-signed \(DEPTH_ZERO_SELF_SIGNED_CERT\)\. Trust the server's certificate/,
    ],
    [
      { outcome: 'tls_failed', stage: 'tls', code: 'ERR_SSL_WRONG_VERSION_NUMBER' },
      'tls',
      /does not speak TLS.*Use http:\/\/db\.internal:5432 instead/,
    ],
    [
      { outcome: 'not_http', stage: 'http', detail: 'closed the connection without answering' },
      'not_opsdeck',
      /^db\.internal:5432 accepted the connection but closed it without an HTTP answer: it is not a web server, so not Opsdeck\. Port 5432 is PostgreSQL's default port: the database’s address belongs in the Opsdeck server’s configuration \(database\.url\), not here\. Enter the Opsdeck server's URL/,
    ],
    [
      { outcome: 'not_http', stage: 'http', detail: '5.5.5-10.11.19-MariaDB', port: 3306 },
      'not_opsdeck',
      /answered “5\.5\.5-10\.11\.19-MariaDB”, which is not HTTP: .* Port 3306 is MySQL and MariaDB's default port/,
    ],
    [{ outcome: 'not_http', stage: 'http', speaksTls: true }, 'tls', /Use https:\/\/db\.internal/],
    [
      { outcome: 'http_not_opsdeck', stage: 'http', httpStatus: 404, server: 'nginx/1.24.0' },
      'not_opsdeck',
      /is a web server, but not an Opsdeck server: GET \/healthz answered 404 Not Found from “nginx\/1\.24\.0”, where Opsdeck answers 200 \{"ok":true\}/,
    ],
    [
      { outcome: 'error', stage: 'tcp', code: 'EACCES', detail: 'permission denied' },
      'unreachable',
      /failed at the TCP step \(EACCES\): permission denied/,
    ],
  ])('%j', (found, kind, message) => {
    const diagnosis = diagnoseProbe(URL, probe(found));
    expect(diagnosis?.kind).toBe(kind);
    expect(diagnosis?.message).toMatch(message);
  });
});

describe('the browser', () => {
  it('says honestly that it cannot tell why a connection failed', () => {
    const { kind, message } = diagnoseUnreachable('http://ops.example:3001', false);
    expect(kind).toBe('unreachable');
    expect(message).toMatch(
      /^The browser could not connect to ops\.example:3001\. It does not say why: the host name may not exist, nothing may listen on that port, a firewall may drop the connection, or the service there may not speak HTTP/,
    );
    expect(message).toContain('opening http://ops.example:3001/healthz in a new tab');
    expect(message).not.toMatch(/refused|not found/);
  });

  it('uses the port as evidence: 5432 is PostgreSQL', () => {
    expect(diagnoseUnreachable('http://127.0.0.1:5432', false).message).toMatch(
      /Port 5432 is PostgreSQL's default port: the database’s address belongs/,
    );
  });

  it('reads an opaque or non-Opsdeck /healthz answer as "answered, but not Opsdeck"', () => {
    const error = Object.assign(new Error('websocket error'), { type: 'TransportError' });
    const opaque = diagnoseConnectError(
      error,
      URL,
      false,
      { reachable: true, healthy: false },
      false,
    );
    expect(opaque).toMatchObject({ kind: 'not_opsdeck' });
    expect(opaque.message).toMatch(
      /its \/healthz is not Opsdeck’s \(no \{"ok":true\} that any page may read\)/,
    );
    const readable = diagnoseConnectError(
      error,
      URL,
      false,
      { reachable: true, healthy: false, status: 404 },
      false,
    );
    expect(readable.message).toMatch(/GET \/healthz answered 404/);
  });
});
