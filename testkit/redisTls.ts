import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { freePort } from './freePort.js';
import { startRedisProcess, type RedisProcess } from './redisServer.js';

/** PEM files (absolute paths) of a throw-away test PKI. */
export interface TestPki {
  ca: string;
  serverCert: string;
  serverKey: string;
  clientCert: string;
  clientKey: string;
  /** A second CA that signed none of the above: the wrong CA to trust. */
  otherCa: string;
}

const EC_KEY = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];

/**
 * A self-signed CA made with openssl (EC P-256 keys, valid one day) and, signed by it, a server
 * certificate for localhost and 127.0.0.1 and a client certificate; plus an unrelated second CA.
 * Written into `dir`.
 */
export function makeTestPki(dir: string): TestPki {
  const file = (name: string) => join(dir, name);
  const openssl = (args: string[]) => execFileSync('openssl', args, { stdio: 'pipe' });
  const selfSigned = (name: string, cn: string) =>
    openssl([
      'req',
      '-x509',
      ...EC_KEY,
      '-days',
      '1',
      '-subj',
      `/CN=${cn}`,
      '-keyout',
      file(`${name}.key`),
      '-out',
      file(`${name}.crt`),
    ]);
  const signed = (name: string, cn: string, extensions: string) => {
    writeFileSync(file(`${name}.ext`), `${extensions}\n`);
    openssl([
      'req',
      ...EC_KEY,
      '-subj',
      `/CN=${cn}`,
      '-keyout',
      file(`${name}.key`),
      '-out',
      file(`${name}.csr`),
    ]);
    openssl([
      'x509',
      '-req',
      '-in',
      file(`${name}.csr`),
      '-CA',
      file('ca.crt'),
      '-CAkey',
      file('ca.key'),
      '-CAcreateserial',
      '-days',
      '1',
      '-extfile',
      file(`${name}.ext`),
      '-out',
      file(`${name}.crt`),
    ]);
  };
  selfSigned('ca', 'Opsdeck test CA');
  selfSigned('other-ca', 'Some other CA');
  signed('server', 'localhost', 'subjectAltName=DNS:localhost,IP:127.0.0.1');
  signed('client', 'opsdeck-node', 'extendedKeyUsage=clientAuth');
  return {
    ca: file('ca.crt'),
    serverCert: file('server.crt'),
    serverKey: file('server.key'),
    clientCert: file('client.crt'),
    clientKey: file('client.key'),
    otherCa: file('other-ca.crt'),
  };
}

/**
 * A Redis that speaks only TLS (`--port 0 --tls-port P`) with the PKI's server certificate;
 * `clientCertificates: true` makes it require a client certificate signed by the CA.
 */
export async function startTlsRedis(
  dir: string,
  pki: TestPki,
  options: { clientCertificates?: boolean; name?: string } = {},
): Promise<RedisProcess> {
  const port = await freePort();
  const mutual = options.clientCertificates === true;
  return startRedisProcess({
    port,
    dir,
    name: options.name ?? 'redis-tls',
    args: [
      '--port',
      '0',
      '--tls-port',
      String(port),
      '--tls-cert-file',
      pki.serverCert,
      '--tls-key-file',
      pki.serverKey,
      '--tls-ca-cert-file',
      pki.ca,
      '--tls-auth-clients',
      mutual ? 'yes' : 'no',
      '--save',
      '',
      '--appendonly',
      'no',
    ],
    tls: {
      ca: readFileSync(pki.ca),
      ...(mutual ? { cert: readFileSync(pki.clientCert), key: readFileSync(pki.clientKey) } : {}),
    },
  });
}
