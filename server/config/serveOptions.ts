import { accessSync, constants } from 'node:fs';
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
  if (config.listen.tls) {
    for (const key of ['cert', 'key'] as const) {
      const file = resolve(baseDir, config.listen.tls[key]);
      try {
        accessSync(file, constants.R_OK);
      } catch {
        problems.push(`config: listen.tls.${key}: cannot read ${file}`);
      }
    }
  }
  if (config.cluster) {
    problems.push('config: cluster: not supported by this version of opsdeck yet (remove the key)');
  }
  if (problems.length > 0) throw new ConfigError(problems);
}
