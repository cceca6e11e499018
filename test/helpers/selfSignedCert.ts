import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

export interface SelfSignedCert {
  /** PEM, for `https.createServer({ key, cert })`. */
  key: Buffer;
  cert: Buffer;
  keyFile: string;
  certFile: string;
}

/**
 * A throw-away self-signed certificate for CN=localhost (RSA 2048, valid one day), made by
 * `openssl req -x509` into `dir` (created when missing) as server.key and server.crt.
 */
export function selfSignedCert(dir: string): SelfSignedCert {
  mkdirSync(dir, { recursive: true });
  const keyFile = join(dir, 'server.key');
  const certFile = join(dir, 'server.crt');
  execFileSync(
    'openssl',
    [
      'req',
      '-x509',
      '-newkey',
      'rsa:2048',
      '-nodes',
      '-subj',
      '/CN=localhost',
      '-days',
      '1',
    ].concat(['-keyout', keyFile, '-out', certFile]),
    { stdio: 'ignore' },
  );
  return { key: readFileSync(keyFile), cert: readFileSync(certFile), keyFile, certFile };
}
