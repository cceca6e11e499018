import { readFileSync } from 'node:fs';
import { X509Certificate, createPrivateKey } from 'node:crypto';
import { createSecureContext } from 'node:tls';
import { resolve } from 'node:path';
import { ConfigError } from './ConfigError.js';
import type { OpsdeckConfig } from './configSchema.js';

/** True for addresses that only this machine can reach. */
export function isLoopback(host: string): boolean {
  const h = host.replace(/^\[|\]$/g, '').toLowerCase();
  return h === 'localhost' || h === '::1' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(h);
}

/**
 * Checks that need the whole, flag-adjusted configuration before the server binds: anonymous
 * access off loopback, readable TLS files, features this version lacks.
 */
export function checkServable(config: OpsdeckConfig, baseDir: string): void {
  const problems: string[] = [];
  const tokens = config.auth.tokens ?? [];
  if (tokens.length === 0 && !config.auth.allowAnonymous && !isLoopback(config.listen.host)) {
    problems.push(
      `config: auth.tokens: required to listen on ${config.listen.host} (or set auth.allowAnonymous: true)`,
    );
  }
  if (config.listen.tls) problems.push(...tlsProblems(config.listen.tls, baseDir));
  if (problems.length > 0) throw new ConfigError(problems);
}

/** The TLS files must be readable and form a usable PEM certificate and key pair. */
function tlsProblems(tls: { cert: string; key: string }, baseDir: string): string[] {
  const pem: Partial<Record<'cert' | 'key', Buffer>> = {};
  const problems: string[] = [];
  for (const key of ['cert', 'key'] as const) {
    const file = resolve(baseDir, tls[key]);
    try {
      pem[key] = readFileSync(file);
    } catch {
      problems.push(`config: listen.tls.${key}: cannot read ${file}`);
    }
  }
  if (problems.length > 0 || !pem.cert || !pem.key) return problems;
  try {
    new X509Certificate(pem.cert);
  } catch {
    problems.push(`config: listen.tls.cert: ${tls.cert} is not a PEM certificate`);
  }
  try {
    createPrivateKey(pem.key);
  } catch {
    problems.push(
      `config: listen.tls.key: ${tls.key} is not a PEM private key (or it is encrypted)`,
    );
  }
  if (problems.length > 0) return problems;
  try {
    createSecureContext({ cert: pem.cert, key: pem.key });
  } catch {
    return ['config: listen.tls: the key does not belong to the certificate'];
  }
  return [];
}
