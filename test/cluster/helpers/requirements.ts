import { accessSync, constants } from 'node:fs';
import { delimiter, join } from 'node:path';
import { describe } from 'vitest';
import { inCi, serviceAvailable, type ServiceName } from '../../helpers/services.js';

/** What a cluster test needs besides Node: services that must answer, programs that must exist. */
export interface Needs {
  services: ServiceName[];
  /** Debian's nginx, the load balancer in front of the nodes. */
  nginx?: boolean;
  /** A redis-server binary, for tests that run (and stop) a private Redis. */
  redisServer?: boolean;
}

/** An executable on PATH or in the sbin folders PATH often lacks; undefined when missing. */
export function findProgram(name: string, override?: string): string | undefined {
  if (override) return isExecutable(override) ? override : undefined;
  const dirs = [...(process.env.PATH ?? '').split(delimiter), '/usr/sbin', '/usr/local/sbin'];
  for (const dir of dirs) {
    if (!dir) continue;
    const candidate = join(dir, name);
    if (isExecutable(candidate)) return candidate;
  }
  return undefined;
}

function isExecutable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

export const NGINX = findProgram('nginx', process.env.OPSDECK_NGINX);
export const REDIS_SERVER = findProgram('redis-server');

/**
 * A describe block that needs real services and programs (docs/testing.md, "Services").
 * Where one is missing the block is skipped with the reason printed, except in CI, where this
 * throws so the file fails: CI machines have them all (`.ci/run` installs nginx).
 * Use with top-level await.
 */
export async function describeCluster(title: string, needs: Needs, fn: () => void): Promise<void> {
  const reasons: string[] = [];
  for (const service of needs.services) {
    const availability = await serviceAvailable(service);
    if (!availability.ok) reasons.push(availability.reason);
  }
  if (needs.nginx && !NGINX) reasons.push('nginx not found (apt-get install nginx)');
  if (needs.redisServer && !REDIS_SERVER)
    reasons.push('redis-server not found (apt-get install redis-server)');
  const ok = reasons.length === 0;
  if (!ok) {
    const reason = reasons.join('; ');
    if (inCi()) throw new Error(`${title}: ${reason} (CI is set, so this fails)`);
    console.warn(`skipping "${title}": ${reason}`);
  }
  describe.skipIf(!ok)(title, fn);
}
